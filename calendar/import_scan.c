/* import_scan: the raw pre-scan of an .ics file (unfolding, UTF-8 and control characters, BEGIN/END
 * structure, line numbers) before libical sees any of it; it must not interpret property values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar/import_internal.h"
#include "util/text.h"

/* Splits the raw text into unfolded content lines (CRLF or LF), checking UTF-8 and control characters.
 * 0, or -1 after a fatal refusal or out of memory. */
int imp_unfold(struct imp_ctx *c, const char *raw, size_t len)
{
	size_t cap = 0, i = 0, u = 0, cur = (size_t)-1;
	int phys = 0;

	c->ubuf = malloc(len + 1);
	if (!c->ubuf) {
		c->oom = true;
		return -1;
	}
	if (len >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len) {
		size_t end = i, next;
		bool cont;

		while (end < len && raw[end] != '\n')
			end++;
		next = end < len ? end + 1 : end;
		if (end > i && raw[end - 1] == '\r')
			end--;
		phys++;
		cont = end > i && (raw[i] == ' ' || raw[i] == '\t') && cur != (size_t)-1;
		if (cont) {
			u--; /* over the NUL of the line being continued */
			memcpy(c->ubuf + u, raw + i + 1, end - i - 1);
			u += end - i - 1;
			c->lines[cur].len += end - i - 1;
			c->ubuf[u++] = '\0';
		} else if (end > i) {
			if (imp_grow((void **)&c->lines, &cap, c->n_lines, sizeof(*c->lines))) {
				c->oom = true;
				return -1;
			}
			cur = c->n_lines++;
			memset(&c->lines[cur], 0, sizeof(c->lines[cur]));
			c->lines[cur].line = phys;
			c->lines[cur].text = c->ubuf + u;
			memcpy(c->ubuf + u, raw + i, end - i);
			c->lines[cur].len = end - i;
			u += end - i;
			c->ubuf[u++] = '\0';
		} else {
			cur = (size_t)-1; /* an empty line ends folding */
		}
		i = next;
	}
	/* text pointers stay valid: ubuf was never reallocated */
	for (size_t k = 0; k < c->n_lines; k++) {
		struct imp_line *l = &c->lines[k];
		size_t n = l->len;

		if (!text_utf8_valid(l->text, n)) {
			imp_fatal(c, l->line, "line %d is not valid UTF-8", l->line);
			return -1;
		}
		for (size_t j = 0; j < n; j++) {
			unsigned char ch = (unsigned char)l->text[j];

			if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
				l->bad = true;
		}
		if (!strchr(l->text, ':'))
			l->bad = true;
	}
	return 0;
}

/* The name of content line s (up to ';' or ':') into name, upper-cased. */
void imp_line_name(const char *s, char name[IMP_NAME_LEN])
{
	size_t n = 0;

	while (s[n] && s[n] != ';' && s[n] != ':' && n < IMP_NAME_LEN - 1) {
		char ch = s[n];

		name[n++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
	}
	name[n] = '\0';
}

/* Whether line l is "BEGIN:<x>" (begin true) or "END:<x>"; x copied upper-cased into what. */
static bool imp_is_marker(const struct imp_line *l, bool begin, char what[IMP_NAME_LEN])
{
	const char *kw = begin ? "BEGIN:" : "END:";
	size_t kl = strlen(kw), n;

	if (strncasecmp(l->text, kw, kl))
		return false;
	n = strlen(l->text + kl);
	if (!n || n >= IMP_NAME_LEN)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char ch = l->text[kl + i];

		what[i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
	}
	return true;
}

/* Checks nesting, counts components, records those directly inside the VCALENDAR. 0 or -1 (fatal). */
int imp_structure(struct imp_ctx *c)
{
	char stack[IMPORT_MAX_DEPTH][IMP_NAME_LEN], what[IMP_NAME_LEN];
	size_t cap = 0, ncomp = 0;
	int depth = 0;
	bool done = false;

	if (!c->n_lines) {
		imp_fatal(c, 1, "the file is empty: expected BEGIN:VCALENDAR");
		return -1;
	}
	for (size_t i = 0; i < c->n_lines; i++) {
		struct imp_line *l = &c->lines[i];

		if (done) {
			if (imp_is_marker(l, true, what) && !strcmp(what, "VCALENDAR"))
				imp_fatal(c, l->line,
					  "a second VCALENDAR starts at line %d: send one calendar per file",
					  l->line);
			else
				imp_fatal(c, l->line, "line %d comes after END:VCALENDAR", l->line);
			return -1;
		}
		if (imp_is_marker(l, true, what)) {
			if (depth == 0 && strcmp(what, "VCALENDAR")) {
				imp_fatal(c, l->line,
					  "not a VCALENDAR: the file starts with BEGIN:%s (line %d)", what,
					  l->line);
				return -1;
			}
			if (++ncomp > IMPORT_MAX_COMPONENTS) {
				imp_fatal(c, l->line,
					  "more than %d components (BEGIN lines): line %d is one too many",
					  IMPORT_MAX_COMPONENTS, l->line);
				return -1;
			}
			if (depth >= IMPORT_MAX_DEPTH) {
				imp_fatal(c, l->line,
					  "BEGIN:%s at line %d nests components deeper than %d levels", what,
					  l->line, IMPORT_MAX_DEPTH);
				return -1;
			}
			snprintf(stack[depth], IMP_NAME_LEN, "%s", what);
			depth++;
			l->depth = depth;
			if (depth == 2) {
				if (imp_grow((void **)&c->comps, &cap, c->n_comps, sizeof(*c->comps))) {
					c->oom = true;
					return -1;
				}
				snprintf(c->comps[c->n_comps].name, IMP_NAME_LEN, "%s", what);
				c->comps[c->n_comps].first = i;
				c->comps[c->n_comps].last = i;
				c->n_comps++;
			}
			continue;
		}
		if (imp_is_marker(l, false, what)) {
			if (depth == 0 || strcmp(stack[depth - 1], what)) {
				imp_fatal(c, l->line, "END:%s at line %d does not close %s%s", what, l->line,
					  depth ? "BEGIN:" : "any component", depth ? stack[depth - 1] : "");
				return -1;
			}
			l->depth = depth;
			if (depth == 2)
				c->comps[c->n_comps - 1].last = i;
			depth--;
			done = depth == 0;
			continue;
		}
		if (depth == 0) {
			imp_fatal(c, l->line, "not a VCALENDAR: line %d comes before BEGIN:VCALENDAR",
				  l->line);
			return -1;
		}
		l->depth = depth;
		if (l->bad && (depth == 1 || strcmp(stack[1], "VEVENT"))) {
			imp_fatal(c, l->line, "line %d holds a control character or is not a content line",
				  l->line);
			return -1;
		}
	}
	if (depth) {
		imp_fatal(c, c->lines[c->n_lines - 1].line, "the file ends inside BEGIN:%s (no END:%s)",
			  stack[depth - 1], stack[depth - 1]);
		return -1;
	}
	return 0;
}

/* A copy of lines [first, last] joined with CRLF (refolding not needed: libical reads long lines). */
char *imp_join(struct imp_ctx *c, size_t first, size_t last)
{
	size_t n = 1, k = 0;
	char *s;

	for (size_t i = first; i <= last; i++)
		n += strlen(c->lines[i].text) + 2;
	s = malloc(n);
	if (!s) {
		c->oom = true;
		return NULL;
	}
	for (size_t i = first; i <= last; i++) {
		size_t l = strlen(c->lines[i].text);

		memcpy(s + k, c->lines[i].text, l);
		k += l;
		s[k++] = '\r';
		s[k++] = '\n';
	}
	s[k] = '\0';
	return s;
}

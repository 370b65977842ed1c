/*
 * csv: RFC 4180 cells and records with formula neutralisation; it allocates nothing but the caller's
 * buffer's growth.
 */
#include "util/csv.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int csv_cell(struct buf *b, const char *s, bool first)
{
	bool quote;
	const char *q;

	if (!first && buf_append(b, ",", 1))
		return -1;
	if (!s || !s[0])
		return 0;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote && buf_append(b, "\"", 1))
		return -1;
	if (strchr("=+-@\t\r", s[0]) && buf_append(b, "'", 1))
		return -1;
	while ((q = strchr(s, '"'))) {
		if (buf_append(b, s, (size_t)(q - s) + 1) || buf_append(b, "\"", 1))
			return -1;
		s = q + 1;
	}
	if (buf_puts(b, s))
		return -1;
	return quote ? buf_append(b, "\"", 1) : 0;
}

int csv_int(struct buf *b, int64_t v, bool first)
{
	char n[24];

	snprintf(n, sizeof(n), "%" PRId64, v);
	if (!first && buf_append(b, ",", 1))
		return -1;
	return buf_puts(b, n);
}

int csv_row_end(struct buf *b)
{
	return buf_append(b, "\r\n", 2);
}

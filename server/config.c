/* config: defaults, the one option table (command line, config file, --help) and validation of majlisd's
 * settings; opens only the config file. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/text.h"

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->db_path, sizeof(c->db_path), "majlis.db");
	snprintf(c->listen_host, sizeof(c->listen_host), "127.0.0.1");
	c->listen_port = 8080;
	snprintf(c->web_root, sizeof(c->web_root), "web");
	snprintf(c->calendar_domain, sizeof(c->calendar_domain), "majlis.local");
	c->session_idle_s = 30 * 60;
	c->session_absolute_s = 12 * 3600;
	c->body_timeout_s = 20;
	c->keepalive_s = 30;
	c->send_timeout_s = 60;
	c->log_level = 2;
	c->tz_check_s = 60;
}

static int config_int(const char *v, int min, int max, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

struct config_option;

/* Sets option o of c from text v. 0, or -1 with a reason in err. */
typedef int config_set_fn(struct config *c, const struct config_option *o, const char *v, char *err,
			  size_t errlen);

/* Where an option may be given, and how. */
enum config_where {
	CONFIG_ARGV = 1 << 0,	/* on the command line, as --NAME */
	CONFIG_FILE = 1 << 1,	/* in a config file, as NAME = VALUE */
	CONFIG_FLAG = 1 << 2,	/* on the command line it takes no value: --NAME alone sets it to "true" */
	CONFIG_SECRET = 1 << 3, /* refused on the command line, which every user of the machine can read */
};

/* One setting: its name, where it may be given, how its text is read, and its --help row. The table
 * below is const and read-only (any thread). */
struct config_option {
	const char *name;  /* without "--" */
	const char *arg;   /* --help's name for the value ("FILE"); NULL for a flag */
	const char *help;  /* --help text, '\n' between its lines; NULL: not listed */
	const char *shown; /* --help's left column when it is not "--NAME ARG" */
	unsigned where;	   /* enum config_where bits */
	config_set_fn *set;
	enum config_args_rc action; /* HELP or VERSION for those two; OK for settings */
	size_t off;		    /* offsetof the field in struct config */
	size_t size;		    /* its size, for a string */
	int min, max;		    /* bounds, for a number */
	const char *zero; /* a number: what 0 means when 0 is allowed below min (NULL: not allowed) */
	const char *unit; /* a number with zero: what the other values count */
};

static int config_set_str(struct config *c, const struct config_option *o, const char *v, char *err,
			  size_t errlen)
{
	if (strlen(v) >= o->size) {
		snprintf(err, errlen, "%s: value too long (at most %zu characters)", o->name, o->size - 1);
		return -1;
	}
	snprintf((char *)c + o->off, o->size, "%s", v);
	return 0;
}

static int config_set_int(struct config *c, const struct config_option *o, const char *v, char *err,
			  size_t errlen)
{
	int n;

	if (config_int(v, o->zero ? 0 : o->min, o->max, &n) || (o->zero && n && n < o->min)) {
		if (o->zero)
			snprintf(err, errlen, "%s: expected 0 (%s) or %s from %d to %d, got '%s'", o->name,
				 o->zero, o->unit, o->min, o->max, v);
		else
			snprintf(err, errlen, "%s: expected a whole number from %d to %d, got '%s'", o->name,
				 o->min, o->max, v);
		return -1;
	}
	memcpy((char *)c + o->off, &n, sizeof(n));
	return 0;
}

static int config_set_bool(struct config *c, const struct config_option *o, const char *v, char *err,
			   size_t errlen)
{
	bool b = !strcmp(v, "true");

	if (!b && strcmp(v, "false")) {
		snprintf(err, errlen, "%s: expected true or false, got '%s'", o->name, v);
		return -1;
	}
	memcpy((char *)c + o->off, &b, sizeof(b));
	return 0;
}

static int config_set_listen(struct config *c, const struct config_option *o, const char *v, char *err,
			     size_t errlen)
{
	const char *colon = strrchr(v, ':');
	size_t hl;

	(void)o;
	if (!colon || colon == v) {
		snprintf(err, errlen, "listen: expected HOST:PORT, e.g. 127.0.0.1:8080, got '%s'", v);
		return -1;
	}
	hl = (size_t)(colon - v);
	if (v[0] == '[' && hl >= 2 && v[hl - 1] == ']') {
		v++;
		hl -= 2;
	}
	if (hl >= sizeof(c->listen_host)) {
		snprintf(err, errlen, "listen: host too long");
		return -1;
	}
	if (config_int(colon + 1, 0, 65535, &c->listen_port)) {
		snprintf(err, errlen, "listen: port must be a number from 0 to 65535, got '%s'", colon + 1);
		return -1;
	}
	memcpy(c->listen_host, v, hl);
	c->listen_host[hl] = '\0';
	return 0;
}

static int config_set_smtp_url(struct config *c, const struct config_option *o, const char *v, char *err,
			       size_t errlen)
{
	if (*v && strncmp(v, "smtp://", 7) && strncmp(v, "smtps://", 8)) {
		snprintf(err, errlen,
			 "smtp-url: expected smtp://HOST[:PORT] or smtps://HOST[:PORT], got '%.100s'", v);
		return -1;
	}
	if (strchr(v, '@')) {
		snprintf(err, errlen,
			 "smtp-url: give the login with smtp-user and smtp-password, not in the URL");
		return -1;
	}
	return config_set_str(c, o, v, err, errlen);
}

static int config_set_mail_from(struct config *c, const struct config_option *o, const char *v, char *err,
				size_t errlen)
{
	if (!text_is_email(v)) {
		snprintf(err, errlen, "mail-from: expected an e-mail address, got '%.100s'", v);
		return -1;
	}
	return config_set_str(c, o, v, err, errlen);
}

/* --config FILE: the file's settings, where the option stands among the others. */
static int config_set_include(struct config *c, const struct config_option *o, const char *v, char *err,
			      size_t errlen)
{
	(void)o;
	return config_load_file(c, v, err, errlen);
}

#define CONFIG_BOTH (CONFIG_ARGV | CONFIG_FILE)
#define CONFIG_STR(field)                                                                                    \
	.set = config_set_str, .off = offsetof(struct config, field),                                        \
	.size = sizeof(((struct config *)0)->field)
#define CONFIG_INT(field, lo, hi)                                                                            \
	.set = config_set_int, .off = offsetof(struct config, field), .min = (lo), .max = (hi)
#define CONFIG_SECONDS(field) CONFIG_INT(field, 1, INT_MAX / 2)

/* Every option of majlisd, in the order --help lists them. */
static const struct config_option config_options[] = {
    {.name = "db",
     .arg = "FILE",
     .help = "SQLite database (created and migrated if needed; default majlis.db)",
     .where = CONFIG_BOTH,
     CONFIG_STR(db_path)},
    {.name = "listen",
     .arg = "HOST:PORT",
     .help = "address to listen on (default 127.0.0.1:8080)",
     .where = CONFIG_BOTH,
     .set = config_set_listen},
    {.name = "config",
     .arg = "FILE",
     .help = "read settings (key = value lines, same names as the options)",
     .where = CONFIG_ARGV,
     .set = config_set_include},
    {.name = "demo",
     .help = "load demo data into an empty database",
     .where = CONFIG_BOTH | CONFIG_FLAG,
     .set = config_set_bool,
     .off = offsetof(struct config, demo)},
    {.name = "skip-check",
     .help = "serve the database without the start-up quick check (emergencies: a\n"
	     "damaged file is otherwise refused)",
     .where = CONFIG_ARGV | CONFIG_FLAG,
     .set = config_set_bool,
     .off = offsetof(struct config, skip_check)},
    {.name = "tls-cert",
     .arg = "FILE",
     .help = "PEM certificate: serve HTTPS and WSS on the same port",
     .where = CONFIG_BOTH,
     CONFIG_STR(tls_cert)},
    {.name = "tls-key",
     .arg = "FILE",
     .help = "PEM private key for --tls-cert",
     .where = CONFIG_BOTH,
     CONFIG_STR(tls_key)},
    {.name = "web-root",
     .arg = "DIR",
     .help = "static client files (default web; must be a directory)",
     .where = CONFIG_BOTH,
     CONFIG_STR(web_root)},
    {.name = "public-url",
     .arg = "URL",
     .help = "base URL of links in answers, feeds and mails (default: the\n"
	     "--listen address, e.g. http://127.0.0.1:8080; never the Host header)",
     .where = CONFIG_BOTH,
     CONFIG_STR(public_url)},
    {.name = "calendar-domain",
     .arg = "NAME",
     .help = "right-hand side of iCalendar UIDs (default majlis.local)",
     .where = CONFIG_BOTH,
     CONFIG_STR(calendar_domain)},
    {.name = "log-level",
     .arg = "N",
     .help = "0 errors .. 4 debug (default 2)",
     .where = CONFIG_BOTH,
     CONFIG_INT(log_level, 0, 4)},
    {.name = "session-idle",
     .arg = "S",
     .help = "log out a browser session idle for S seconds (default 1800)",
     .where = CONFIG_BOTH,
     CONFIG_SECONDS(session_idle_s)},
    {.name = "session-absolute",
     .arg = "S",
     .help = "end any browser session after S seconds (default 43200)",
     .where = CONFIG_BOTH,
     CONFIG_SECONDS(session_absolute_s)},
    {.name = "body-timeout",
     .arg = "S",
     .help = "answer 408 when a request body takes longer (default 20)",
     .where = CONFIG_BOTH,
     CONFIG_SECONDS(body_timeout_s)},
    {.name = "keepalive-timeout",
     .arg = "S",
     .help = "close a kept-alive connection idle for S seconds (default 30)",
     .where = CONFIG_BOTH,
     CONFIG_SECONDS(keepalive_s)},
    {.name = "send-timeout",
     .arg = "S",
     .help = "close a connection whose client reads nothing for S seconds (default 60)",
     .where = CONFIG_BOTH,
     CONFIG_SECONDS(send_timeout_s)},
    {.name = "send-buffer",
     .arg = "BYTES",
     .help = "kernel send buffer per connection (default 0: the system's, autotuned)",
     .where = CONFIG_BOTH,
     CONFIG_INT(send_buffer, 4096, 64 * 1024 * 1024),
     .zero = "the system's",
     .unit = "bytes"},
    {.name = "tz-check",
     .arg = "S",
     .help = "look for a tz database upgrade every S seconds (default 60; 0: only\n"
	     "on SIGHUP)",
     .where = CONFIG_BOTH,
     CONFIG_INT(tz_check_s, 1, 86400),
     .zero = "only on SIGHUP",
     .unit = "seconds"},
    {.name = "smtp-url",
     .arg = "URL",
     .help = "mail server for notifications, smtp://HOST[:PORT] or smtps://...\n"
	     "(default none: notifications wait in the outbox); smtp-user and\n"
	     "smtp-password are read from --config only",
     .where = CONFIG_BOTH,
     .set = config_set_smtp_url,
     .off = offsetof(struct config, smtp_url),
     .size = sizeof(((struct config *)0)->smtp_url)},
    {.name = "smtp-user", .where = CONFIG_FILE | CONFIG_SECRET, CONFIG_STR(smtp_user)},
    {.name = "smtp-password", .where = CONFIG_FILE | CONFIG_SECRET, CONFIG_STR(smtp_password)},
    {.name = "mail-from",
     .arg = "ADDRESS",
     .help = "sender of notifications (default majlis@<calendar domain>)",
     .where = CONFIG_BOTH,
     .set = config_set_mail_from,
     .off = offsetof(struct config, mail_from),
     .size = sizeof(((struct config *)0)->mail_from)},
    {.name = "key-file",
     .arg = "FILE",
     .help = "key sealing personal links until mailed (default <db>.key, created)",
     .where = CONFIG_BOTH,
     CONFIG_STR(key_file)},
    {.name = "help",
     .help = "",
     .shown = "--help, --version",
     .where = CONFIG_ARGV | CONFIG_FLAG,
     .action = CONFIG_ARGS_HELP},
    {.name = "version", .where = CONFIG_ARGV | CONFIG_FLAG, .action = CONFIG_ARGS_VERSION},
};

#define CONFIG_N_OPTIONS (sizeof(config_options) / sizeof(config_options[0]))
#define CONFIG_HELP_COL	 22 /* width of --help's left column, after two spaces */

/* The option of this name that may be given where (a CONFIG_ARGV or CONFIG_FILE bit), or NULL. */
static const struct config_option *config_option(const char *name, unsigned where)
{
	for (size_t i = 0; i < CONFIG_N_OPTIONS; i++)
		if ((config_options[i].where & where) && !strcmp(config_options[i].name, name))
			return &config_options[i];
	return NULL;
}

void config_usage(FILE *f)
{
	for (size_t i = 0; i < CONFIG_N_OPTIONS; i++) {
		const struct config_option *o = &config_options[i];
		const char *h = o->help;
		char left[64];

		if (!h)
			continue;
		if (o->shown)
			snprintf(left, sizeof(left), "%s", o->shown);
		else
			snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		if (!*h) {
			fprintf(f, "  %s\n", left);
			continue;
		}
		fprintf(f, "  %-*s  ", CONFIG_HELP_COL, left);
		for (;;) {
			size_t n = strcspn(h, "\n");

			fprintf(f, "%.*s\n", (int)n, h);
			if (!h[n])
				break;
			h += n + 1;
			fprintf(f, "  %-*s  ", CONFIG_HELP_COL, "");
		}
	}
}

int config_args(struct config *c, int argc, char **argv, char *err, size_t errlen)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct config_option *o = NULL;

		if (!strcmp(a, "-h"))
			return CONFIG_ARGS_HELP;
		if (!strncmp(a, "--", 2))
			o = config_option(a + 2, CONFIG_ARGV | CONFIG_SECRET);
		if (o && (o->where & CONFIG_SECRET)) {
			snprintf(err, errlen,
				 "give %s in the --config file, not on the command line (which every user of "
				 "the machine can read)",
				 o->name);
			return CONFIG_ARGS_ERROR;
		}
		if (!o) {
			snprintf(err, errlen, "unknown option '%s' (see --help)", a);
			return CONFIG_ARGS_ERROR;
		}
		if (o->action != CONFIG_ARGS_OK)
			return o->action;
		if (o->where & CONFIG_FLAG) {
			if (o->set(c, o, "true", err, errlen))
				return CONFIG_ARGS_ERROR;
			continue;
		}
		if (i + 1 >= argc) {
			snprintf(err, errlen, "%s needs a value", a);
			return CONFIG_ARGS_ERROR;
		}
		if (o->set(c, o, argv[++i], err, errlen))
			return CONFIG_ARGS_ERROR;
	}
	return CONFIG_ARGS_OK;
}

int config_set(struct config *c, const char *key, const char *v, char *err, size_t errlen)
{
	const struct config_option *o = config_option(key, CONFIG_FILE);

	if (!o) {
		snprintf(err, errlen, "unknown setting '%s'", key);
		return -1;
	}
	return o->set(c, o, v, err, errlen);
}

int config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024], inner[512];
	int lineno = 0;
	char *k, *v, *e, *eq;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		k = line;
		while (*k == ' ' || *k == '\t')
			k++;
		if (*k == '#' || *k == '\n' || *k == '\0')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		v = eq + 1;
		for (e = eq - 1; e >= k && (*e == ' ' || *e == '\t'); e--)
			*e = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		e = v + strlen(v);
		while (e > v && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (config_set(c, k, v, inner, sizeof(inner))) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, inner);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

void config_base_url(const struct config *c, char *out, size_t outlen)
{
	size_t n = strlen(c->public_url);
	bool v6 = strchr(c->listen_host, ':') != NULL;

	while (n && c->public_url[n - 1] == '/')
		n--;
	if (n)
		snprintf(out, outlen, "%.*s", (int)n, c->public_url);
	else
		snprintf(out, outlen, "%s://%s%s%s:%d", c->tls_cert[0] ? "https" : "http", v6 ? "[" : "",
			 c->listen_host[0] ? c->listen_host : "127.0.0.1", v6 ? "]" : "", c->listen_port);
}

int config_validate(const struct config *c, char *err, size_t errlen)
{
	struct stat st;

	if (!c->tls_cert[0] != !c->tls_key[0]) {
		snprintf(err, errlen, "--tls-cert and --tls-key go together: give both or neither");
		return -1;
	}
	if (!c->db_path[0]) {
		snprintf(err, errlen, "--db needs a file name");
		return -1;
	}
	if (stat(c->web_root, &st)) {
		snprintf(err, errlen, "--web-root '%s': %s", c->web_root, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "--web-root '%s' is not a directory", c->web_root);
		return -1;
	}
	return 0;
}

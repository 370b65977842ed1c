/* config: defaults, parsing and validation of majlisd's settings; opens only the config file. */
#include "config.h"

#include <errno.h>
#include <limits.h>
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

static int config_str(char *dst, size_t n, const char *v, const char *key, char *err, size_t errlen)
{
	if (strlen(v) >= n) {
		snprintf(err, errlen, "%s: value too long (at most %zu characters)", key, n - 1);
		return -1;
	}
	snprintf(dst, n, "%s", v);
	return 0;
}

static int config_listen(struct config *c, const char *v, char *err, size_t errlen)
{
	const char *colon = strrchr(v, ':');
	size_t hl;

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

int config_set(struct config *c, const char *key, const char *v, char *err, size_t errlen)
{
	if (!strcmp(key, "db"))
		return config_str(c->db_path, sizeof(c->db_path), v, key, err, errlen);
	if (!strcmp(key, "listen"))
		return config_listen(c, v, err, errlen);
	if (!strcmp(key, "tls-cert"))
		return config_str(c->tls_cert, sizeof(c->tls_cert), v, key, err, errlen);
	if (!strcmp(key, "tls-key"))
		return config_str(c->tls_key, sizeof(c->tls_key), v, key, err, errlen);
	if (!strcmp(key, "web-root"))
		return config_str(c->web_root, sizeof(c->web_root), v, key, err, errlen);
	if (!strcmp(key, "public-url"))
		return config_str(c->public_url, sizeof(c->public_url), v, key, err, errlen);
	if (!strcmp(key, "calendar-domain"))
		return config_str(c->calendar_domain, sizeof(c->calendar_domain), v, key, err, errlen);
	if (!strcmp(key, "smtp-url")) {
		if (*v && strncmp(v, "smtp://", 7) && strncmp(v, "smtps://", 8)) {
			snprintf(err, errlen,
				 "smtp-url: expected smtp://HOST[:PORT] or smtps://HOST[:PORT], got '%.100s'",
				 v);
			return -1;
		}
		if (strchr(v, '@')) {
			snprintf(err, errlen,
				 "smtp-url: give the login with smtp-user and smtp-password, not in the URL");
			return -1;
		}
		return config_str(c->smtp_url, sizeof(c->smtp_url), v, key, err, errlen);
	}
	if (!strcmp(key, "smtp-user"))
		return config_str(c->smtp_user, sizeof(c->smtp_user), v, key, err, errlen);
	if (!strcmp(key, "smtp-password"))
		return config_str(c->smtp_password, sizeof(c->smtp_password), v, key, err, errlen);
	if (!strcmp(key, "mail-from")) {
		if (!text_is_email(v)) {
			snprintf(err, errlen, "mail-from: expected an e-mail address, got '%.100s'", v);
			return -1;
		}
		return config_str(c->mail_from, sizeof(c->mail_from), v, key, err, errlen);
	}
	if (!strcmp(key, "key-file"))
		return config_str(c->key_file, sizeof(c->key_file), v, key, err, errlen);
	if (!strcmp(key, "demo")) {
		if (strcmp(v, "true") && strcmp(v, "false")) {
			snprintf(err, errlen, "demo: expected true or false, got '%s'", v);
			return -1;
		}
		c->demo = !strcmp(v, "true");
		return 0;
	}
	if (!strcmp(key, "session-idle") || !strcmp(key, "session-absolute") ||
	    !strcmp(key, "body-timeout") || !strcmp(key, "keepalive-timeout") ||
	    !strcmp(key, "send-timeout") || !strcmp(key, "log-level")) {
		int *dst = !strcmp(key, "session-idle")	       ? &c->session_idle_s
			   : !strcmp(key, "session-absolute")  ? &c->session_absolute_s
			   : !strcmp(key, "body-timeout")      ? &c->body_timeout_s
			   : !strcmp(key, "keepalive-timeout") ? &c->keepalive_s
			   : !strcmp(key, "send-timeout")      ? &c->send_timeout_s
							       : &c->log_level;
		int max = !strcmp(key, "log-level") ? 4 : INT_MAX / 2;
		int min = !strcmp(key, "log-level") ? 0 : 1;

		if (config_int(v, min, max, dst)) {
			snprintf(err, errlen, "%s: expected a whole number from %d to %d, got '%s'", key, min,
				 max, v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "tz-check")) {
		if (config_int(v, 0, 86400, &c->tz_check_s)) {
			snprintf(err, errlen,
				 "%s: expected 0 (only on SIGHUP) or seconds from 1 to 86400, got '%s'", key,
				 v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "send-buffer")) {
		if (config_int(v, 0, 64 * 1024 * 1024, &c->send_buffer) ||
		    (c->send_buffer && c->send_buffer < 4096)) {
			snprintf(err, errlen,
				 "%s: expected 0 (the system's) or bytes from 4096 to 67108864, got '%s'",
				 key, v);
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "unknown setting '%s'", key);
	return -1;
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

/*
 * config: majlisd's settings, their defaults, and their validation from argv and a config file, with
 * messages that say exactly what is wrong; it opens no file but the config file itself.
 */
#ifndef MAJLIS_CONFIG_H
#define MAJLIS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One per process, filled before the service starts, read-only afterwards (any thread). */
struct config {
	char db_path[512];
	char listen_host[128];
	int listen_port;
	char tls_cert[512];
	char tls_key[512];
	char web_root[512];	   /* static client files */
	char public_url[256];	   /* base URL of links, e.g. https://majlis.example.org (config_base_url) */
	char calendar_domain[128]; /* right-hand side of iCalendar UIDs; never the host of the moment */
	bool demo;		   /* load demo data into an empty database */
	bool skip_check;	   /* serve the database without the start-up quick check (emergencies) */
	int session_idle_s;	   /* cookie session idle timeout */
	int session_absolute_s;	   /* cookie session absolute timeout */
	int body_timeout_s;	   /* a body must arrive within this (408 otherwise) */
	int keepalive_s;	   /* close a kept-alive connection idle for this long */
	int send_timeout_s;	   /* close a connection whose client takes no answer bytes for this long */
	int send_buffer;	   /* SO_SNDBUF of each connection in bytes; 0: the system's (autotuned) */
	int log_level;		   /* 0 err .. 4 debug */
	int tz_check_s;		   /* look for a tz database upgrade this often (0: only on SIGHUP) */
	char smtp_url[256];  /* smtp://host[:port] or smtps://...; empty: notifications wait in the outbox */
	char smtp_user[128]; /* SMTP AUTH login, optional */
	char smtp_password[128]; /* SMTP AUTH password (config file only: never on a command line) */
	char mail_from[128];	 /* sender address; default majlis@<calendar_domain> */
	char key_file[512];	 /* 64 hex digits sealing personal links until mailed; default <db>.key */
	char link_key[65]; /* those 64 hex digits, read from key_file by main before serving ("": none) */
};

/* What config_args found besides settings. */
enum config_args_rc {
	CONFIG_ARGS_ERROR = -1,	 /* a bad option or value: the reason is in err */
	CONFIG_ARGS_OK = 0,	 /* every argument was a setting */
	CONFIG_ARGS_HELP = 1,	 /* --help or -h: print the usage (config_usage lists the options) */
	CONFIG_ARGS_VERSION = 2, /* --version */
};

/*
 * Every setting is one row of config.c's option table, which drives the three ways to give it: the
 * command line (--NAME VALUE, or --NAME alone for a flag), a config file (NAME = VALUE) and the option
 * list of --help. Any thread may call these before the service starts; they touch only c (and the file).
 */
void config_defaults(struct config *c);
/* Reads the server's options argv[1..argc-1] into c, in order (a later one wins, --config FILE reads FILE
 * where it stands), and stops at --help, -h or --version. Returns a config_args_rc; for CONFIG_ARGS_ERROR
 * the reason is in err ("unknown option '--x' (see --help)", "--db needs a value", a value's problem). */
int config_args(struct config *c, int argc, char **argv, char *err, size_t errlen);
/* Writes the option list of --help, one "  --NAME ARG  help" row per option in table order, to f. */
void config_usage(FILE *f);
/* Reads "key = value" lines (# comments) into c. Returns 0, or -1 with a reason "file:line: ..." in err. */
int config_load_file(struct config *c, const char *path, char *err, size_t errlen);
/* Sets one config-file key ("db", "listen", "tls-cert", ...) from text. Returns 0 or -1 with a reason in
 * err ("unknown setting 'x'" for a key a config file may not hold). */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);
/* The base of every absolute link majlisd writes (API answers, pages, mails, feeds), from the
 * configuration only, never from a request: public_url without its trailing '/', else the listening
 * address, "http(s)://HOST:PORT" (an IPv6 host in brackets). Any thread. */
void config_base_url(const struct config *c, char *out, size_t outlen);
/* Cross-field checks (cert without key, ...) and that the web root is a directory. Returns 0 or -1 with a
 * reason. */
int config_validate(const struct config *c, char *err, size_t errlen);

#endif

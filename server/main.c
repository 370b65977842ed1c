/*
 * main: argv and config, sub-commands, the lws context, vhost, mounts, signals and the service loop;
 * nothing else — every decision about requests lives below the transport.
 */
#include <errno.h>
#include <libwebsockets.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/app.h"
#include "calendar/tz.h"
#include "config.h"
#include "domain/auth.h"
#include "domain/demo.h"
#include "domain/feeds.h"
#include "domain/outbox.h"
#include "domain/sessions.h"
#include "domain/system.h"
#include "notifications/worker.h"
#include "store/db.h"
#include "transport/accept.h"
#include "transport/files.h"
#include "transport/http.h"
#include "transport/live.h"
#include "transport/wake.h"
#include "util/log.h"
#include "util/secret.h"

#define MAIN_DRAIN_SECONDS   10
#define MAIN_BUSY_TIMEOUT_MS 250

static volatile sig_atomic_t main_stop;
static volatile sig_atomic_t main_hup;
static int main_tz_retry; /* re-deriving session times failed (database busy): the tz timer tries again */

static void main_on_signal(int sig)
{
	if (sig == SIGHUP)
		main_hup = 1;
	else
		main_stop = 1;
}

static void usage(FILE *f)
{
	fputs(
	    "usage: majlisd [options]\n"
	    "       majlisd token create --db FILE --role ROLE [--org ID] [--label TEXT]\n"
	    "       majlisd backup --db FILE OUT\n"
	    "\n"
	    "Serves Majlis: trainings, workshops and concertations, their registrations and calendars.\n"
	    "\n"
	    "options:\n"
	    "  --db FILE               SQLite database (created and migrated if needed; default majlis.db)\n"
	    "  --listen HOST:PORT      address to listen on (default 127.0.0.1:8080)\n"
	    "  --config FILE           read settings (key = value lines, same names as the options)\n"
	    "  --demo                  load demo data into an empty database\n"
	    "  --skip-check            serve the database without the start-up quick check (emergencies: a\n"
	    "                          damaged file is otherwise refused)\n"
	    "  --tls-cert FILE         PEM certificate: serve HTTPS and WSS on the same port\n"
	    "  --tls-key FILE          PEM private key for --tls-cert\n"
	    "  --web-root DIR          static client files (default web; must be a directory)\n"
	    "  --public-url URL        base URL of links in answers, feeds and mails (default: the\n"
	    "                          --listen address, e.g. http://127.0.0.1:8080; never the Host header)\n"
	    "  --calendar-domain NAME  right-hand side of iCalendar UIDs (default majlis.local)\n"
	    "  --log-level N           0 errors .. 4 debug (default 2)\n"
	    "  --session-idle S        log out a browser session idle for S seconds (default 1800)\n"
	    "  --session-absolute S    end any browser session after S seconds (default 43200)\n"
	    "  --body-timeout S        answer 408 when a request body takes longer (default 20)\n"
	    "  --keepalive-timeout S   close a kept-alive connection idle for S seconds (default 30)\n"
	    "  --send-timeout S        close a connection whose client reads nothing for S seconds (default "
	    "60)\n"
	    "  --send-buffer BYTES     kernel send buffer per connection (default 0: the system's, "
	    "autotuned)\n"
	    "  --tz-check S            look for a tz database upgrade every S seconds (default 60; 0: only\n"
	    "                          on SIGHUP)\n"
	    "  --smtp-url URL          mail server for notifications, smtp://HOST[:PORT] or smtps://...\n"
	    "                          (default none: notifications wait in the outbox); smtp-user and\n"
	    "                          smtp-password are read from --config only\n"
	    "  --mail-from ADDRESS     sender of notifications (default majlis@<calendar domain>)\n"
	    "  --key-file FILE         key sealing personal links until mailed (default <db>.key, created)\n"
	    "  --help, --version\n"
	    "\n"
	    "roles: admin, organiser, checkin, viewer\n"
	    "signals: TERM/INT stop after in-flight requests; HUP re-reads the tz database\n",
	    f);
}

static int main_open_db(const char *path, int flags, struct db **db)
{
	char err[512];

	if (db_open(path, flags, db, err, sizeof(err))) {
		fprintf(stderr, "majlisd: %s\n", err);
		return -1;
	}
	return 0;
}

/* majlisd token create --db FILE --role ROLE [--org ID] [--label TEXT] */
static int main_token(int argc, char **argv)
{
	const char *dbpath = NULL, *label = NULL;
	enum role role = ROLE_NONE;
	long long org = 0;
	char token[SECRET_TOKEN_LEN + 1];
	struct dom_err err;
	struct db *db;
	char *end;
	int rc;

	if (argc < 3 || strcmp(argv[2], "create")) {
		fputs("usage: majlisd token create --db FILE --role ROLE [--org ID] [--label TEXT]\n",
		      stderr);
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (i + 1 >= argc) {
			fprintf(stderr, "majlisd: %s needs a value\n", argv[i]);
			return 2;
		}
		if (!strcmp(argv[i], "--db")) {
			dbpath = argv[++i];
		} else if (!strcmp(argv[i], "--role")) {
			role = role_parse(argv[++i]);
			if (role == ROLE_NONE) {
				fprintf(stderr,
					"majlisd: --role must be admin, organiser, checkin or viewer\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--org")) {
			errno = 0;
			org = strtoll(argv[++i], &end, 10);
			if (errno || *end || org <= 0) {
				fprintf(stderr,
					"majlisd: --org must be an organisation id (a positive number)\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--label")) {
			label = argv[++i];
		} else {
			fprintf(stderr, "majlisd: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!dbpath || role == ROLE_NONE) {
		fputs("majlisd: token create needs --db FILE and --role ROLE\n", stderr);
		return 2;
	}
	if (main_open_db(dbpath, DB_MIGRATE, &db))
		return 1;
	rc = auth_token_create(db, role, org, label ? label : "cli", token, NULL, &err);
	db_close(db);
	if (rc) {
		fprintf(stderr, "majlisd: %s\n", err.message);
		return 1;
	}
	printf("%s\n", token);
	return 0;
}

/* majlisd backup --db FILE OUT */
static int main_backup(int argc, char **argv)
{
	char err[512];
	struct db *db;
	int rc;

	if (argc != 5 || strcmp(argv[2], "--db")) {
		fputs("usage: majlisd backup --db FILE OUT\n", stderr);
		return 2;
	}
	if (main_open_db(argv[3], 0, &db))
		return 1;
	rc = db_backup(db, argv[4], err, sizeof(err));
	db_close(db);
	if (rc) {
		fprintf(stderr, "majlisd: %s\n", err);
		return 1;
	}
	printf("backup written to %s\n", argv[4]);
	return 0;
}

static int main_args(struct config *cfg, int argc, char **argv)
{
	static const char *const valued[] = {"--db",
					     "--listen",
					     "--config",
					     "--tls-cert",
					     "--tls-key",
					     "--web-root",
					     "--public-url",
					     "--calendar-domain",
					     "--log-level",
					     "--session-idle",
					     "--session-absolute",
					     "--body-timeout",
					     "--keepalive-timeout",
					     "--send-timeout",
					     "--send-buffer",
					     "--tz-check",
					     "--smtp-url",
					     "--mail-from",
					     "--key-file",
					     NULL};
	char err[512];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool takes = false;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(a, "--version")) {
			printf("majlisd %s\n", MAJLIS_VERSION);
			exit(0);
		}
		if (!strcmp(a, "--demo")) {
			cfg->demo = true;
			continue;
		}
		if (!strcmp(a, "--skip-check")) {
			cfg->skip_check = true;
			continue;
		}
		if (!strcmp(a, "--smtp-user") || !strcmp(a, "--smtp-password")) {
			fprintf(stderr,
				"majlisd: give %s in the --config file, not on the command line (which "
				"every user of the machine can read)\n",
				a + 2);
			return -1;
		}
		for (int k = 0; valued[k]; k++)
			takes = takes || !strcmp(a, valued[k]);
		if (!takes) {
			fprintf(stderr, "majlisd: unknown option '%s' (see --help)\n", a);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "majlisd: %s needs a value\n", a);
			return -1;
		}
		if (!strcmp(a, "--config")) {
			if (config_load_file(cfg, argv[++i], err, sizeof(err))) {
				fprintf(stderr, "majlisd: %s\n", err);
				return -1;
			}
			continue;
		}
		if (config_set(cfg, a + 2, argv[++i], err, sizeof(err))) {
			fprintf(stderr, "majlisd: %s\n", err);
			return -1;
		}
	}
	if (config_validate(cfg, err, sizeof(err))) {
		fprintf(stderr, "majlisd: %s\n", err);
		return -1;
	}
	return 0;
}

/* The notifications worker, when --smtp-url is set: started and stopped by main on the service thread. */
static struct notify *main_notify;

/* The change sink: a commit of this process (seq) reaches the feed cache before the next request, wakes
 * the live (WebSocket) clients and the notifications worker. */
static void main_on_change(void *ctx, int64_t seq)
{
	(void)ctx;
	feeds_changed(seq);
	transport_live_changed();
	notify_kick(main_notify); /* the commit may have written outbox rows */
}

/* Re-derives every session's UTC instant from its wall time with the tz database as it is now; the
 * attendees of sessions that moved are notified (outbox) once. */
static void main_refresh_times(struct app *app)
{
	struct dom_err err;
	int moved = tz_refresh_sessions(app->db, (int64_t)time(NULL), &err);

	if (moved < 0) {
		log_err("re-deriving session times failed: %s; trying again shortly", err.message);
		main_tz_retry = 1;
	} else if (moved > 0) {
		log_notice("%d session(s) moved in UTC after a time-zone database change", moved);
		main_on_change(NULL, 0); /* their change-log and outbox rows are committed */
	}
}

/* Extensions lws does not know, or knows without a charset, for the static client. */
static const struct lws_protocol_vhost_options main_mimetypes[] = {
    {&main_mimetypes[1], NULL, ".mjs", "text/javascript; charset=utf-8"},
    {&main_mimetypes[2], NULL, ".js", "text/javascript; charset=utf-8"},
    {&main_mimetypes[3], NULL, ".css", "text/css; charset=utf-8"},
    {&main_mimetypes[4], NULL, ".html", "text/html; charset=utf-8"},
    {&main_mimetypes[5], NULL, ".svg", "image/svg+xml"},
    {&main_mimetypes[6], NULL, ".ics", "text/calendar; charset=utf-8"},
    {NULL, NULL, ".webmanifest", "application/manifest+json"},
};

/* Prefixes answered by the API callback; everything else is a static file of web_root. lws picks a
 * matching callback mount over the file mount "/" (a mount matches its own path and the paths below
 * it, not "/apix"). "/r" serves the participant's page for /r/<token> from the callback. */
static const char *const main_callback_mounts[] = {"/api", "/calendar", "/healthz", "/r"};
#define MAIN_N_MOUNTS (sizeof(main_callback_mounts) / sizeof(main_callback_mounts[0]) + 1)

/* Fills the vhost's mount list (linked in array order; cfg must outlive the context). */
static void main_mounts(const struct config *cfg, struct lws_http_mount mounts[MAIN_N_MOUNTS])
{
	size_t i;

	memset(mounts, 0, MAIN_N_MOUNTS * sizeof(mounts[0]));
	for (i = 0; i < MAIN_N_MOUNTS - 1; i++) {
		mounts[i].mount_next = &mounts[i + 1];
		mounts[i].mountpoint = main_callback_mounts[i];
		mounts[i].mountpoint_len = (unsigned char)strlen(main_callback_mounts[i]);
		mounts[i].origin = "http";
		mounts[i].origin_protocol = LWSMPRO_CALLBACK;
		/* named, lws marks the connection as in a transaction until the answer is out, and leaves a
		 * pipelined request's bytes unparsed until then (else it parses them at once, ending this
		 * transaction under the transport, and neither is answered) */
		mounts[i].protocol = "http";
	}
	mounts[i].mountpoint = "/";
	mounts[i].mountpoint_len = 1;
	mounts[i].origin = cfg->web_root;
	mounts[i].origin_protocol = LWSMPRO_FILE;
	mounts[i].def = "index.html";
	mounts[i].extra_mimetypes = main_mimetypes;
	/* files change with releases: cache briefly, then revalidate (lws answers If-None-Match) */
	mounts[i].cache_max_age = 300;
	mounts[i].cache_reusable = 1;
	mounts[i].cache_revalidate = 1;
	mounts[i].cache_intermediaries = 0;
}

/* Every --tz-check seconds (every minute when 0): when a tzdata upgrade replaced the zone files, or the
 * last re-derivation of session times failed, do what SIGHUP does (the loop sees main_hup after this
 * pass). */
static struct {
	lws_sorted_usec_list_t sul;
	struct lws_context *ctx;
	int every_s;
	bool watch; /* compare the zone files (--tz-check > 0); else only retry a failed re-derivation */
} main_tzwatch;

static void main_tz_check(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	if (main_tzwatch.watch && tz_db_changed()) {
		log_notice("the time zone database changed on disk");
		main_hup = 1;
	}
	if (main_tz_retry) {
		main_tz_retry = 0;
		main_hup = 1;
	}
	lws_sul_schedule(main_tzwatch.ctx, 0, &main_tzwatch.sul, main_tz_check,
			 (lws_usec_t)main_tzwatch.every_s * LWS_US_PER_SEC);
}

/* Service thread, when the worker's post is delivered: outcomes of notifications are in the change log. */
static void main_notify_changed(void *arg)
{
	(void)arg;
	transport_live_changed();
}

/* The one signal of the notifications worker; posted from its thread, run on the service thread. */
static struct wake_signal main_notify_signal = {.fn = main_notify_changed};

/* The notifications worker recorded an outcome: post it on the loop's completion path (any thread). */
static void main_notify_wake(void *arg)
{
	wake_post(arg);
}

/* The key personal links are sealed under until mailed: --key-file, else <db>.key. Returns 0 or -1. */
static int main_key(struct config *cfg)
{
	char key[OUTBOX_KEY_LEN + 1], err[600];

	if (!cfg->key_file[0] && snprintf(cfg->key_file, sizeof(cfg->key_file), "%s.key", cfg->db_path) >=
				     (int)sizeof(cfg->key_file)) {
		fprintf(stderr, "majlisd: --db is too long to derive the key file's name; give --key-file\n");
		return -1;
	}
	if (secret_key_file(cfg->key_file, key, err, sizeof(err))) {
		fprintf(stderr, "majlisd: %s\n", err);
		return -1;
	}
	outbox_set_key(key);
	secret_wipe(key, sizeof(key));
	return 0;
}

/* The periodic deletion of expired sessions, idempotency answers and login-failure windows: one lws
 * timer on the service thread. */
static struct {
	lws_sorted_usec_list_t sul;
	struct lws_context *ctx;
	struct app *app;
} main_house;

static void main_housekeeping(lws_sorted_usec_list_t *sul)
{
	const struct config *cfg = main_house.app->cfg;
	struct dom_err err;
	int n;

	(void)sul;
	n = system_housekeeping(main_house.app->db, (int64_t)time(NULL), cfg->session_idle_s,
				cfg->session_absolute_s, &err);
	if (n < 0)
		log_warn("housekeeping: %s", err.message);
	else if (n > 0)
		log_info("housekeeping: %d expired row(s) deleted", n);
	lws_sul_schedule(main_house.ctx, 0, &main_house.sul, main_housekeeping,
			 (lws_usec_t)SYSTEM_HOUSEKEEPING_EVERY_S * LWS_US_PER_SEC);
}

/* The look at the write-ahead log every SYSTEM_WAL_TICK_S: one lws timer on the service thread. */
static struct {
	lws_sorted_usec_list_t sul;
	struct lws_context *ctx;
	struct db *db;
	struct system_state *sys;
} main_wal;

static void main_wal_tick(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	system_wal_tick(main_wal.sys, main_wal.db, (int64_t)time(NULL));
	lws_sul_schedule(main_wal.ctx, 0, &main_wal.sul, main_wal_tick,
			 (lws_usec_t)SYSTEM_WAL_TICK_S * LWS_US_PER_SEC);
}

/* Replaces cfg->web_root by its absolute path without symbolic links, the root static files must lie
 * under (transport/files). Returns 0 or -1 with a message. */
static int main_web_root(struct config *cfg)
{
	char *root = realpath(cfg->web_root, NULL);
	int n;

	if (!root) {
		fprintf(stderr, "majlisd: --web-root '%s': %s\n", cfg->web_root, strerror(errno));
		return -1;
	}
	n = snprintf(cfg->web_root, sizeof(cfg->web_root), "%s", root);
	free(root);
	if (n >= (int)sizeof(cfg->web_root)) {
		fprintf(stderr, "majlisd: --web-root: the directory's full path is too long\n");
		return -1;
	}
	return 0;
}

/* Why the context could not be created, for the message at start: binds a socket of its own to the listen
 * address (as lws does, with SO_REUSEADDR) to name the system's reason, e.g. an address this host does not
 * have or a port in use. */
static void main_listen_error(const struct config *cfg)
{
	struct addrinfo hints, *ai = NULL;
	char port[8];
	int rc, one = 1, fd = -1, err = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = strchr(cfg->listen_host, ':') ? AF_INET6 : AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", cfg->listen_port);
	rc = getaddrinfo(cfg->listen_host[0] ? cfg->listen_host : NULL, port, &hints, &ai);
	if (rc) {
		fprintf(stderr, "majlisd: cannot listen on %s:%d: %s\n", cfg->listen_host, cfg->listen_port,
			gai_strerror(rc));
		return;
	}
	fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 1))
		err = errno;
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	if (err == EADDRNOTAVAIL)
		fprintf(stderr, "majlisd: cannot listen on %s:%d: this host has no such address\n",
			cfg->listen_host, cfg->listen_port);
	else if (err)
		fprintf(stderr, "majlisd: cannot listen on %s:%d: %s\n", cfg->listen_host, cfg->listen_port,
			strerror(err));
	else
		fprintf(stderr, "majlisd: cannot start serving on %s:%d (are the TLS files readable?)\n",
			cfg->listen_host, cfg->listen_port);
}

static void main_lws_log(int level, const char *line)
{
	size_t n = strlen(line);

	if (level == LLL_ERR && transport_accept_lws_log(line))
		return; /* at the descriptor limit: handled and logged once per episode there */
	while (n && line[n - 1] == '\n')
		n--;
	log_emit(level == LLL_ERR    ? LOG_LEVEL_ERR
		 : level == LLL_WARN ? LOG_LEVEL_WARN
				     : LOG_LEVEL_INFO,
		 "lws", "%.*s", (int)n, line);
}

/*
 * Applies the test-only PBKDF2 cost (util/secret.h PASSWORD_TEST_ENV): a build with test hooks logs a
 * loud warning when it lowers the cost; a build without them keeps the production floor and says so.
 */
static void main_test_iterations(void)
{
	long iter = password_iterations_from_env();

	if (iter > 0 && iter < PASSWORD_ITERATIONS)
		log_warn("TEST BUILD: %s=%ld lowers password hashing below the production floor of %d "
			 "iterations; never run this binary with real accounts",
			 PASSWORD_TEST_ENV, iter, PASSWORD_ITERATIONS);
	else if (iter < 0)
		log_warn("%s ignored: this build keeps %lu PBKDF2 iterations (a lower count needs a test "
			 "build and a decimal count of at least 1000)",
			 PASSWORD_TEST_ENV, password_iterations());
}

int main(int argc, char **argv)
{
	static struct lws_http_mount mounts[MAIN_N_MOUNTS];
	struct lws_protocols proto_list[3];
	struct lws_context_creation_info info;
	struct lws_context *ctx;
	struct config cfg;
	struct app app;
	struct db *db;
	time_t drain_until = 0;
	int n = 0;

	if (argc > 1 && !strcmp(argv[1], "token"))
		return main_token(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "backup"))
		return main_backup(argc, argv);

	config_defaults(&cfg);
	if (main_args(&cfg, argc, argv) || main_web_root(&cfg))
		return 2;
	log_set_level((enum log_level)cfg.log_level);
	lws_set_log_level(LLL_ERR | LLL_WARN | (cfg.log_level >= 4 ? LLL_NOTICE : 0), main_lws_log);

	main_test_iterations();

	if (main_key(&cfg) || main_open_db(cfg.db_path, DB_MIGRATE | (cfg.skip_check ? 0 : DB_CHECK), &db))
		return 1;
	if (cfg.skip_check)
		log_warn(
		    "--skip-check: %s is served without the quick check; /healthz reports damage once met",
		    cfg.db_path);
	/* the loop answers 503 rather than stall every client behind another process's write lock */
	db_set_busy_timeout(db, MAIN_BUSY_TIMEOUT_MS);
	if (cfg.demo) {
		struct dom_err err;

		if (demo_load(db, &err)) {
			fprintf(stderr, "majlisd: demo data: %s\n", err.message);
			db_close(db);
			return 1;
		}
	}

	memset(&app, 0, sizeof(app));
	app.cfg = &cfg;
	app.db = db;
	app.sink.changed = main_on_change;
	transport_http_init(&app);
	system_tz_check(&app.system);
	main_refresh_times(&app);

	main_mounts(&cfg, mounts);
	proto_list[0] = transport_http_protocol;
	proto_list[1] = transport_live_protocol;
	memset(&proto_list[2], 0, sizeof(proto_list[2]));

	memset(&info, 0, sizeof(info));
	info.port = cfg.listen_port;
	info.iface = cfg.listen_host;
	info.protocols = proto_list;
	info.mounts = mounts;
	info.pt_serv_buf_size = 64 * 1024;
	info.max_http_header_data = 8192;
	info.timeout_secs = 30;
	info.keepalive_timeout = cfg.keepalive_s; /* the transport keeps idle connections itself */
	/* an address this host does not have fails the start (lws would run without a listening socket) */
	info.options = LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE |
		       LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
	/* lws 4.1 on an IPv6 socket binds every interface when given an IPv4 address: listen on an IPv4
	 * socket for an IPv4 (or empty) host so that 127.0.0.1 means loopback only */
	if (!strchr(cfg.listen_host, ':'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	if (cfg.tls_cert[0]) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = cfg.tls_cert;
		info.ssl_private_key_filepath = cfg.tls_key;
	}

	ctx = lws_create_context(&info);
	if (!ctx) {
		main_listen_error(&cfg);
		db_close(db);
		return 1;
	}
	transport_files_restrict(ctx, cfg.web_root);
	transport_accept_init(cfg.listen_port);
	if (transport_http_start(ctx)) {
		lws_context_destroy(ctx);
		db_close(db);
		return 1;
	}
	transport_live_init(&app, ctx);
	if (cfg.smtp_url[0])
		main_notify = notify_start(&cfg, main_notify_wake, &main_notify_signal);
	if (!cfg.smtp_url[0]) {
		log_notice("no --smtp-url: notifications are kept in the outbox, not sent");
	} else if (!main_notify) {
		fprintf(stderr, "majlisd: cannot start the notifications worker\n");
		transport_http_stop();
		lws_context_destroy(ctx);
		db_close(db);
		return 1;
	}
	main_house.ctx = ctx;
	main_house.app = &app;
	lws_sul_schedule(ctx, 0, &main_house.sul, main_housekeeping, LWS_US_PER_SEC);
	main_wal.ctx = ctx;
	main_wal.db = db;
	main_wal.sys = &app.system;
	lws_sul_schedule(ctx, 0, &main_wal.sul, main_wal_tick,
			 (lws_usec_t)SYSTEM_WAL_TICK_S * LWS_US_PER_SEC);
	tz_db_changed(); /* takes note of the files the database was read from */
	main_tzwatch.ctx = ctx;
	main_tzwatch.watch = cfg.tz_check_s > 0;
	main_tzwatch.every_s = cfg.tz_check_s > 0 ? cfg.tz_check_s : 60;
	lws_sul_schedule(ctx, 0, &main_tzwatch.sul, main_tz_check,
			 (lws_usec_t)main_tzwatch.every_s * LWS_US_PER_SEC);
	signal(SIGINT, main_on_signal);
	signal(SIGTERM, main_on_signal);
	signal(SIGHUP, main_on_signal);
	signal(SIGPIPE, SIG_IGN);
	log_notice("majlisd %s listening on %s://%s:%d/ (database %s)", MAJLIS_VERSION,
		   cfg.tls_cert[0] ? "https" : "http", cfg.listen_host, cfg.listen_port, cfg.db_path);
	printf("Majlis is running at %s://%s:%d/\n", cfg.tls_cert[0] ? "https" : "http", cfg.listen_host,
	       cfg.listen_port);
	if (cfg.demo)
		printf("Demo admin login: %s / %s\n", DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD);
	fflush(stdout);

	while (n >= 0) {
		if (main_hup) {
			main_hup = 0;
			tz_reload();
			log_notice("time zone database reloaded");
			system_tz_check(&app.system);
			main_refresh_times(&app);
			feeds_invalidate_all();
		}
		if (main_stop && !drain_until) {
			transport_http_drain();
			drain_until = time(NULL) + MAIN_DRAIN_SECONDS;
			log_notice("stopping: finishing %d request(s) in flight", transport_http_active());
		}
		if (drain_until && (!transport_http_active() || time(NULL) >= drain_until))
			break;
		feeds_pass_begin();
		n = lws_service(ctx, drain_until ? 100 : 0);
	}
	notify_stop(main_notify);
	main_notify = NULL;
	wake_deliver(); /* the worker's last post reaches live clients while they are still served */
	lws_sul_cancel(&main_house.sul);
	lws_sul_cancel(&main_tzwatch.sul);
	lws_sul_cancel(&main_wal.sul);
	transport_live_stop();
	transport_http_stop();
	lws_context_destroy(ctx);
	transport_accept_stop();
	feeds_invalidate_all();
	tz_reload();
	db_close(db);
	log_notice("stopped cleanly");
	return 0;
}

/*
 * main: the composition root — the lws context, vhost, mounts, signals, timers and the service loop, wired
 * from the configuration that cli.c reads; nothing else — every decision about requests lives below the
 * transport.
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
#include "api/feed_cache.h"
#include "calendar/tz.h"
#include "cli.h"
#include "config.h"
#include "domain/demo.h"
#include "domain/sessions.h"
#include "domain/system.h"
#include "notifications/worker.h"
#include "store/db.h"
#include "transport/accept.h"
#include "transport/http.h"
#include "transport/live.h"
#include "transport/static.h"
#include "transport/transport.h"
#include "transport/wake.h"
#include "util/log.h"
#include "util/secret.h"

#define MAIN_DRAIN_SECONDS   10
#define MAIN_BUSY_TIMEOUT_MS 250

/* The signals' flags: signals are the process's, so these stay process-wide (set by the handler, read
 * and cleared by the service loop); every instance's loop would read them. */
static volatile sig_atomic_t main_stop;
static volatile sig_atomic_t main_hup;

static void main_on_signal(int sig)
{
	if (sig == SIGHUP)
		main_hup = 1;
	else
		main_stop = 1;
}

/*
 * One server instance: its app, its transport (its lws context's user pointer), its notifications worker
 * and its timers, so that two instances could run in one process. One per lws context, on main()'s stack
 * for the life of the service loop; only that context's service thread touches it, except
 * notify_signal's list fields, which the notifications worker posts under the transport's wake lock.
 */
struct main_server {
	struct app app;
	struct transport transport;
	struct lws_context *ctx;
	struct notify *notify;		  /* --smtp-url's worker (started and stopped by main), or NULL */
	struct wake_signal notify_signal; /* the worker's one signal: posted from its thread */
	lws_sorted_usec_list_t house_sul; /* expired rows deleted every SYSTEM_HOUSEKEEPING_EVERY_S */
	lws_sorted_usec_list_t wal_sul;	  /* the look at the write-ahead log every SYSTEM_WAL_TICK_S */
	lws_sorted_usec_list_t tz_sul;	  /* every tz_every_s: the zone files, or a failed re-derivation */
	struct tz_db_seen tz_seen;	  /* the zone files at the previous look */
	int tz_every_s;
	bool tz_watch;	/* compare the zone files (--tz-check > 0); else only retry a failed re-derivation */
	bool tz_retry;	/* re-deriving session times failed (database busy): the tz timer tries again */
	bool tz_reload; /* the tz timer asks the loop for what SIGHUP does */
};

/* The change sink: a commit of this instance (seq) reaches the feed cache before the next request, wakes
 * the live (WebSocket) clients and the notifications worker. */
static void main_on_change(void *ctx, int64_t seq)
{
	struct main_server *srv = ctx;

	(void)seq;
	feed_cache_changed(srv->app.feeds);
	transport_live_changed(&srv->transport);
	notify_kick(srv->notify); /* the commit may have written outbox rows */
}

/* Re-derives every session's UTC instant from its wall time with the tz database as it is now; the
 * attendees of sessions that moved are notified (outbox) once. */
static void main_refresh_times(struct main_server *srv)
{
	struct dom_err err;
	int moved = sessions_tz_refresh(srv->app.db, (int64_t)time(NULL), &err);

	if (moved < 0) {
		log_err("re-deriving session times failed: %s; trying again shortly", err.message);
		srv->tz_retry = true;
	} else if (moved > 0) {
		log_notice("%d session(s) moved in UTC after a time-zone database change", moved);
		main_on_change(srv, 0); /* their change-log and outbox rows are committed */
	}
}

/* Paths the API answers (each covers itself and the paths below it, not "/apix"); every other GET or HEAD
 * is a static file of --web-root (transport/static.c). "/r" serves the participant's page for /r/<token>,
 * "/e" an event's page for /e/<id>; "/login", "/admin" and "/dashboard" the back office's pages. */
static const char *const main_api_prefixes[] = {"/api", "/calendar", "/healthz", "/r",
						"/e",	"/login",    "/admin",	 "/dashboard"};

/* Fills the vhost's one mount: every path goes to the transport's callback, static files included. Named,
 * lws marks the connection as in a transaction until the answer is out, and leaves a pipelined request's
 * bytes unparsed until then (else it parses them at once, ending this transaction under the transport, and
 * neither is answered; its own file mount misparsed what followed a file and answered it 403). */
static void main_mount(struct lws_http_mount *mount)
{
	memset(mount, 0, sizeof(*mount));
	mount->mountpoint = "/";
	mount->mountpoint_len = 1;
	mount->origin = "http";
	mount->origin_protocol = LWSMPRO_CALLBACK;
	mount->protocol = "http";
}

/* Every --tz-check seconds (every minute when 0): when a tzdata upgrade replaced the zone files, or the
 * last re-derivation of session times failed, do what SIGHUP does (the loop sees tz_reload after this
 * pass). */
static void main_tz_check(lws_sorted_usec_list_t *sul)
{
	struct main_server *srv = lws_container_of(sul, struct main_server, tz_sul);

	if (srv->tz_watch && tz_db_changed(&srv->tz_seen)) {
		log_notice("the time zone database changed on disk");
		srv->tz_reload = true;
	}
	if (srv->tz_retry) {
		srv->tz_retry = false;
		srv->tz_reload = true;
	}
	lws_sul_schedule(srv->ctx, 0, &srv->tz_sul, main_tz_check,
			 (lws_usec_t)srv->tz_every_s * LWS_US_PER_SEC);
}

/* Service thread, when the worker's post is delivered: outcomes of notifications are in the change log. */
static void main_notify_changed(void *arg)
{
	struct main_server *srv = arg;

	transport_live_changed(&srv->transport);
}

/* The notifications worker recorded an outcome: post it on the loop's completion path (any thread). */
static void main_notify_wake(void *arg)
{
	struct main_server *srv = arg;

	wake_post(&srv->transport.wake, &srv->notify_signal);
}

/* The key personal links are sealed under until mailed, from --key-file, else <db>.key, into cfg->link_key.
 * Returns 0 or -1. */
static int main_key(struct config *cfg)
{
	char err[600];

	if (!cfg->key_file[0] && snprintf(cfg->key_file, sizeof(cfg->key_file), "%s.key", cfg->db_path) >=
				     (int)sizeof(cfg->key_file)) {
		fprintf(stderr, "majlisd: --db is too long to derive the key file's name; give --key-file\n");
		return -1;
	}
	if (secret_key_file(cfg->key_file, cfg->link_key, err, sizeof(err))) {
		fprintf(stderr, "majlisd: %s\n", err);
		return -1;
	}
	return 0;
}

/* The periodic deletion of expired sessions, idempotency answers and login-failure windows: one lws
 * timer on the service thread. */
static void main_housekeeping(lws_sorted_usec_list_t *sul)
{
	struct main_server *srv = lws_container_of(sul, struct main_server, house_sul);
	const struct config *cfg = srv->app.cfg;
	struct dom_err err;
	int n;

	n = system_housekeeping(srv->app.db, (int64_t)time(NULL), cfg->session_idle_s,
				cfg->session_absolute_s, srv->notify != NULL, &err);
	if (n < 0)
		log_warn("housekeeping: %s", err.message);
	else if (n > 0)
		log_info("housekeeping: %d expired row(s) deleted", n);
	lws_sul_schedule(srv->ctx, 0, &srv->house_sul, main_housekeeping,
			 (lws_usec_t)SYSTEM_HOUSEKEEPING_EVERY_S * LWS_US_PER_SEC);
}

/* The look at the write-ahead log every SYSTEM_WAL_TICK_S: one lws timer on the service thread. */
static void main_wal_tick(lws_sorted_usec_list_t *sul)
{
	struct main_server *srv = lws_container_of(sul, struct main_server, wal_sul);

	system_wal_tick(&srv->app.system, srv->app.db, (int64_t)time(NULL));
	lws_sul_schedule(srv->ctx, 0, &srv->wal_sul, main_wal_tick,
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
	struct main_server srv; /* the one instance this process runs */
	struct lws_http_mount mount;
	struct lws_protocols proto_list[4];
	struct lws_context_creation_info info;
	struct lws_context *ctx;
	struct config cfg;
	struct app *app = &srv.app;
	struct db *db;
	time_t drain_until = 0;
	int n = 0, args;

	if (cli_is_command(argc, argv))
		return cli_command(argc, argv);

	config_defaults(&cfg);
	args = cli_server_args(&cfg, argc, argv);
	if (args > 0)
		return 0; /* --help or --version answered */
	if (args < 0 || main_web_root(&cfg))
		return 2;
	log_set_level((enum log_level)cfg.log_level);
	lws_set_log_level(LLL_ERR | LLL_WARN | (cfg.log_level >= 4 ? LLL_NOTICE : 0), main_lws_log);

	main_test_iterations();

	if (main_key(&cfg) || cli_open_db(cfg.db_path, DB_MIGRATE | (cfg.skip_check ? 0 : DB_CHECK), &db))
		return 1;
	if (cfg.skip_check)
		log_warn(
		    "--skip-check: %s is served without the quick check; /healthz reports damage once met",
		    cfg.db_path);
	/* the loop answers 503 rather than stall every client behind another process's write lock */
	db_set_busy_timeout(db, MAIN_BUSY_TIMEOUT_MS);
	if (cfg.demo) {
		struct dom_err err;

		if (demo_load(db, (int64_t)time(NULL), &err)) {
			fprintf(stderr, "majlisd: demo data: %s\n", err.message);
			db_close(db);
			return 1;
		}
	}

	memset(&srv, 0, sizeof(srv));
	app->cfg = &cfg;
	app->db = db;
	app->sink.changed = main_on_change;
	app->sink.ctx = &srv;
	app->feeds = feed_cache_new();
	if (!app->feeds) {
		fprintf(stderr, "majlisd: out of memory\n");
		db_close(db);
		return 1;
	}
	transport_init(&srv.transport, app);
	srv.notify_signal.fn = main_notify_changed;
	srv.notify_signal.arg = &srv;
	system_tz_check(&app->system);
	main_refresh_times(&srv);

	main_mount(&mount);
	proto_list[0] = transport_http_protocol;
	proto_list[1] = transport_live_protocol;
	proto_list[2] = transport_live_protocol_v1;
	memset(&proto_list[3], 0, sizeof(proto_list[3]));

	memset(&info, 0, sizeof(info));
	info.port = cfg.listen_port;
	info.iface = cfg.listen_host;
	info.protocols = proto_list;
	info.mounts = &mount;
	info.user = &srv.transport;
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
		feed_cache_free(app->feeds);
		db_close(db);
		return 1;
	}
	if (transport_static_init(&srv.transport, cfg.web_root, main_api_prefixes,
				  sizeof(main_api_prefixes) / sizeof(main_api_prefixes[0]))) {
		fprintf(stderr, "majlisd: --web-root '%s': %s\n", cfg.web_root, strerror(errno));
		lws_context_destroy(ctx);
		feed_cache_free(app->feeds);
		db_close(db);
		return 1;
	}
	transport_accept_init(cfg.listen_port);
	if (transport_http_start(&srv.transport, ctx)) {
		lws_context_destroy(ctx);
		transport_static_stop(&srv.transport);
		feed_cache_free(app->feeds);
		db_close(db);
		return 1;
	}
	if (cfg.smtp_url[0])
		srv.notify = notify_start(&cfg, main_notify_wake, &srv);
	if (!cfg.smtp_url[0]) {
		log_notice("no --smtp-url: notifications are kept in the outbox, not sent");
	} else if (!srv.notify) {
		fprintf(stderr, "majlisd: cannot start the notifications worker\n");
		transport_http_stop(&srv.transport);
		lws_context_destroy(ctx);
		transport_static_stop(&srv.transport);
		feed_cache_free(app->feeds);
		db_close(db);
		return 1;
	}
	srv.ctx = ctx;
	lws_sul_schedule(ctx, 0, &srv.house_sul, main_housekeeping, LWS_US_PER_SEC);
	lws_sul_schedule(ctx, 0, &srv.wal_sul, main_wal_tick, (lws_usec_t)SYSTEM_WAL_TICK_S * LWS_US_PER_SEC);
	tz_db_changed(&srv.tz_seen); /* takes note of the files the database was read from */
	srv.tz_watch = cfg.tz_check_s > 0;
	srv.tz_every_s = cfg.tz_check_s > 0 ? cfg.tz_check_s : 60;
	lws_sul_schedule(ctx, 0, &srv.tz_sul, main_tz_check, (lws_usec_t)srv.tz_every_s * LWS_US_PER_SEC);
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
		if (main_hup || srv.tz_reload) {
			main_hup = 0;
			srv.tz_reload = false;
			tz_reload();
			log_notice("time zone database reloaded");
			system_tz_check(&app->system);
			main_refresh_times(&srv);
			feed_cache_invalidate(app->feeds);
		}
		if (main_stop && !drain_until) {
			transport_http_drain(&srv.transport);
			drain_until = time(NULL) + MAIN_DRAIN_SECONDS;
			log_notice("stopping: finishing %d request(s) in flight",
				   transport_http_active(&srv.transport));
		}
		if (drain_until && (!transport_http_active(&srv.transport) || time(NULL) >= drain_until))
			break;
		feed_cache_pass_begin(app->feeds);
		n = lws_service(ctx, drain_until ? 100 : 0);
	}
	notify_stop(srv.notify);
	srv.notify = NULL;
	wake_deliver(
	    &srv.transport
		 .wake); /* the worker's last post reaches live clients while they are still served */
	lws_sul_cancel(&srv.house_sul);
	lws_sul_cancel(&srv.tz_sul);
	lws_sul_cancel(&srv.wal_sul);
	transport_live_stop(&srv.transport);
	transport_http_stop(&srv.transport);
	lws_context_destroy(ctx);
	transport_static_stop(&srv.transport);
	transport_accept_stop();
	feed_cache_free(app->feeds);
	app->feeds = NULL;
	app_release(app);
	tz_reload();
	db_close(db);
	secret_wipe(cfg.link_key, sizeof(cfg.link_key));
	log_notice("stopped cleanly");
	return 0;
}

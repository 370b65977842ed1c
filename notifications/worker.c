/*
 * worker: the notifications thread; see worker.h. It owns its SQLite connection and its libcurl
 * handles, never logs addresses, names or links, and reaches the service loop only through the wake
 * callback.
 */
#include "worker.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/outbox.h"
#include "message.h"
#include "smtp.h"
#include "store/db.h"
#include "util/log.h"

#define NOTIFY_IDLE_S 300 /* looks at the outbox at least this often (rows written by other processes) */
#define NOTIFY_BUSY_S 5	  /* waits this long after the database was busy */

/* The one worker of the process. mu guards kicked and stop (stop is also read without it); the rest is
 * set by notify_start before the thread starts and only read after. */
static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool started, kicked;
	atomic_bool stop;
	const struct config *cfg;
	notify_wake_fn wake;
	void *wake_arg;
	char from[160];
} notify = {.mu = PTHREAD_MUTEX_INITIALIZER};

static bool notify_stopping(void)
{
	return atomic_load(&notify.stop);
}

/* Sends m and records the outcome. Returns 0, or -1 when the database refused the record. */
static int notify_deliver(struct db *db, struct outbox_msg *m)
{
	struct message_env env = {notify.from, notify.cfg->calendar_domain, (int64_t)time(NULL)};
	enum outbox_outcome outcome = OUTBOX_REFUSED; /* a message that cannot be written never will be */
	struct dom_err err;
	struct buf msg;
	char why[200] = "the message could not be written";

	buf_init(&msg, MESSAGE_MAX);
	if (!message_build(m, &env, &msg)) {
		switch (smtp_send(notify.cfg, notify.from, m->to, msg.data, msg.len, notify_stopping, why,
				  sizeof(why))) {
		case SMTP_SENT:
			outcome = OUTBOX_SENT;
			break;
		case SMTP_PERMANENT:
			outcome = OUTBOX_REFUSED;
			break;
		default:
			outcome = OUTBOX_RETRY;
			break;
		}
	}
	if (msg.data)
		secret_wipe(msg.data, msg.len); /* it holds the personal link */
	buf_free(&msg);
	if (outcome == OUTBOX_RETRY && notify_stopping()) {
		log_info("outbox %lld: stopped before it was sent; it waits for the next start",
			 (long long)m->id);
		return 0; /* shutting down is not the mail server's failure: the row is left as it was */
	}
	if (outbox_settle(db, m, (int64_t)time(NULL), outcome, why, NULL, &err)) {
		log_err("outbox %lld: outcome not recorded: %s", (long long)m->id, err.message);
		return -1;
	}
	if (outcome == OUTBOX_SENT)
		log_info("outbox %lld (%s) sent", (long long)m->id, m->kind);
	else
		log_notice("outbox %lld (%s) not sent (%s): %s", (long long)m->id, m->kind,
			   outcome == OUTBOX_RETRY ? "will retry" : "given up", why);
	if (notify.wake)
		notify.wake(notify.wake_arg);
	return 0;
}

/* Delivers everything due. Returns the time to look again. */
static int64_t notify_pass(struct db *db)
{
	int64_t now, next = 0;
	struct outbox_msg m;
	struct dom_err err;
	int rc;

	while (!notify_stopping()) {
		now = (int64_t)time(NULL);
		rc = outbox_take(db, notify.cfg, now, &m, &err);
		if (rc == DOM_NOT_FOUND)
			break;
		if (rc) {
			log_warn("outbox: %s; looking again in %d s", err.message, NOTIFY_BUSY_S);
			return now + NOTIFY_BUSY_S;
		}
		rc = notify_deliver(db, &m);
		outbox_msg_free(&m);
		if (rc)
			return now + NOTIFY_BUSY_S;
	}
	now = (int64_t)time(NULL);
	if (outbox_next_due(db, &next, &err) || !next)
		return now + NOTIFY_IDLE_S;
	return next < now + NOTIFY_IDLE_S ? next : now + NOTIFY_IDLE_S;
}

static void *notify_main(void *arg)
{
	struct db *db = NULL;
	char err[256];

	(void)arg;
	if (db_open(notify.cfg->db_path, 0, &db, err, sizeof(err))) {
		log_err("notifications: cannot open the database: %s; nothing will be sent", err);
		return NULL;
	}
	while (!notify_stopping()) {
		int64_t until = notify_pass(db);
		struct timespec ts = {(time_t)until, 0};

		pthread_mutex_lock(&notify.mu);
		while (!notify.kicked && !notify_stopping() && (int64_t)time(NULL) < until) {
			if (pthread_cond_timedwait(&notify.cv, &notify.mu, &ts) == ETIMEDOUT)
				break;
		}
		notify.kicked = false;
		pthread_mutex_unlock(&notify.mu);
	}
	db_close(db);
	return NULL;
}

int notify_start(const struct config *cfg, notify_wake_fn wake, void *arg)
{
	pthread_condattr_t ca;

	if (notify.started)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return -1;
	notify.cfg = cfg;
	notify.wake = wake;
	notify.wake_arg = arg;
	if (cfg->mail_from[0])
		snprintf(notify.from, sizeof(notify.from), "%s", cfg->mail_from);
	else
		snprintf(notify.from, sizeof(notify.from), "majlis@%s", cfg->calendar_domain);
	atomic_store(&notify.stop, false);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_REALTIME);
	pthread_cond_init(&notify.cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&notify.thread, NULL, notify_main, NULL)) {
		pthread_cond_destroy(&notify.cv);
		curl_global_cleanup();
		return -1;
	}
	notify.started = true;
	return 0;
}

void notify_kick(void)
{
	if (!notify.started)
		return;
	pthread_mutex_lock(&notify.mu);
	notify.kicked = true;
	pthread_cond_signal(&notify.cv);
	pthread_mutex_unlock(&notify.mu);
}

void notify_stop(void)
{
	if (!notify.started)
		return;
	pthread_mutex_lock(&notify.mu);
	atomic_store(&notify.stop, true);
	pthread_cond_signal(&notify.cv);
	pthread_mutex_unlock(&notify.mu);
	pthread_join(notify.thread, NULL);
	pthread_cond_destroy(&notify.cv);
	curl_global_cleanup();
	notify.started = false;
}

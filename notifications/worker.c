/*
 * worker: the notifications thread; see worker.h. It owns its SQLite connection and its libcurl
 * handles, never logs addresses, names or links, and reaches the service loop only through the wake
 * callback. A driver beside the transport: it calls the domain (outbox) and opens
 * its connection with store/db.h's db_open, and never sees api/ or transport/ (the build's include view).
 */
#include "worker.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/outbox.h"
#include "message.h"
#include "smtp.h"
#include "store/db.h"
#include "util/log.h"

#define NOTIFY_IDLE_S 300 /* looks at the outbox at least this often (rows written by other processes) */
#define NOTIFY_BUSY_S 5	  /* waits this long after the database was busy */

/* The worker: one per process, made by notify_start and freed by notify_stop on the service thread,
 * which main owns. Fields marked {mu} are read and written under mu; {atomic} by either thread; the rest
 * is set before the thread starts and only read after (by both threads). */
struct notify {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* signalled under mu when kicked or stop is set */
	bool kicked;	   /* {mu} something may be due now */
	atomic_bool stop;  /* {atomic} set under mu by notify_stop; the worker also reads it without */
	const struct config *cfg;
	notify_wake_fn wake;
	void *wake_arg;
	char from[160];
};

/* smtp_abort_fn: whether n is stopping. Worker thread. */
static bool notify_stopping(void *arg)
{
	struct notify *n = arg;

	return atomic_load(&n->stop);
}

/* Sends m and records the outcome. Returns 0, or -1 when the database refused the record. */
static int notify_deliver(struct notify *n, struct db *db, struct outbox_msg *m)
{
	struct message_env env = {n->from, n->cfg->calendar_domain, (int64_t)time(NULL)};
	enum outbox_outcome outcome = OUTBOX_REFUSED; /* a message that cannot be written never will be */
	struct dom_err err;
	struct buf msg;
	char why[200] = "the message could not be written";

	buf_init(&msg, MESSAGE_MAX);
	if (!message_build(m, &env, &msg)) {
		switch (smtp_send(n->cfg, n->from, m->to, msg.data, msg.len, notify_stopping, n, why,
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
	if (outcome == OUTBOX_RETRY && notify_stopping(n)) {
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
	if (n->wake)
		n->wake(n->wake_arg);
	return 0;
}

/* Delivers everything due. Returns the time to look again. */
static int64_t notify_pass(struct notify *n, struct db *db)
{
	int64_t now, next = 0;
	struct outbox_msg m;
	struct dom_err err;
	int rc;

	while (!notify_stopping(n)) {
		now = (int64_t)time(NULL);
		rc = outbox_take(db, n->cfg, now, &m, &err);
		if (rc == DOM_NOT_FOUND)
			break;
		if (rc) {
			log_warn("outbox: %s; looking again in %d s", err.message, NOTIFY_BUSY_S);
			return now + NOTIFY_BUSY_S;
		}
		rc = notify_deliver(n, db, &m);
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
	struct notify *n = arg;
	struct db *db = NULL;
	char err[256];

	if (db_open(n->cfg->db_path, 0, &db, err, sizeof(err))) {
		log_err("notifications: cannot open the database: %s; nothing will be sent", err);
		return NULL;
	}
	while (!notify_stopping(n)) {
		int64_t until = notify_pass(n, db);
		struct timespec ts = {(time_t)until, 0};

		pthread_mutex_lock(&n->mu);
		while (!n->kicked && !notify_stopping(n) && (int64_t)time(NULL) < until) {
			if (pthread_cond_timedwait(&n->cv, &n->mu, &ts) == ETIMEDOUT)
				break;
		}
		n->kicked = false;
		pthread_mutex_unlock(&n->mu);
	}
	db_close(db);
	return NULL;
}

struct notify *notify_start(const struct config *cfg, notify_wake_fn wake, void *arg)
{
	pthread_condattr_t ca;
	struct notify *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		goto err;
	n->cfg = cfg;
	n->wake = wake;
	n->wake_arg = arg;
	if (cfg->mail_from[0])
		snprintf(n->from, sizeof(n->from), "%s", cfg->mail_from);
	else
		snprintf(n->from, sizeof(n->from), "majlis@%s", cfg->calendar_domain);
	atomic_init(&n->stop, false);
	pthread_mutex_init(&n->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_REALTIME);
	pthread_cond_init(&n->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&n->thread, NULL, notify_main, n)) {
		pthread_cond_destroy(&n->cv);
		pthread_mutex_destroy(&n->mu);
		curl_global_cleanup();
		goto err;
	}
	return n;
err:
	free(n);
	return NULL;
}

void notify_kick(struct notify *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&n->mu);
	n->kicked = true;
	pthread_cond_signal(&n->cv);
	pthread_mutex_unlock(&n->mu);
}

void notify_stop(struct notify *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&n->mu);
	atomic_store(&n->stop, true);
	pthread_cond_signal(&n->cv);
	pthread_mutex_unlock(&n->mu);
	pthread_join(n->thread, NULL);
	pthread_cond_destroy(&n->cv);
	pthread_mutex_destroy(&n->mu);
	curl_global_cleanup();
	free(n);
}

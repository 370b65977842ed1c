/*
 * worker: the notifications thread. It has its own SQLite connection, takes due outbox rows, sends
 * them and records each outcome (with its change-log row), then tells the service loop through the
 * wake callback (main posts it on the loop's one completion path, transport/wake); it never touches a
 * socket of the loop.
 */
#ifndef MAJLIS_NOTIFICATIONS_WORKER_H
#define MAJLIS_NOTIFICATIONS_WORKER_H

#include <stdbool.h>

#include "config.h"

/* Called on the worker thread after each recorded outcome; main passes one that only posts a
 * wake_signal (transport/wake.h), whose service-thread side wakes the live clients. */
typedef void (*notify_wake_fn)(void *arg);

/* The worker: its thread, lock and state (worker.c). One per process, owned by main. */
struct notify;

/* Starts the thread (cfg must outlive it and have smtp_url set). Returns the new worker, which
 * notify_stop frees, or NULL. Service thread. */
struct notify *notify_start(const struct config *cfg, notify_wake_fn wake, void *arg);
/* Something may be due now (a commit wrote outbox rows): the worker looks at once. NULL (no worker):
 * nothing. Any thread. */
void notify_kick(struct notify *n);
/* Stops a transfer in progress, joins the thread and frees n. Accepts NULL. Service thread. */
void notify_stop(struct notify *n);

#endif

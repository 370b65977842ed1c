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

/* Starts the thread (cfg must outlive it and have smtp_url set). Returns 0 or -1. Service thread. */
int notify_start(const struct config *cfg, notify_wake_fn wake, void *arg);
/* Something may be due now (a commit wrote outbox rows): the worker looks at once. Any thread. */
void notify_kick(void);
/* Stops a transfer in progress, joins the thread. Accepts a worker that never started. Service thread. */
void notify_stop(void);

#endif

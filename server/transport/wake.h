/*
 * transport/wake: one worker thread for CPU-heavy request work (struct defer) and the cross-thread
 * completion path back to the lws service thread through lws_cancel_service; no I/O on the worker.
 */
#ifndef MAJLIS_TRANSPORT_WAKE_H
#define MAJLIS_TRANSPORT_WAKE_H

#include <libwebsockets.h>

struct defer;

#define WAKE_MAX_PENDING 64 /* queued + running jobs; more are refused (the caller answers 503) */

/* Called on the service thread with a finished job and the owner's cookie. */
typedef void (*wake_done_fn)(struct defer *d, void *owner);

/* Starts the worker. Returns 0 or -1. Service thread, once. */
int wake_start(struct lws_context *ctx, wake_done_fn done);
/* Queues d for the worker on behalf of owner. Returns a handle for wake_forget, or NULL when the
 * queue is full (nothing queued). Service thread. */
void *wake_submit(struct defer *d, void *owner);
/* The owner went away: its job's result is dropped (released) instead of handed back. Service thread. */
void wake_forget(void *handle);
/* Hands finished jobs to the done callback. Call on LWS_CALLBACK_EVENT_WAIT_CANCELLED. Service thread. */
void wake_deliver(void);
/* Finishes the queue, joins the worker and delivers or releases what is left. Service thread, after
 * serving and before the lws context is destroyed. */
void wake_stop(void);

#endif

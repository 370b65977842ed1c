/*
 * transport/wake: one worker thread for CPU-heavy request work (struct defer), and the one cross-thread
 * completion path back to the lws service thread (through lws_cancel_service) for those jobs and for any
 * other thread's news (struct wake_signal); no I/O on the worker.
 */
#ifndef MAJLIS_TRANSPORT_WAKE_H
#define MAJLIS_TRANSPORT_WAKE_H

#include <libwebsockets.h>
#include <stdbool.h>

struct defer;

#define WAKE_MAX_PENDING 64 /* queued + running jobs; more are refused (the caller answers 503) */

/* News from another thread (the notifications worker): fn(arg) runs on the service thread at the next
 * delivery after wake_post. Posts that arrive before it runs are folded into one run. One per source,
 * set up before the first post; it must outlive wake_stop or be delivered before it is freed. */
struct wake_signal {
	void (*fn)(void *arg);
	void *arg;
	bool posted;		  /* {wake.mu} */
	struct wake_signal *next; /* {wake.mu} in the posted list */
};

/* Called on the service thread with a finished job and the owner's cookie. */
typedef void (*wake_done_fn)(struct defer *d, void *owner);

/* Starts the worker. Returns 0 or -1. Service thread, once. */
int wake_start(struct lws_context *ctx, wake_done_fn done);
/* Queues d for the worker on behalf of owner. Returns a handle for wake_forget, or NULL when the
 * queue is full (nothing queued). Service thread. */
void *wake_submit(struct defer *d, void *owner);
/* The owner went away: its job's result is dropped (released) instead of handed back. Service thread. */
void wake_forget(void *handle);
/* Posts s (see struct wake_signal) and wakes the service loop. Any thread. */
void wake_post(struct wake_signal *s);
/* Hands finished jobs to the done callback, then runs the posted signals. Call on
 * LWS_CALLBACK_EVENT_WAIT_CANCELLED (or to flush before shutting a source down). Service thread. */
void wake_deliver(void);
/* Finishes the queue, joins the worker and delivers or releases what is left. Service thread, after
 * serving and before the lws context is destroyed. */
void wake_stop(void);

#endif

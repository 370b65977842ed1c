/*
 * transport/wake: one worker thread for CPU-heavy request work (struct defer), and the one cross-thread
 * completion path back to the lws service thread (through lws_cancel_service) for those jobs and for any
 * other thread's news (struct wake_signal); no I/O on the worker.
 */
#ifndef MAJLIS_TRANSPORT_WAKE_H
#define MAJLIS_TRANSPORT_WAKE_H

#include <libwebsockets.h>
#include <pthread.h>
#include <stdbool.h>

struct defer;
struct wake_job;

#define WAKE_MAX_PENDING 64 /* queued + running jobs; more are refused (the caller answers 503) */

/* News from another thread (the notifications worker): fn(arg) runs on the service thread at the next
 * delivery after wake_post. Posts that arrive before it runs are folded into one run. One per source,
 * set up before the first post; it must outlive wake_stop or be delivered before it is freed. */
struct wake_signal {
	void (*fn)(void *arg);
	void *arg;
	bool posted;		  /* {struct wake mu} */
	struct wake_signal *next; /* {struct wake mu} in the posted list */
};

/* Called on the service thread with a finished job and the owner's cookie. */
typedef void (*wake_done_fn)(struct defer *d, void *owner);

/*
 * The queue and worker of one server instance: one per struct transport (its wake member), set up by
 * wake_init with the transport, its worker running from wake_start to wake_stop. The todo, done and
 * posted lists and stopping are guarded by mu (the worker thread, the service thread, and wake_post's
 * callers on any thread); count, running and done_fn belong to the service thread; ctx is set before the
 * worker starts and cleared after it is joined. Private to transport/wake.c beyond its address.
 */
struct wake {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool running;
	bool stopping;
	struct wake_job *todo_head, *todo_tail;
	struct wake_job *done;
	struct wake_signal *posted;
	int count;
	struct lws_context *ctx;
	wake_done_fn done_fn;
};

/* Makes w an idle queue (no worker yet). Before any other call on w. */
void wake_init(struct wake *w);
/* Starts w's worker for the service loop of ctx. Returns 0 or -1. Service thread, once. */
int wake_start(struct wake *w, struct lws_context *ctx, wake_done_fn done);
/* Queues d for w's worker on behalf of owner. Returns a handle for wake_forget, or NULL when the
 * queue is full or the worker is not running (nothing queued). An owner-less job (owner NULL: work
 * nobody waits for, such as transport/variants.c's) is handed to its release() once it has run, on the
 * service thread, which may use its result there. Service thread. */
void *wake_submit(struct wake *w, struct defer *d, void *owner);
/* The owner went away: its job's result is dropped (released) instead of handed back. Service thread. */
void wake_forget(void *handle);
/* Posts s (see struct wake_signal) on w and wakes w's service loop. Any thread. */
void wake_post(struct wake *w, struct wake_signal *s);
/* Hands w's finished jobs to the done callback, then runs the posted signals. Call on
 * LWS_CALLBACK_EVENT_WAIT_CANCELLED (or to flush before shutting a source down). Service thread. */
void wake_deliver(struct wake *w);
/* Finishes the queue, joins the worker and delivers or releases what is left. Service thread, after
 * serving and before the lws context is destroyed. */
void wake_stop(struct wake *w);

#endif

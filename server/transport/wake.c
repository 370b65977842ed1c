/*
 * transport/wake: a bounded job queue with one worker thread, and posted signals from other threads; the
 * worker only runs struct defer run() callbacks and signals the service thread, which alone delivers
 * results, runs signals and frees jobs.
 */
#include "transport/wake.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "api/request.h"
#include "util/log.h"

/* One queued job; owned by the queue until delivered or released on the service thread. */
struct wake_job {
	struct defer *d;
	void *owner; /* NULL once forgotten (service thread only) */
	struct wake_job *next;
};

static void *wake_worker(void *arg)
{
	struct wake *wake = arg;
	struct wake_job *j;

	pthread_mutex_lock(&wake->mu);
	for (;;) {
		while (!wake->todo_head && !wake->stopping)
			pthread_cond_wait(&wake->cv, &wake->mu);
		j = wake->todo_head;
		if (!j)
			break; /* stopping with nothing left */
		wake->todo_head = j->next;
		if (!wake->todo_head)
			wake->todo_tail = NULL;
		pthread_mutex_unlock(&wake->mu);
		j->d->run(j->d);
		pthread_mutex_lock(&wake->mu);
		j->next = wake->done;
		wake->done = j;
		if (wake->ctx)
			lws_cancel_service(wake->ctx);
	}
	pthread_mutex_unlock(&wake->mu);
	return NULL;
}

void wake_init(struct wake *wake)
{
	memset(wake, 0, sizeof(*wake));
	pthread_mutex_init(&wake->mu, NULL);
	pthread_cond_init(&wake->cv, NULL);
}

int wake_start(struct wake *wake, struct lws_context *ctx, wake_done_fn done)
{
	wake->ctx = ctx;
	wake->done_fn = done;
	wake->stopping = false;
	if (pthread_create(&wake->thread, NULL, wake_worker, wake)) {
		log_err("cannot start the worker thread");
		return -1;
	}
	wake->running = true;
	return 0;
}

void *wake_submit(struct wake *wake, struct defer *d, void *owner)
{
	struct wake_job *j;

	if (!wake->running || wake->count >= WAKE_MAX_PENDING)
		return NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->d = d;
	j->owner = owner;
	wake->count++;
	pthread_mutex_lock(&wake->mu);
	if (wake->todo_tail)
		wake->todo_tail->next = j;
	else
		wake->todo_head = j;
	wake->todo_tail = j;
	pthread_cond_signal(&wake->cv);
	pthread_mutex_unlock(&wake->mu);
	return j;
}

void wake_forget(void *handle)
{
	struct wake_job *j = handle;

	if (j)
		j->owner = NULL;
}

void wake_post(struct wake *wake, struct wake_signal *s)
{
	pthread_mutex_lock(&wake->mu);
	if (!s->posted) {
		s->posted = true;
		s->next = wake->posted;
		wake->posted = s;
	}
	if (wake->ctx)
		lws_cancel_service(wake->ctx);
	pthread_mutex_unlock(&wake->mu);
}

/* Runs the signals posted so far, each once. Service thread. */
static void wake_run_signals(struct wake *wake)
{
	struct wake_signal *list, *s;

	pthread_mutex_lock(&wake->mu);
	list = wake->posted;
	wake->posted = NULL;
	pthread_mutex_unlock(&wake->mu);
	while (list) {
		/* taken off under the lock: a post from now on queues it again (rewriting next) */
		pthread_mutex_lock(&wake->mu);
		s = list;
		list = s->next;
		s->posted = false;
		pthread_mutex_unlock(&wake->mu);
		s->fn(s->arg);
	}
}

void wake_deliver(struct wake *wake)
{
	struct wake_job *list, *j;

	pthread_mutex_lock(&wake->mu);
	list = wake->done;
	wake->done = NULL;
	pthread_mutex_unlock(&wake->mu);
	while (list) {
		j = list;
		list = j->next;
		wake->count--;
		if (j->owner && wake->done_fn)
			wake->done_fn(j->d, j->owner);
		else
			j->d->release(j->d);
		free(j);
	}
	wake_run_signals(wake);
}

void wake_stop(struct wake *wake)
{
	if (!wake->running)
		return;
	pthread_mutex_lock(&wake->mu);
	wake->stopping = true;
	pthread_cond_signal(&wake->cv);
	pthread_mutex_unlock(&wake->mu);
	pthread_join(wake->thread, NULL); /* the worker finishes what is queued first */
	wake->running = false;
	wake->ctx = NULL;
	wake_deliver(wake); /* owners still connected get their answer; the rest is released */
}

/*
 * transport/variants: the gzip and brotli variants of the static client's files in sealed memory files,
 * checked against the file's identity on every request and made again off the service loop when it
 * changed; it reads files only through mappings of descriptors it is handed, and serves nothing itself.
 */
#include "transport/variants.h"
#include "transport/wake.h"

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "api/request.h"
#include "util/encodings.h"
#include "util/log.h"

/* the transport hands a variant's headroom to lws_write without a copy */
_Static_assert(ENCODINGS_HEADROOM >= LWS_PRE, "encodings carry LWS_PRE bytes of headroom");

/* What a file's bytes are told apart by: any write, rename over or touch changes one of them. */
struct variants_id {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

/* One file's variants; lives in struct variants, service thread only. */
struct variants_entry {
	char *path;    /* malloc'ed key; NULL for a free slot */
	uint32_t hash; /* of path */
	bool made;     /* id and enc describe a version of the file */
	bool pending;  /* a job on the worker is making them */
	struct variants_id id;
	struct encodings enc; /* gzip and brotli (none: not smaller); never the identity */
	uint64_t used;	      /* v->tick when last asked for */
};

struct variants {
	struct variants_entry e[VARIANTS_MAX];
	size_t bytes;  /* the entries' variant bytes */
	uint64_t tick; /* counts requests, for least recently asked */
	int jobs;      /* jobs handed to the worker and not yet back */
	bool freed;    /* variants_free was called while jobs were out: the last one back frees v */
};

/* One file being compressed on the worker: the service thread fills it and queues it (owner-less, see
 * wake_submit), the worker runs it, and its release, back on the service thread, installs the result. */
struct variants_job {
	struct defer d; /* first: the job is its defer */
	struct variants *v;
	char *path;
	struct variants_id id;
	void *map; /* a read-only mapping of the file, len bytes */
	size_t len;
	bool ran;
	struct encodings enc; /* the worker's result */
};

static uint32_t variants_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void variants_id_of(const struct stat *st, struct variants_id *id)
{
	memset(id, 0, sizeof(*id));
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = st->st_size;
	id->mtime = st->st_mtim;
	id->ctime = st->st_ctim;
}

static bool variants_id_equal(const struct variants_id *a, const struct variants_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec &&
	       a->ctime.tv_sec == b->ctime.tv_sec && a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/* Drops e's variants (not its path). */
static void variants_entry_clear(struct variants *v, struct variants_entry *e)
{
	v->bytes -= encodings_bytes(&e->enc);
	encodings_clear(&e->enc);
	e->made = false;
}

static void variants_entry_drop(struct variants *v, struct variants_entry *e)
{
	variants_entry_clear(v, e);
	free(e->path);
	memset(e, 0, sizeof(*e));
}

static struct variants_entry *variants_find(struct variants *v, const char *path)
{
	uint32_t h = variants_hash(path);

	for (size_t i = 0; i < VARIANTS_MAX; i++)
		if (v->e[i].path && v->e[i].hash == h && !strcmp(v->e[i].path, path))
			return &v->e[i];
	return NULL;
}

/* The least recently asked entry other than keep, with variants when with_bytes, that no job is making;
 * NULL when there is none. */
static struct variants_entry *variants_oldest(struct variants *v, const struct variants_entry *keep,
					      bool with_bytes)
{
	struct variants_entry *old = NULL;

	for (size_t i = 0; i < VARIANTS_MAX; i++) {
		struct variants_entry *e = &v->e[i];

		if (!e->path || e == keep || e->pending)
			continue;
		if (with_bytes && !encodings_mask(&e->enc))
			continue;
		if (!old || e->used < old->used)
			old = e;
	}
	return old;
}

/* path's entry, new (in a free slot, or the least recently asked one's) when it has none; NULL without
 * memory or room. */
static struct variants_entry *variants_entry(struct variants *v, const char *path)
{
	struct variants_entry *e = variants_find(v, path), *slot = NULL;

	if (e)
		return e;
	for (size_t i = 0; i < VARIANTS_MAX && !slot; i++)
		if (!v->e[i].path)
			slot = &v->e[i];
	if (!slot) {
		slot = variants_oldest(v, NULL, false);
		if (!slot)
			return NULL;
		variants_entry_drop(v, slot);
	}
	slot->path = strdup(path);
	if (!slot->path)
		return NULL;
	slot->hash = variants_hash(path);
	return slot;
}

/* Gives e the variants in enc (taken: enc is left empty) made from the version id, within
 * VARIANTS_BYTES_MAX (others go first, least recently asked first; what still does not fit is dropped and
 * the file served as it is until it changes). */
static void variants_install(struct variants *v, struct variants_entry *e, const struct variants_id *id,
			     struct encodings *enc)
{
	size_t need = encodings_bytes(enc);

	variants_entry_clear(v, e);
	while (need && v->bytes + need > VARIANTS_BYTES_MAX) {
		struct variants_entry *old = variants_oldest(v, e, true);

		if (!old)
			break;
		variants_entry_clear(v, old); /* made again when next asked for */
	}
	if (v->bytes + need <= VARIANTS_BYTES_MAX) {
		e->enc = *enc;
		memset(enc, 0, sizeof(*enc));
		v->bytes += need;
	}
	e->id = *id;
	e->made = true;
}

struct variants *variants_new(void)
{
	return calloc(1, sizeof(struct variants));
}

void variants_free(struct variants *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < VARIANTS_MAX; i++)
		if (v->e[i].path)
			variants_entry_drop(v, &v->e[i]);
	if (v->jobs > 0)
		v->freed = true;
	else
		free(v);
}

/* Whether the file of st is one to compress: a non-empty one up to VARIANTS_FILE_MAX. */
static bool variants_wanted(const struct stat *st)
{
	return st->st_size > 0 && st->st_size <= VARIANTS_FILE_MAX;
}

void variants_make(struct variants *v, const char *path, int fd, const struct stat *st)
{
	struct encodings enc = {{NULL}};
	struct variants_entry *e = variants_entry(v, path);
	struct variants_id id;
	void *map;

	if (!e)
		return;
	e->used = ++v->tick;
	variants_id_of(st, &id);
	if (variants_wanted(st)) {
		map = mmap(NULL, (size_t)st->st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (map != MAP_FAILED) {
			encodings_make(&enc, map, (size_t)st->st_size, false);
			munmap(map, (size_t)st->st_size);
		}
	}
	variants_install(v, e, &id, &enc);
	encodings_clear(&enc);
}

/* On the worker: compresses the job's mapping. */
static void variants_job_run(struct defer *d)
{
	struct variants_job *job = (struct variants_job *)d;

	encodings_make(&job->enc, job->map, job->len, false);
	job->ran = true;
}

/* Back on the service thread (or at wake_stop): installs the result, unless the variants went away. */
static void variants_job_release(struct defer *d)
{
	struct variants_job *job = (struct variants_job *)d;
	struct variants *v = job->v;
	struct variants_entry *e;

	v->jobs--;
	if (v->freed) {
		if (!v->jobs)
			free(v);
	} else {
		e = variants_find(v, job->path);
		if (e) {
			e->pending = false;
			if (job->ran && !e->made)
				variants_install(v, e, &job->id, &job->enc);
		}
	}
	encodings_clear(&job->enc);
	munmap(job->map, job->len);
	free(job->path);
	free(job);
}

/* Queues a job making e's variants from the file open as fd (version id) on w. */
static void variants_queue(struct variants *v, struct wake *w, struct variants_entry *e, int fd,
			   const struct variants_id *id)
{
	struct variants_job *job = calloc(1, sizeof(*job));

	if (!job)
		return;
	job->d.run = variants_job_run;
	job->d.release = variants_job_release;
	job->v = v;
	job->id = *id;
	job->len = (size_t)id->size;
	job->path = strdup(e->path);
	/* mapped, not read: the worker reads the pages (from the page cache) as it compresses them */
	job->map = mmap(NULL, job->len, PROT_READ, MAP_SHARED, fd, 0);
	if (!job->path || job->map == MAP_FAILED)
		goto fail;
	if (!wake_submit(w, &job->d, NULL))
		goto fail;
	v->jobs++;
	e->pending = true;
	return;
fail:
	if (job->map != MAP_FAILED && job->map)
		munmap(job->map, job->len);
	free(job->path);
	free(job);
}

unsigned variants_ready(struct variants *v, struct wake *w, const char *path, int fd, const struct stat *st)
{
	struct variants_entry *e = variants_find(v, path);
	struct variants_id id;

	variants_id_of(st, &id);
	if (!e)
		e = variants_entry(v, path);
	if (!e)
		return 0;
	e->used = ++v->tick;
	if (e->made && variants_id_equal(&e->id, &id))
		return encodings_mask(&e->enc);
	/* never made, or made from another version: never served stale */
	variants_entry_clear(v, e);
	if (!variants_wanted(st)) {
		struct encodings none = {{NULL}};

		variants_install(v, e, &id, &none);
		return 0;
	}
	if (!e->pending && v->jobs < VARIANTS_JOBS)
		variants_queue(v, w, e, fd, &id);
	return 0;
}

int variants_take(struct variants *v, const char *path, enum compress_coding coding,
		  struct encodings_view *out)
{
	struct variants_entry *e = variants_find(v, path);

	if (!e || !e->made || coding <= COMPRESS_IDENTITY)
		return -1;
	return encodings_take(&e->enc, coding, out);
}

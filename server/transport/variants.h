/*
 * transport/variants: the compressed variants (gzip, br) of the static client's files, kept in sealed
 * memory files per path against the identity of the file they were made from, made at start and again on
 * the worker thread when the file changes; it picks no variant for a request and decides nothing about
 * which files are compressed.
 */
#ifndef MAJLIS_TRANSPORT_VARIANTS_H
#define MAJLIS_TRANSPORT_VARIANTS_H

#include <stddef.h>
#include <sys/stat.h>

#include "util/encodings.h"

struct wake;

#define VARIANTS_MAX	   256		      /* files whose variants are kept; least recently asked out */
#define VARIANTS_BYTES_MAX (32 * 1024 * 1024) /* bytes of variants kept for all files */
#define VARIANTS_FILE_MAX  (2 * 1024 * 1024)  /* a larger file is served as it is */
#define VARIANTS_JOBS	   2 /* files being compressed on the worker at once (it also hashes passwords) */

/* The variants of one web root. One per struct transport (its files member), made by variants_new; only
 * the service thread touches it (the worker only fills the jobs it is handed). */
struct variants;
/* A new empty set, or NULL without memory. Service thread. */
struct variants *variants_new(void);
/* Drops v's variants (those being written stay valid until released); a job still out on the worker
 * frees what is left when it comes back. Accepts NULL. Service thread. */
void variants_free(struct variants *v);

/*
 * Makes the variants of the file path (the key the static files give it; fd open on it, st its stat) now,
 * on the calling thread: at start, before the service loop serves. A variant is kept only when it is
 * smaller than the file; an empty file or one over VARIANTS_FILE_MAX gets none. Service thread.
 */
void variants_make(struct variants *v, const char *path, int fd, const struct stat *st);

/*
 * The variants of path ready for the file as it is now (fd open on it, st its stat), as a mask of
 * (1u << coding). When none were made, or they were made from another version of the file (its device,
 * inode, size, modification or change time differ), those are dropped at once, none is ready, and a job
 * on w's worker makes them again (unless one is already out or VARIANTS_JOBS are): the file is served as
 * it is meanwhile, never a stale variant. Service thread.
 */
unsigned variants_ready(struct variants *v, struct wake *w, const char *path, int fd, const struct stat *st);

/* A new reference to path's variant of coding, ready by variants_ready's answer in this callback, into
 * *out (released with encodings_blob_release). Returns 0, or -1 when there is none (*out untouched).
 * Service thread. */
int variants_take(struct variants *v, const char *path, enum compress_coding coding,
		  struct encodings_view *out);

#endif

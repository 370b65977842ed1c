/*
 * transport/static: serves the static client (the web root's files) from majlisd's own HTTP callback — a
 * GET or HEAD outside the API's paths becomes a response holding the open file, which the writer sends
 * with sendfile() or from a read-only mapping, or the file's gzip or brotli variant (transport/variants.c)
 * when Accept-Encoding asks for it; it never reads a file into memory and answers nothing else.
 */
#include "transport/static.h"
#include "transport/files.h"
#include "transport/transport.h"
#include "transport/variants.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/encoded.h"
#include "api/errors.h"
#include "api/request.h"
#include "util/compress.h"
#include "util/log.h"

/* files change with releases: browsers keep them briefly, then revalidate (304); no shared cache */
#define STATIC_CACHE_CONTROL "must-revalidate, private, max-age=300"
#define STATIC_INDEX	     "index.html"
#define STATIC_DEPTH	     8 /* directories below the root whose files are compressed at start */

/* the personal page's service worker: a browser asks for it again (a 304 when unchanged) each time it
 * checks for a new version, so that a release reaches a participant's phone with the next visit */
#define STATIC_WORKER_PATH	    "/sw.js"
#define STATIC_WORKER_CACHE_CONTROL "no-cache"

/* Text types are served compressed when the client accepts it (transport/variants.c), every answer of
 * theirs saying Vary: Accept-Encoding; images, WOFF fonts and PDFs are compressed already. Calendars never
 * are: Outlook refuses a compressed calendar. */
enum static_coding { STATIC_AS_IS, STATIC_COMPRESS };

/* The types served, by extension (any case); a file of another extension is not served (404), as lws's
 * file mount refused a type it did not know. */
static const struct {
	const char *ext;
	const char *type;
	enum static_coding coding;
} static_types[] = {
    {".html", "text/html; charset=utf-8", STATIC_COMPRESS},
    {".js", "text/javascript; charset=utf-8", STATIC_COMPRESS},
    {".mjs", "text/javascript; charset=utf-8", STATIC_COMPRESS},
    {".css", "text/css; charset=utf-8", STATIC_COMPRESS},
    {".svg", "image/svg+xml", STATIC_COMPRESS},
    {".ics", "text/calendar; charset=utf-8", STATIC_AS_IS},
    {".webmanifest", "application/manifest+json", STATIC_COMPRESS},
    {".json", "application/json", STATIC_COMPRESS},
    {".map", "application/json", STATIC_COMPRESS},
    {".txt", "text/plain; charset=utf-8", STATIC_COMPRESS},
    {".xml", "application/xml", STATIC_COMPRESS},
    {".png", "image/png", STATIC_AS_IS},
    {".jpg", "image/jpeg", STATIC_AS_IS},
    {".jpeg", "image/jpeg", STATIC_AS_IS},
    {".gif", "image/gif", STATIC_AS_IS},
    {".webp", "image/webp", STATIC_AS_IS},
    {".ico", "image/x-icon", STATIC_COMPRESS},
    {".woff", "font/woff", STATIC_AS_IS},
    {".woff2", "font/woff2", STATIC_AS_IS},
    {".ttf", "font/ttf", STATIC_COMPRESS},
    {".otf", "font/otf", STATIC_COMPRESS},
    {".pdf", "application/pdf", STATIC_AS_IS},
};

/* One per static answer being written: the open file and its mapping, freed by static_release once the
 * transport has sent it. Service thread only. */
struct static_file {
	int fd;
	void *map; /* NULL for an empty file */
	size_t len;
};

static const char *static_type_of(const char *name, enum static_coding *coding);

/* transport_files_each's callback at start: the variants of each file of a compressed type. */
static void static_warm(void *ctx, const char *path, int fd, const struct stat *st)
{
	enum static_coding coding;

	if (static_type_of(path, &coding) && coding == STATIC_COMPRESS)
		variants_make(ctx, path, fd, st);
}

int transport_static_init(struct transport *t, const char *root, const char *const *api_prefixes, size_t n)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct variants *v;

	if (fd < 0)
		return -1;
	v = variants_new();
	if (!v) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	transport_static_stop(t);
	t->files.rootfd = fd;
	t->files.api_prefixes = api_prefixes;
	t->files.n_prefixes = n;
	t->files.variants = v;
	/* before serving: the first answers are compressed already (some 50 ms for the client's files) */
	transport_files_each(fd, STATIC_DEPTH, VARIANTS_MAX, static_warm, v);
	return 0;
}

void transport_static_stop(struct transport *t)
{
	if (t->files.rootfd >= 0)
		close(t->files.rootfd);
	t->files.rootfd = -1;
	variants_free(t->files.variants);
	t->files.variants = NULL;
}

bool transport_static_wants(const struct transport *t, const struct request *req)
{
	if (req->method != HTTP_GET && req->method != HTTP_HEAD)
		return false;
	for (size_t i = 0; i < t->files.n_prefixes; i++) {
		const char *p = t->files.api_prefixes[i];
		size_t n = strlen(p);

		if (!strncmp(req->path, p, n) && (req->path[n] == '\0' || req->path[n] == '/'))
			return false;
	}
	return true;
}

/* The type of name by its extension, with whether it is compressed into *coding, or NULL when it is not
 * one the static client is served with. */
static const char *static_type_of(const char *name, enum static_coding *coding)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');

	*coding = STATIC_AS_IS;
	if (!dot)
		return NULL;
	for (size_t i = 0; i < sizeof(static_types) / sizeof(static_types[0]); i++) {
		if (!strcasecmp(dot, static_types[i].ext)) {
			*coding = static_types[i].coding;
			return static_types[i].type;
		}
	}
	return NULL;
}

/* The key of the file served for path in the variants (as transport_files_each names it: components
 * without empty or "." ones, joined by '/', "index.html" appended for a directory) into out. Returns 0, or
 * -1 when it does not fit. */
static int static_key(const char *path, bool dir, char *out, size_t n)
{
	size_t len = 0;
	const char *p = path;

	while (*p) {
		const char *end = strchr(p, '/');
		size_t c = end ? (size_t)(end - p) : strlen(p);

		if (c && !(c == 1 && p[0] == '.')) {
			if (len + (len ? 1 : 0) + c >= n)
				return -1;
			if (len)
				out[len++] = '/';
			memcpy(out + len, p, c);
			len += c;
		}
		p += c + (end ? 1 : 0);
	}
	out[len] = '\0';
	if (dir && snprintf(out + len, n - len, "%s%s", len ? "/" : "", STATIC_INDEX) >= (int)(n - len))
		return -1;
	return 0;
}

static void static_release(void *ctx)
{
	struct static_file *f = ctx;

	if (!f)
		return;
	if (f->map)
		munmap(f->map, f->len);
	close(f->fd);
	free(f);
}

/* Opens the file path names under rootfd (a directory's index.html) into *fd, *st; its type into *type,
 * whether it is compressed into *coding, and its key in the variants into key (n bytes). 0 or -1. */
static int static_open(int rootfd, const char *path, int *fd, struct stat *st, const char **type,
		       enum static_coding *coding, char *key, size_t n)
{
	bool is_dir = false;
	int dir;

	*type = static_type_of(path, coding);
	*fd = transport_files_open(rootfd, path, st);
	if (*fd < 0)
		return -1;
	if (S_ISDIR(st->st_mode)) {
		is_dir = true;
		dir = *fd;
		*fd = transport_files_open(dir, STATIC_INDEX, st);
		close(dir);
		*type = static_type_of(STATIC_INDEX, coding);
		if (*fd < 0)
			return -1;
	}
	if (static_key(path, is_dir, key, n))
		*coding = STATIC_AS_IS; /* served, not compressed */
	if (!S_ISREG(st->st_mode) || !*type) {
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

void transport_static_serve(struct transport *t, const struct request *req, struct response *resp)
{
	enum compress_coding coding;
	struct static_file *f = NULL;
	char etag[96], key[TRANSPORT_FILES_PATH_MAX];
	enum static_coding compress;
	struct encodings_view view;
	bool coded, not_modified;
	const char *type;
	struct stat st;
	int fd = -1;

	if (t->files.rootfd < 0 ||
	    static_open(t->files.rootfd, req->path, &fd, &st, &type, &compress, key, sizeof(key)))
		goto missing;
	coded = compress == STATIC_COMPRESS && t->files.variants;
	/* strong: a file's bytes change only with its inode, size or modification time */
	snprintf(etag, sizeof(etag), "\"%llx-%llx-%llx.%lx\"", (unsigned long long)st.st_ino,
		 (unsigned long long)st.st_size, (unsigned long long)st.st_mtim.tv_sec,
		 (unsigned long)st.st_mtim.tv_nsec);
	coding = api_encoded_begin(
	    req, resp, coded, coded ? variants_ready(t->files.variants, &t->wake, key, fd, &st) : 0, etag,
	    (int64_t)st.st_mtim.tv_sec,
	    strcmp(req->path, STATIC_WORKER_PATH) ? STATIC_CACHE_CONTROL : STATIC_WORKER_CACHE_CONTROL, type,
	    &not_modified);
	if (not_modified) {
		close(fd);
		return;
	}
	if (coding != COMPRESS_IDENTITY) {
		close(fd); /* the variant's bytes are in its memory file */
		if (variants_take(t->files.variants, key, coding, &view))
			goto internal; /* ready a moment ago: cannot happen */
		api_encoded_reply(resp, coding, &view, type);
		return;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		goto fail;
	f->fd = fd;
	f->len = (size_t)st.st_size;
	if (f->len) {
		/* the bytes for TLS and HTTP/2 (plain HTTP/1 sends from fd); mapped, not read: nothing
		 * waits on the disk here. A release replaces the web root's files (new inodes), it does not
		 * rewrite them in place: a file cut short under the mapping would fault its reader. */
		f->map = mmap(NULL, f->len, PROT_READ, MAP_SHARED, fd, 0);
		if (f->map == MAP_FAILED) {
			f->map = NULL;
			goto fail;
		}
	}
	resp->shared = f->map ? f->map : "";
	resp->shared_len = f->len;
	resp->shared_headroom = 0;
	resp->shared_fd = f->len ? fd : -1;
	resp->release = static_release;
	resp->shared_ctx = f;
	api_reply_raw(resp, API_OK, type);
	return;
fail:
	log_err("cannot map %s: %s", req->path, strerror(errno));
	free(f);
	close(fd);
internal:
	resp->n_headers = 0;
	api_fail(resp, API_INTERNAL, NULL, "internal error");
	return;
missing:
	api_fail(resp, API_NOT_FOUND, NULL, "no such resource: %s", req->path);
}

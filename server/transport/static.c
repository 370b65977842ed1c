/*
 * transport/static: serves the static client (the web root's files) from majlisd's own HTTP callback — a
 * GET or HEAD outside the API's paths becomes a response holding the open file, which the writer sends
 * with sendfile() or from a read-only mapping; it never reads a file into memory and answers nothing else.
 */
#include "transport/static.h"
#include "transport/files.h"
#include "transport/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/conditional.h"
#include "api/errors.h"
#include "api/request.h"
#include "util/log.h"

/* files change with releases: browsers keep them briefly, then revalidate (304); no shared cache */
#define STATIC_CACHE_CONTROL "must-revalidate, private, max-age=300"
#define STATIC_INDEX	     "index.html"

/* The types served, by extension (any case); a file of another extension is not served (404), as lws's
 * file mount refused a type it did not know. */
static const struct {
	const char *ext;
	const char *type;
} static_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".ics", "text/calendar; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".xml", "application/xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".otf", "font/otf"},
    {".pdf", "application/pdf"},
};

/* One per static answer being written: the open file and its mapping, freed by static_release once the
 * transport has sent it. Service thread only. */
struct static_file {
	int fd;
	void *map; /* NULL for an empty file */
	size_t len;
};

int transport_static_init(struct transport *t, const char *root, const char *const *api_prefixes, size_t n)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	transport_static_stop(t);
	t->files.rootfd = fd;
	t->files.api_prefixes = api_prefixes;
	t->files.n_prefixes = n;
	return 0;
}

void transport_static_stop(struct transport *t)
{
	if (t->files.rootfd >= 0)
		close(t->files.rootfd);
	t->files.rootfd = -1;
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

/* The type of name by its extension, or NULL when it is not one the static client is served with. */
static const char *static_type_of(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');

	if (!dot)
		return NULL;
	for (size_t i = 0; i < sizeof(static_types) / sizeof(static_types[0]); i++)
		if (!strcasecmp(dot, static_types[i].ext))
			return static_types[i].type;
	return NULL;
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

/* Opens the file path names under rootfd (a directory's index.html) into *fd, *st; its type into *type.
 * 0 or -1. */
static int static_open(int rootfd, const char *path, int *fd, struct stat *st, const char **type)
{
	int dir;

	*type = static_type_of(path);
	*fd = transport_files_open(rootfd, path, st);
	if (*fd < 0)
		return -1;
	if (S_ISDIR(st->st_mode)) {
		dir = *fd;
		*fd = transport_files_open(dir, STATIC_INDEX, st);
		close(dir);
		*type = static_type_of(STATIC_INDEX);
		if (*fd < 0)
			return -1;
	}
	if (!S_ISREG(st->st_mode) || !*type) {
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

void transport_static_serve(const struct transport *t, const struct request *req, struct response *resp)
{
	struct static_file *f = NULL;
	char etag[96], date[API_HTTP_DATE_LEN];
	const char *type;
	struct stat st;
	int fd = -1;

	if (t->files.rootfd < 0 || static_open(t->files.rootfd, req->path, &fd, &st, &type))
		goto missing;
	/* strong: a file's bytes change only with its inode, size or modification time */
	snprintf(etag, sizeof(etag), "\"%llx-%llx-%llx.%lx\"", (unsigned long long)st.st_ino,
		 (unsigned long long)st.st_size, (unsigned long long)st.st_mtim.tv_sec,
		 (unsigned long)st.st_mtim.tv_nsec);
	api_http_date((int64_t)st.st_mtim.tv_sec, date);
	response_header(resp, "ETag", etag);
	if (date[0])
		response_header(resp, "Last-Modified", date);
	response_header(resp, "Cache-Control", STATIC_CACHE_CONTROL);
	if (api_not_modified(req, etag, (int64_t)st.st_mtim.tv_sec)) {
		close(fd);
		api_reply_raw(resp, API_NOT_MODIFIED, type);
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
	resp->n_headers = 0;
	api_fail(resp, API_INTERNAL, NULL, "internal error");
	return;
missing:
	api_fail(resp, API_NOT_FOUND, NULL, "no such resource: %s", req->path);
}

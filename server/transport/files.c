/*
 * transport/files: opens the static client's files for lws's file mount, only regular files under the web
 * root and never through a symbolic link; reading and closing stay lws's own.
 */
#include "transport/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *files_root; /* absolute, without symbolic links; the mount's origin */
static size_t files_root_len;

/* Opens path (relative, '/'-separated) from the directory dirfd, one component at a time, following no
 * symbolic link and refusing "..". Returns a descriptor or -1 (errno set). Consumes dirfd. */
static int files_walk(int dirfd, const char *path)
{
	char name[NAME_MAX + 1];
	const char *p = path;

	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		int fd;

		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n + (end ? 1 : 0);
			continue;
		}
		if (n > NAME_MAX || (n == 2 && p[0] == '.' && p[1] == '.')) {
			close(dirfd);
			errno = ENOENT;
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		/* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below anyway) */
		fd = openat(dirfd, name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | (end ? O_DIRECTORY : 0));
		close(dirfd);
		if (fd < 0)
			return -1;
		dirfd = fd;
		p += n + (end ? 1 : 0);
	}
	return dirfd;
}

/* lws's open for the file mount: filename is the origin (files_root), '/', and the request's path. */
static lws_fop_fd_t files_open(const struct lws_plat_file_ops *fops, const char *filename, const char *vpath,
			       lws_fop_flags_t *flags)
{
	lws_fop_fd_t f = NULL;
	struct stat st;
	int fd = -1;

	(void)vpath;
	if ((*flags & LWS_FOP_FLAGS_MASK) != LWS_O_RDONLY || strncmp(filename, files_root, files_root_len) ||
	    filename[files_root_len] != '/')
		goto out;
	fd = open(files_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		goto out;
	fd = files_walk(fd, filename + files_root_len + 1);
	if (fd < 0 || fstat(fd, &st) || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
		goto out;
	/* as lws's own open makes it: its close frees it and closes fd */
	f = malloc(sizeof(*f));
	if (!f)
		goto out;
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->fops = fops;
	f->flags = *flags;
	f->len = (lws_filepos_t)st.st_size;
	return f;
out:
	if (fd >= 0)
		close(fd);
	errno = ENOENT;
	return NULL;
}

void transport_files_restrict(struct lws_context *ctx, const char *root)
{
	struct lws_plat_file_ops *fops = lws_get_fops(ctx);

	files_root = root;
	files_root_len = strlen(root);
	while (files_root_len > 1 && root[files_root_len - 1] == '/')
		files_root_len--;
	fops->LWS_FOP_OPEN = files_open;
}

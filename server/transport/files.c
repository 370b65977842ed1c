/*
 * transport/files: opens the static client's files under the web root, one path component at a time,
 * never through a symbolic link and never a FIFO or device; reading and serving stay transport/static.c's.
 */
#include "transport/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Opens path from the directory dirfd, one component at a time, following no symbolic link and refusing
 * "..". Returns a descriptor or -1 (errno set). Consumes dirfd. */
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

int transport_files_open(int rootfd, const char *path, struct stat *st)
{
	int fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	fd = files_walk(fd, path);
	if (fd < 0)
		goto refuse;
	if (fstat(fd, st) || !(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode)))
		goto refuse;
	return fd;
refuse:
	if (fd >= 0)
		close(fd);
	errno = ENOENT;
	return -1;
}

/* The walk of transport_files_each below the directory dfd (consumed), whose path is path (len bytes,
 * "" for the root). Adds the files given to fn to *n. */
static void files_each_dir(int dfd, char *path, size_t len, int depth, int max_depth, int max_files, int *n,
			   transport_files_fn fn, void *ctx)
{
	DIR *dir = fdopendir(dfd);
	struct dirent *de;

	if (!dir) {
		close(dfd);
		return;
	}
	while (*n < max_files && (de = readdir(dir))) {
		struct stat st;
		size_t nl = strlen(de->d_name);
		int fd;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (len + (len ? 1 : 0) + nl >= TRANSPORT_FILES_PATH_MAX)
			continue;
		fd = openat(dirfd(dir), de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st)) {
			close(fd);
			continue;
		}
		snprintf(path + len, TRANSPORT_FILES_PATH_MAX - len, "%s%s", len ? "/" : "", de->d_name);
		if (S_ISREG(st.st_mode)) {
			fn(ctx, path, fd, &st);
			(*n)++;
			close(fd);
		} else if (S_ISDIR(st.st_mode) && depth < max_depth) {
			files_each_dir(fd, path, strlen(path), depth + 1, max_depth, max_files, n, fn, ctx);
		} else {
			close(fd);
		}
		path[len] = '\0';
	}
	closedir(dir);
}

int transport_files_each(int rootfd, int max_depth, int max_files, transport_files_fn fn, void *ctx)
{
	char path[TRANSPORT_FILES_PATH_MAX];
	/* a new open file description: a duplicate would share (and move) the root's directory position */
	int fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), n = 0;

	if (fd < 0)
		return 0;
	path[0] = '\0';
	files_each_dir(fd, path, 0, 0, max_depth, max_files, &n, fn, ctx);
	return n;
}

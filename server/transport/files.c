/*
 * transport/files: opens the static client's files under the web root, one path component at a time,
 * never through a symbolic link and never a FIFO or device; reading and serving stay transport/static.c's.
 */
#include "transport/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* memfile: sealed anonymous memory files (see memfile.h). */
#define _GNU_SOURCE
#include "util/memfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

static void memfile_empty(struct memfile *m)
{
	m->fd = -1;
	m->map = NULL;
	m->size = 0;
}

int memfile_create(struct memfile *m, const char *name, size_t headroom, const void *data, size_t len)
{
	size_t size = headroom + len + 1, done = 0;
	const char *src = data;
	void *map;
	int fd, saved;

	memfile_empty(m);
	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)size)) /* the headroom and the final NUL are zeros */
		goto fail;
	while (done < len) {
		ssize_t w = pwrite(fd, src + done, len - done, (off_t)(headroom + done));

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		done += (size_t)w;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL))
		goto fail;
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		goto fail;
	m->fd = fd;
	m->map = map;
	m->size = size;
	return 0;
fail:
	saved = errno ? errno : EIO;
	close(fd);
	errno = saved;
	return -1;
}

void memfile_close_fd(struct memfile *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}

void memfile_free(struct memfile *m)
{
	if (m->map)
		munmap((void *)(uintptr_t)m->map, m->size);
	if (m->fd >= 0)
		close(m->fd);
	memfile_empty(m);
}

/*
 * memfile: immutable bytes in an anonymous memory file (memfd), sealed against any change once written,
 * readable through a read-only mapping and sendable to a socket with sendfile() without a copy in user
 * space. The kernel keeps the pages alive while a socket still references them, so a memfile may be freed
 * while its bytes are in flight. Linux only.
 */
#ifndef MAJLIS_UTIL_MEMFILE_H
#define MAJLIS_UTIL_MEMFILE_H

#include <stddef.h>

struct memfile {
	int fd;		 /* sealed: no write, growth or shrinking; -1 when empty */
	const char *map; /* the file's size bytes, read-only; NULL when empty */
	size_t size;
};

/* Fills m with headroom zero bytes, then len bytes of data, then one NUL byte (size = headroom + len + 1).
 * name shows in /proc/<pid>/fd. Returns 0, or -1 with errno set and m empty. Any thread. */
int memfile_create(struct memfile *m, const char *name, size_t headroom, const void *data, size_t len);
/* Closes m's descriptor and keeps its mapping (fd becomes -1): its bytes are then sent from memory, not by
 * sendfile(). For bytes kept by the hundred (every static file's encodings), which would otherwise hold one
 * descriptor each and take them from the connections under the process's limit. */
void memfile_close_fd(struct memfile *m);
/* Unmaps and closes m, leaving it empty. Accepts an empty memfile. */
void memfile_free(struct memfile *m);

#endif

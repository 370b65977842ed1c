/*
 * transport/files: opens the static client's files under the web root, only regular files (or
 * directories) reached through real directories; it decides nothing about what is served.
 */
#ifndef MAJLIS_TRANSPORT_FILES_H
#define MAJLIS_TRANSPORT_FILES_H

#include <sys/stat.h>

/*
 * Opens path ('/'-separated, relative to the directory rootfd; leading, doubled and "." components are
 * skipped) one component at a time with openat(O_NOFOLLOW): no symbolic link is followed, not even one
 * pointing inside the root, no ".." component is accepted, and no FIFO or device is opened. Returns a
 * descriptor (O_CLOEXEC, read-only) of a regular file or a directory, with its stat in *st, or -1 (errno
 * set; ENOENT for everything refused). rootfd stays the caller's. Any thread; it never blocks on a FIFO.
 */
int transport_files_open(int rootfd, const char *path, struct stat *st);

/* Called by transport_files_each with each regular file: path relative to the root ("sub/app.js"), fd
 * open read-only and st its stat; both the walk's (closed after the call). */
typedef void (*transport_files_fn)(void *ctx, const char *path, int fd, const struct stat *st);

/*
 * Calls fn(ctx, ...) for the regular files under the directory rootfd as transport_files_open reaches
 * them (no symbolic link followed, no FIFO or device opened), directories first-come depth first, at
 * most max_depth directories below the root and max_files files in all; a path longer than
 * TRANSPORT_FILES_PATH_MAX is skipped. Returns the number of files given to fn. rootfd stays the
 * caller's. Any thread; it reads directories (made for start-up, not for the service loop).
 */
#define TRANSPORT_FILES_PATH_MAX 1024
int transport_files_each(int rootfd, int max_depth, int max_files, transport_files_fn fn, void *ctx);

#endif

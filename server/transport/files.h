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

#endif

/*
 * transport/files: the file operations of lws's static file mount, restricted to the web root; it serves
 * nothing itself.
 */
#ifndef MAJLIS_TRANSPORT_FILES_H
#define MAJLIS_TRANSPORT_FILES_H

#include <libwebsockets.h>

/* From now on lws opens a static file of ctx only when it is a regular file (or a directory, in which lws
 * then looks for index.html) reached from root, an absolute path without symbolic links (realpath), through
 * real directories: no symbolic link below root is followed, no ".." leaves it, and no FIFO or device is
 * opened. The mount's origin must be root itself. Service thread; root must outlive ctx. */
void transport_files_restrict(struct lws_context *ctx, const char *root);

#endif

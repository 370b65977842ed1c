/*
 * transport/accept: keeps the loop calm at the process's file descriptor limit; it serves no connection.
 */
#ifndef MAJLIS_TRANSPORT_ACCEPT_H
#define MAJLIS_TRANSPORT_ACCEPT_H

#include <stdbool.h>

/* Finds the listening socket on port (after the lws context exists) and keeps one descriptor in reserve.
 * Returns 0, or -1 when neither is possible (majlisd then runs without this protection). One server per
 * process (its state is the process's: see transport/accept.c). Service thread. */
int transport_accept_init(int port);
/* Releases the reserve. */
void transport_accept_stop(void);
/* The listening socket transport_accept_init found, or -1. */
int transport_accept_listen_fd(void);

/* For lws's log lines (service thread): true when line is lws 4.1's "accept: errno 24" (EMFILE) or 23
 * (ENFILE), which it logs on every pass of the loop while a connection waits that it cannot accept. The
 * waiting connections are then accepted with the reserved descriptor and closed at once (the client sees
 * the connection closed, not a hang), so that the listening socket stops waking the loop; the episode is
 * logged once, here, and the caller drops the line. */
bool transport_accept_lws_log(const char *line);
/* A connection was accepted: ends an episode of refusals (logged once). Service thread. */
void transport_accept_ok(void);

#endif

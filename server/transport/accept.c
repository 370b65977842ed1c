/*
 * transport/accept: at the file descriptor limit, refuses new connections cleanly (accepted through a
 * reserved descriptor and closed at once) instead of letting lws retry accept() and log on every pass of the
 * loop; it touches no connection that lws accepted.
 */
#include "transport/accept.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/log.h"

/*
 * One per process, not per struct transport, because what drives it is the process's: lws 4.1 reports the
 * failed accept() only through its log callback, which lws_set_log_level installs for the whole process
 * and which carries no context or user pointer (the line does not say whose listening socket failed);
 * and the descriptor limit it reports is the process's, met by every instance at once. So this serves the
 * one listening socket of the process's one server (main.c); a second instance in the same process would
 * run without this protection (transport_accept_init finds the first socket only). Service thread of that
 * server, where lws logs the line.
 */
static int accept_listen_fd = -1; /* lws's listening socket, found by its port */
static int accept_reserve = -1;	  /* /dev/null, closed to make room for one accept() */
static bool accept_full;	  /* in an episode of refusals */
static unsigned long accept_refused;

static int accept_port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return -1;
}

int transport_accept_init(int port)
{
	struct rlimit rl;
	int max = 1024;

	if (accept_reserve >= 0) {
		log_warn(
		    "no protection against the file descriptor limit for port %d: it serves another server "
		    "of this process",
		    port);
		return -1;
	}
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 65536)
		max = (int)rl.rlim_cur;
	/* lws creates its listening socket among the first descriptors of the process */
	for (int fd = 3; fd < max && fd < 4096 && accept_listen_fd < 0; fd++) {
		int on = 0;
		socklen_t len = sizeof(on);

		if (!getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) && on && accept_port_of(fd) == port)
			accept_listen_fd = fd;
	}
	accept_reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (accept_listen_fd < 0 || accept_reserve < 0) {
		log_warn("no protection against the file descriptor limit (listening socket %s, reserve %s)",
			 accept_listen_fd < 0 ? "not found" : "found",
			 accept_reserve < 0 ? "not opened" : "opened");
		return -1;
	}
	return 0;
}

void transport_accept_stop(void)
{
	if (accept_reserve >= 0)
		close(accept_reserve);
	accept_reserve = -1;
	accept_listen_fd = -1;
}

int transport_accept_listen_fd(void)
{
	return accept_listen_fd;
}

/* Accepts and closes every connection waiting on the listening socket, with the reserve's slot. */
static void accept_refuse_waiting(void)
{
	struct pollfd p = {.fd = accept_listen_fd, .events = POLLIN};

	if (accept_listen_fd < 0 || accept_reserve < 0)
		return;
	close(accept_reserve);
	accept_reserve = -1;
	while (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
		int fd = accept(accept_listen_fd, NULL, NULL);

		if (fd < 0)
			break;
		close(fd);
		accept_refused++;
	}
	accept_reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

bool transport_accept_lws_log(const char *line)
{
	static const char prefix[] = "accept: errno ";
	long e;

	if (strncmp(line, prefix, sizeof(prefix) - 1))
		return false;
	e = strtol(line + sizeof(prefix) - 1, NULL, 10);
	if (e != EMFILE && e != ENFILE)
		return false;
	if (!accept_full) {
		accept_full = true;
		log_warn("out of file descriptors (%s): refusing new connections until some close",
			 e == EMFILE ? "the process's limit" : "the system's limit");
	}
	accept_refuse_waiting();
	return true;
}

void transport_accept_ok(void)
{
	if (!accept_full)
		return;
	accept_full = false;
	log_notice("accepting connections again (%lu refused at the file descriptor limit)", accept_refused);
	accept_refused = 0;
}

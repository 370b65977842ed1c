/*
 * bench/reg_client: the HTTP load client of bench/registrations.sh, on plain epoll: sends COUNT public
 * registrations of distinct people over CONNS kept-alive connections, one request in flight on each, and
 * prints their rate and answer times; it never listens and is not part of the test suite.
 *
 * usage: reg_client --port P --path PATH --count N [--conns 16] [--tag S] [--host 127.0.0.1]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ANSWER_MAX 16384 /* bytes of one answer */

/* One per connection; the only thread. */
struct reg_conn {
	int fd;
	char req[1024];
	size_t req_len, req_off;
	char ans[ANSWER_MAX + 1];
	size_t ans_len;
	int64_t sent_ns; /* when the request's first byte was written */
	bool busy;	 /* a request is in flight */
};

static struct {
	const char *host;
	int port;
	const char *path;
	long count;
	int conns;
	const char *tag;
} opt = {.host = "127.0.0.1", .conns = 16, .tag = "bench"};

static struct sockaddr_in server_addr;
static int epfd;
static long started, answered, failed, reconnects;
static int64_t *lat;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "reg_client: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* (Re)connects c, blocking: the connections are few and made before the clock runs. */
static void conn_connect(struct reg_conn *c)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&server_addr, sizeof(server_addr)))
		die("connect");
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev))
		die("epoll_ctl");
}

static void conn_reset(struct reg_conn *c)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	reconnects++;
	conn_connect(c);
}

/* Puts the next registration (a person never used before) on c, if any is left. */
static void conn_next(struct reg_conn *c)
{
	char body[512];
	int bn;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};

	c->busy = false;
	if (started == opt.count)
		return;
	started++;
	bn = snprintf(
	    body, sizeof(body),
	    "{\"name\":\"Bench %s %ld\",\"email\":\"reg-%s-%ld@example.org\",\"sex\":\"%s\",\"lang\":\"fr\","
	    "\"consent\":true}",
	    opt.tag, started, opt.tag, started, started % 2 ? "female" : "male");
	c->req_len = (size_t)snprintf(c->req, sizeof(c->req),
				      "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
				      "Content-Length: %d\r\n\r\n%s",
				      opt.path, opt.host, opt.port, bn, body);
	c->req_off = 0;
	c->ans_len = 0;
	c->busy = true;
	c->sent_ns = now_ns();
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* The length of a complete answer in c->ans (header block and Content-Length bytes), or 0. */
static size_t answer_len(struct reg_conn *c)
{
	char *end, *p;
	long clen = 0;

	c->ans[c->ans_len] = '\0';
	end = strstr(c->ans, "\r\n\r\n");
	if (!end)
		return 0;
	p = strcasestr(c->ans, "\r\ncontent-length:");
	if (p && p < end)
		clen = strtol(p + 17, NULL, 10);
	if ((size_t)(end + 4 - c->ans) + (size_t)clen > c->ans_len)
		return 0;
	return (size_t)(end + 4 - c->ans) + (size_t)clen;
}

static void conn_event(struct reg_conn *c, uint32_t events)
{
	if (c->busy && c->req_off < c->req_len && (events & EPOLLOUT)) {
		ssize_t n = write(c->fd, c->req + c->req_off, c->req_len - c->req_off);

		if (n < 0 && errno != EAGAIN) {
			failed++;
			conn_reset(c);
			conn_next(c);
			return;
		}
		if (n > 0)
			c->req_off += (size_t)n;
		if (c->req_off == c->req_len) {
			struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};

			epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
		}
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		ssize_t n = read(c->fd, c->ans + c->ans_len, ANSWER_MAX - c->ans_len);
		size_t len;
		int status = 0;

		if (n < 0 && errno == EAGAIN)
			return;
		if (n <=
		    0) { /* closed by the server: that request is lost, the next goes on a new connection */
			if (c->busy)
				failed++;
			conn_reset(c);
			conn_next(c);
			return;
		}
		c->ans_len += (size_t)n;
		len = answer_len(c);
		if (!len)
			return;
		if (sscanf(c->ans, "HTTP/1.1 %d", &status) != 1 || status != 201) {
			if (failed < 3)
				fprintf(stderr, "reg_client: answered %.300s\n", c->ans);
			failed++;
		} else {
			lat[answered++] = now_ns() - c->sent_ns;
		}
		conn_next(c);
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct reg_conn *conns;
	int64_t t0, t1;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *a = argv[i], *v = argv[i + 1];

		if (!strcmp(a, "--host"))
			opt.host = v;
		else if (!strcmp(a, "--port"))
			opt.port = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--path"))
			opt.path = v;
		else if (!strcmp(a, "--count"))
			opt.count = strtol(v, NULL, 10);
		else if (!strcmp(a, "--conns"))
			opt.conns = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--tag"))
			opt.tag = v;
	}
	if (opt.port <= 0 || !opt.path || opt.count <= 0 || opt.conns <= 0 ||
	    inet_pton(AF_INET, opt.host, &server_addr.sin_addr) != 1 ||
	    (ntohl(server_addr.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "usage: reg_client --port P --path PATH --count N [--conns 16] [--tag S] "
				"[--host 127.x.x.x]\n");
		return 2;
	}
	server_addr.sin_family = AF_INET;
	server_addr.sin_port = htons((uint16_t)opt.port);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	conns = calloc((size_t)opt.conns, sizeof(*conns));
	lat = calloc((size_t)opt.count, sizeof(*lat));
	if (epfd < 0 || !conns || !lat)
		die("set-up");
	for (int i = 0; i < opt.conns; i++)
		conn_connect(&conns[i]);
	t0 = now_ns();
	for (int i = 0; i < opt.conns; i++)
		conn_next(&conns[i]);
	while (answered + failed < opt.count) {
		struct epoll_event evs[64];
		int n = epoll_wait(epfd, evs, 64, 1000);

		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (int i = 0; i < n; i++)
			conn_event(evs[i].data.ptr, evs[i].events);
	}
	t1 = now_ns();
	qsort(lat, (size_t)answered, sizeof(*lat), cmp_i64);
	double secs = (double)(t1 - t0) / 1e9;
	double p50 = answered ? (double)lat[answered / 2] / 1e6 : 0;
	double p99 = answered ? (double)lat[(answered * 99) / 100] / 1e6 : 0;

	fprintf(
	    stderr,
	    "reg_client: %ld registrations (%ld failed) over %d connections in %.2f s: %.0f/s, p50 %.1f ms, "
	    "p99 %.1f ms\n",
	    answered, failed, opt.conns, secs, (double)answered / secs, p50, p99);
	printf("RESULT count=%ld failed=%ld secs=%.3f rate=%.1f p50_ms=%.2f p99_ms=%.2f reconnects=%ld\n",
	       answered, failed, secs, (double)answered / secs, p50, p99, reconnects);
	for (int i = 0; i < opt.conns; i++)
		close(conns[i].fd);
	free(conns);
	free(lat);
	close(epfd);
	return failed ? 3 : 0;
}

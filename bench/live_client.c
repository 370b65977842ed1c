/*
 * bench/live_client: the load client of bench/live.sh, on plain epoll and not on libwebsockets (it shares
 * no code with the servers it measures): opens N WebSocket connections, makes a series of changes by HTTP
 * POSTs on separate sockets, timestamps every delivery and prints latency, fan-out, server CPU and RSS
 * figures; it never listens and is not part of the test suite.
 *
 * usage: live_client --port P --clients N --post-path PATH [options] (live_client --help lists them)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WS_GUID	   "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define HS_MAX	   4096		/* bytes of a handshake answer */
#define MSG_MAX	   (256 * 1024) /* bytes of one server message (all its fragments) */
#define ANSWER_MAX 16384	/* bytes of a POST's answer */

enum conn_state { WS_CLOSED, WS_CONNECTING, WS_HANDSHAKE, WS_OPEN }; /* calloc'ed: closed */

/* One per WebSocket connection; the only thread. */
struct ws_conn {
	int fd;
	int idx;
	enum conn_state state;
	char key[32];	 /* Sec-WebSocket-Key sent (base64 of 16 random bytes) */
	char *buf;	 /* bytes received and not parsed yet (handshake answer, then frames) */
	size_t len, cap; /* used and allocated bytes of buf */
	char *msg;	 /* the message being reassembled from fragments */
	size_t msg_len;	 /* its bytes so far */
	bool msg_text;	 /* its first fragment was text */
	bool in_msg;	 /* a fragmented message is under way */
};

/* One per change (POST); the only thread. */
struct change {
	int fd;
	int64_t sent_ns;     /* when connect() was called for it */
	int64_t answered_ns; /* when its whole answer arrived; 0 until then */
	int status;	     /* HTTP status of the answer */
	int64_t id;	     /* the id the answer gave (the registration's), -1 if none */
	char *req;	     /* request bytes */
	size_t req_len, req_off;
	char ans[ANSWER_MAX + 1];
	size_t ans_len;
	bool done;
};

/* One per change frame received: which change (by the id the frame carries), on which connection, when. */
struct delivery {
	int64_t id;
	int64_t t_ns;
	int conn;
};

/* Tags in epoll data: a pointer to one of these two kinds. */
struct ep_tag {
	int kind; /* 0: ws_conn, 1: change */
	void *p;
};

static struct {
	const char *host;
	int port;
	int clients;
	const char *path;
	const char *protocol;
	const char *bearer;
	int pending_max;
	int changes;
	int interval_ms;
	const char *post_path;
	const char *tag;
	int server_pid;
	int settle_ms;
	int timeout_s;
	const char *label;
	const char *trace;
} opt = {
    .host = "127.0.0.1",
    .path = "/live",
    .protocol = "majlis-live",
    .pending_max = 100,
    .changes = 50,
    .interval_ms = 100,
    .tag = "bench",
    .settle_ms = 1000,
    .timeout_s = 30,
    .label = "server",
};

static int epfd;
static struct sockaddr_in server_addr;
static struct ws_conn *conns;
static struct ep_tag *conn_tags;
static struct change *changes;
static struct ep_tag *change_tags;
static struct delivery *deliveries;
static size_t n_deliveries, cap_deliveries;
static long other_frames, subscribed, change_messages, pings, closes_by_server, handshake_failures,
    bad_frames;
static int n_open, n_pending, next_conn;
static volatile sig_atomic_t stop_flag;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "live_client: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q)
		die("out of memory%s", "");
	return q;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* The server's CPU time in ns: the sum over its threads of /proc/PID/task/TID/schedstat (the scheduler's
 * own ns count); without schedstat, utime + stime of /proc/PID/stat (clock ticks, 10 ms apart). */
static int server_cpu_ns(long long *ns)
{
	char path[300], buf[4096];
	struct dirent *e;
	long long sum = 0;
	size_t n;
	DIR *d;
	FILE *f;
	char *p;
	unsigned long long ut, st;

	snprintf(path, sizeof(path), "/proc/%d/task", opt.server_pid);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		long long run;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat", opt.server_pid, e->d_name);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%lld", &run) != 1) {
			if (f)
				fclose(f);
			sum = -1;
			break;
		}
		fclose(f);
		sum += run;
	}
	if (d)
		closedir(d);
	if (d && sum > 0) {
		*ns = sum;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", opt.server_pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (!p)
		return -1;
	/* after ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14)
	 * stime */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	*ns = (long long)(ut + st) * (1000000000LL / sysconf(_SC_CLK_TCK));
	return 0;
}

/* The server process's CPU time (server_cpu_ns) and its RSS in KiB; -1 if unreadable. */
static int server_usage(long long *cpu_ns, long long *rss_kib)
{
	char path[64];
	long long pages, res;
	FILE *f;

	if (opt.server_pid <= 0 || server_cpu_ns(cpu_ns))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/statm", opt.server_pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld %lld", &pages, &res) != 2) {
		fclose(f);
		return -1;
	}
	fclose(f);
	*rss_kib = res * (sysconf(_SC_PAGESIZE) / 1024);
	return 0;
}

/* Starts a non-blocking connect to the server; the socket, or -1. */
static int start_connect(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&server_addr, sizeof(server_addr)) && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static void buf_append(char **buf, size_t *len, size_t *cap, const char *data, size_t n, size_t max)
{
	if (*len + n > max)
		die("a server message is larger than %s bytes", "256 KiB");
	if (*len + n > *cap) {
		size_t c = *cap ? *cap : 512;

		while (c < *len + n)
			c *= 2;
		*buf = xrealloc(*buf, c);
		*cap = c;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
}

/* Writes all of a small control frame (masked, as a client must); -1 on error. */
static int ws_send(struct ws_conn *c, int opcode, const unsigned char *payload, size_t n)
{
	unsigned char f[2 + 4 + 125];
	unsigned char mask[4];
	size_t off = 0;

	if (n > 125)
		n = 125;
	RAND_bytes(mask, sizeof(mask));
	f[off++] = (unsigned char)(0x80 | opcode);
	f[off++] = (unsigned char)(0x80 | n);
	memcpy(f + off, mask, 4);
	off += 4;
	for (size_t i = 0; i < n; i++)
		f[off++] = payload[i] ^ mask[i % 4];
	return write(c->fd, f, off) == (ssize_t)off ? 0 : -1;
}

static void conn_close(struct ws_conn *c)
{
	if (c->state == WS_CLOSED)
		return;
	if (c->state == WS_OPEN)
		n_open--;
	else
		n_pending--;
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->state = WS_CLOSED;
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
}

/* Opens the next WebSocket connection (its handshake is sent once connected). */
static void conn_open_next(void)
{
	struct ws_conn *c = &conns[next_conn];
	unsigned char raw[16];
	struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN};

	c->idx = next_conn++;
	RAND_bytes(raw, sizeof(raw));
	EVP_EncodeBlock((unsigned char *)c->key, raw, sizeof(raw));
	c->fd = start_connect();
	if (c->fd < 0) {
		if (handshake_failures++ < 5)
			fprintf(stderr, "live_client: connect %d: %s\n", c->idx, strerror(errno));
		c->state = WS_CLOSED;
		return;
	}
	c->state = WS_CONNECTING;
	n_pending++;
	conn_tags[c->idx] = (struct ep_tag){.kind = 0, .p = c};
	ev.data.ptr = &conn_tags[c->idx];
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev))
		die("epoll_ctl: %s", strerror(errno));
}

static void conn_send_handshake(struct ws_conn *c)
{
	char req[2048];
	int n;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conn_tags[c->idx]};
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		if (handshake_failures++ < 5)
			fprintf(stderr, "live_client: connect %d: %s\n", c->idx, strerror(err));
		conn_close(c);
		return;
	}
	n = snprintf(req, sizeof(req),
		     "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		     "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\n"
		     "%s%s%s\r\n",
		     opt.path, opt.host, opt.port, c->key, opt.protocol,
		     opt.bearer ? "Authorization: Bearer " : "", opt.bearer ? opt.bearer : "",
		     opt.bearer ? "\r\n" : "");
	if (n <= 0 || (size_t)n >= sizeof(req) || write(c->fd, req, (size_t)n) != n) {
		handshake_failures++;
		conn_close(c);
		return;
	}
	c->state = WS_HANDSHAKE;
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* The value of header name in the header block hdr (NUL-terminated), copied into out; 0 if found. */
static int header_value(const char *hdr, const char *name, char *out, size_t outsz)
{
	size_t nl = strlen(name);
	const char *p = strstr(hdr, "\r\n");

	while (p && p[2] != '\r') {
		const char *line = p + 2;
		const char *end = strstr(line, "\r\n");

		if (!end)
			break;
		if ((size_t)(end - line) > nl && line[nl] == ':' && !strncasecmp(line, name, nl)) {
			const char *v = line + nl + 1;
			size_t vl;

			while (*v == ' ' || *v == '\t')
				v++;
			vl = (size_t)(end - v);
			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			if (vl >= outsz)
				vl = outsz - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return 0;
		}
		p = end;
	}
	return -1;
}

/* Checks the handshake answer once its header block is in c->buf: 101, the Accept of our key and our
 * subprotocol. 1: not complete yet, 0: open (leftover bytes stay in buf as frames), -1: refused. */
static int conn_check_handshake(struct ws_conn *c)
{
	char *end, hdr[HS_MAX + 1], want[64], got[128];
	unsigned char sha[SHA_DIGEST_LENGTH];
	char cat[128];
	size_t hl;
	int status = 0;

	if (c->len > HS_MAX)
		return -1;
	memcpy(hdr, c->buf, c->len);
	hdr[c->len] = '\0';
	end = strstr(hdr, "\r\n\r\n");
	if (!end)
		return 1;
	hl = (size_t)(end - hdr) + 4;
	end[2] = '\0'; /* keep the last line's CRLF for header_value */
	if (sscanf(hdr, "HTTP/1.1 %d", &status) != 1 || status != 101) {
		if (handshake_failures < 5)
			fprintf(stderr, "live_client: handshake %d refused: %.*s\n", c->idx,
				(int)strcspn(hdr, "\r"), hdr);
		return -1;
	}
	snprintf(cat, sizeof(cat), "%s%s", c->key, WS_GUID);
	SHA1((unsigned char *)cat, strlen(cat), sha);
	EVP_EncodeBlock((unsigned char *)want, sha, sizeof(sha));
	if (header_value(hdr, "Sec-WebSocket-Accept", got, sizeof(got)) || strcmp(got, want)) {
		fprintf(stderr, "live_client: handshake %d: wrong Sec-WebSocket-Accept\n", c->idx);
		return -1;
	}
	if (header_value(hdr, "Sec-WebSocket-Protocol", got, sizeof(got)) || strcasecmp(got, opt.protocol)) {
		fprintf(stderr, "live_client: handshake %d: subprotocol not %s\n", c->idx, opt.protocol);
		return -1;
	}
	memmove(c->buf, c->buf + hl, c->len - hl);
	c->len -= hl;
	return 0;
}

/* A complete text message: a change names its change by "registration_id", and a v2 array message carries
 * several, each counted as one delivery; v2's "subscribed" answers are counted apart, others as other
 * frames. */
static void on_message(struct ws_conn *c, char *m, size_t n, int64_t t)
{
	static const char kind[] = "\"kind\":\"registration.created\"";
	static const char rid[] = "\"registration_id\":";
	char *k, *next, *r;
	size_t found = 0;

	m[n] = '\0';
	for (k = strstr(m, kind); k; k = next) {
		/* the registration_id of this change, before the next change's kind */
		next = strstr(k + sizeof(kind) - 1, kind);
		r = strstr(k, rid);
		if (!r || (next && r > next))
			continue;
		if (n_deliveries == cap_deliveries) {
			cap_deliveries = cap_deliveries ? cap_deliveries * 2 : 65536;
			deliveries = xrealloc(deliveries, cap_deliveries * sizeof(*deliveries));
		}
		deliveries[n_deliveries++] = (struct delivery){
		    .id = strtoll(r + sizeof(rid) - 1, NULL, 10), .t_ns = t, .conn = c->idx};
		found++;
	}
	if (found) {
		change_messages++;
		return;
	}
	if (strstr(m, "\"type\":\"subscribed\""))
		subscribed++;
	else
		other_frames++;
}

/* Parses the frames in c->buf; -1 when the connection is to be closed. */
static int conn_frames(struct ws_conn *c, int64_t t)
{
	size_t off = 0;
	int rc = 0;

	while (c->len - off >= 2) {
		unsigned char *f = (unsigned char *)c->buf + off;
		int fin = f[0] & 0x80, op = f[0] & 0x0f;
		uint64_t plen = f[1] & 0x7f;
		size_t hl = 2;

		if (f[1] & 0x80) { /* a server must not mask */
			bad_frames++;
			return -1;
		}
		if (plen == 126) {
			if (c->len - off < 4)
				break;
			plen = ((uint64_t)f[2] << 8) | f[3];
			hl = 4;
		} else if (plen == 127) {
			if (c->len - off < 10)
				break;
			plen = 0;
			for (int i = 0; i < 8; i++)
				plen = (plen << 8) | f[2 + i];
			hl = 10;
		}
		if (plen > MSG_MAX) {
			bad_frames++;
			return -1;
		}
		if (c->len - off < hl + plen)
			break;
		char *pl = (char *)f + hl;

		switch (op) {
		case 0x0: /* continuation */
		case 0x1: /* text */
		case 0x2: /* binary */
			if (op != 0 && c->in_msg) {
				bad_frames++;
				return -1;
			}
			if (op != 0) {
				c->msg_len = 0;
				c->msg_text = op == 1;
			}
			if (!c->msg)
				c->msg = xrealloc(NULL, MSG_MAX + 1);
			if (c->msg_len + plen > MSG_MAX) {
				bad_frames++;
				return -1;
			}
			memcpy(c->msg + c->msg_len, pl, plen);
			c->msg_len += plen;
			c->in_msg = !fin;
			if (fin && c->msg_text)
				on_message(c, c->msg, c->msg_len, t);
			else if (fin)
				other_frames++;
			break;
		case 0x8: /* close: answer it, then close */
			closes_by_server++;
			if (closes_by_server <= 5)
				fprintf(stderr, "live_client: connection %d closed by the server (code %d)\n",
					c->idx,
					plen >= 2 ? ((unsigned char)pl[0] << 8) | (unsigned char)pl[1] : 0);
			ws_send(c, 0x8, (unsigned char *)pl, plen >= 2 ? 2 : 0);
			rc = -1;
			break;
		case 0x9: /* ping */
			pings++;
			if (ws_send(c, 0xA, (unsigned char *)pl, (size_t)plen))
				rc = -1;
			break;
		case 0xA: /* pong */
			break;
		default:
			bad_frames++;
			return -1;
		}
		off += hl + plen;
		if (rc)
			return rc;
	}
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
	return 0;
}

static void conn_readable(struct ws_conn *c)
{
	char tmp[65536];
	ssize_t n;

	for (;;) {
		n = read(c->fd, tmp, sizeof(tmp));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			if (c->state == WS_HANDSHAKE)
				handshake_failures++;
			else
				closes_by_server++;
			conn_close(c);
			return;
		}
		int64_t t = now_ns();

		buf_append(&c->buf, &c->len, &c->cap, tmp, (size_t)n, MSG_MAX + 16);
		if (c->state == WS_HANDSHAKE) {
			int rc = conn_check_handshake(c);

			if (rc == 1)
				continue;
			if (rc < 0) {
				handshake_failures++;
				conn_close(c);
				return;
			}
			c->state = WS_OPEN;
			n_pending--;
			n_open++;
		}
		if (conn_frames(c, t)) {
			conn_close(c);
			return;
		}
		if ((size_t)n < sizeof(tmp))
			return;
	}
}

/* Starts change i: a new connection carrying one POST (Connection: close). */
static void change_start(int i)
{
	struct change *ch = &changes[i];
	char body[512];
	int bn, n;
	struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN};

	bn = snprintf(body, sizeof(body),
		      "{\"name\":\"Bench %s %d\",\"email\":\"bench-%s-%d@example.org\",\"lang\":\"fr\","
		      "\"consent\":true}",
		      opt.tag, i + 1, opt.tag, i + 1);
	ch->req = xrealloc(NULL, 1024 + (size_t)bn);
	n = snprintf(
	    ch->req, 1024 + (size_t)bn,
	    "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
	    "Connection: close\r\n\r\n%s",
	    opt.post_path, opt.host, opt.port, bn, body);
	ch->req_len = (size_t)n;
	ch->id = -1;
	ch->sent_ns = now_ns();
	ch->fd = start_connect();
	if (ch->fd < 0) {
		fprintf(stderr, "live_client: change %d: connect: %s\n", i + 1, strerror(errno));
		ch->done = true;
		return;
	}
	change_tags[i] = (struct ep_tag){.kind = 1, .p = ch};
	ev.data.ptr = &change_tags[i];
	epoll_ctl(epfd, EPOLL_CTL_ADD, ch->fd, &ev);
}

static void change_finish(struct change *ch)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, ch->fd, NULL);
	close(ch->fd);
	ch->fd = -1;
	ch->done = true;
}

/* The answer is complete when its header block and Content-Length bytes are in (or at EOF). */
static bool answer_complete(struct change *ch, bool eof)
{
	char *end, *p;
	long clen = -1;

	ch->ans[ch->ans_len] = '\0';
	end = strstr(ch->ans, "\r\n\r\n");
	if (!end)
		return eof;
	p = strcasestr(ch->ans, "\r\ncontent-length:");
	if (p && p < end)
		clen = strtol(p + 17, NULL, 10);
	if (clen >= 0 && (size_t)(end + 4 - ch->ans) + (size_t)clen > ch->ans_len)
		return eof;
	return true;
}

static void change_event(struct change *ch, uint32_t events)
{
	if (ch->req_off < ch->req_len && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		ssize_t n = write(ch->fd, ch->req + ch->req_off, ch->req_len - ch->req_off);

		if (n < 0 && errno != EAGAIN) {
			fprintf(stderr, "live_client: a change's POST: %s\n", strerror(errno));
			ch->status = -1;
			change_finish(ch);
			return;
		}
		if (n > 0)
			ch->req_off += (size_t)n;
		if (ch->req_off == ch->req_len) {
			struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};

			for (int i = 0; i < opt.changes; i++)
				if (&changes[i] == ch)
					ev.data.ptr = &change_tags[i];
			epoll_ctl(epfd, EPOLL_CTL_MOD, ch->fd, &ev);
		}
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		for (;;) {
			ssize_t n = read(ch->fd, ch->ans + ch->ans_len, ANSWER_MAX - ch->ans_len);

			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			if (n > 0)
				ch->ans_len += (size_t)n;
			if (answer_complete(ch, n <= 0) || ch->ans_len == ANSWER_MAX) {
				char *p;

				ch->answered_ns = now_ns();
				ch->ans[ch->ans_len] = '\0';
				if (sscanf(ch->ans, "HTTP/1.1 %d", &ch->status) != 1)
					ch->status = 0;
				p = strstr(ch->ans, "\r\n\r\n");
				p = p ? strstr(p, "\"id\":") : NULL;
				if (p)
					ch->id = strtoll(p + 5, NULL, 10);
				change_finish(ch);
				return;
			}
			if (n <= 0)
				return;
		}
	}
}

static void dispatch(struct epoll_event *ev)
{
	struct ep_tag *tag = ev->data.ptr;

	if (tag->kind == 1) {
		change_event(tag->p, ev->events);
		return;
	}
	struct ws_conn *c = tag->p;

	if (c->state == WS_CONNECTING) {
		if (ev->events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			conn_send_handshake(c);
		return;
	}
	if (c->state != WS_CLOSED && (ev->events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		conn_readable(c);
}

/* One pass of the loop: waits at most timeout_ms. */
static void loop_once(int timeout_ms)
{
	struct epoll_event evs[512];
	int n = epoll_wait(epfd, evs, 512, timeout_ms);

	for (int i = 0; i < n; i++)
		dispatch(&evs[i]);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The q-quantile (0..1) of the sorted array v of n values, nearest rank. */
static int64_t quantile(const int64_t *v, size_t n, double q)
{
	size_t k;

	if (!n)
		return 0;
	k = (size_t)(q * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static double ms(int64_t ns)
{
	return (double)ns / 1e6;
}

static void usage(void)
{
	fprintf(
	    stderr,
	    "usage: live_client --port P --clients N --post-path PATH [options]\n"
	    "  --host A          server address (default 127.0.0.1; loopback only)\n"
	    "  --path P          WebSocket path and query (default /live; v2: /live?topic=event:ID)\n"
	    "  --protocol S      subprotocol asked for (default majlis-live; or majlis-live.v2, whose\n"
	    "                    array messages count each change as one delivery)\n"
	    "  --bearer TOKEN    sent as Authorization: Bearer TOKEN in the handshake\n"
	    "  --pending K       connections in their handshake at once (default 100)\n"
	    "  --changes M       POSTs made, one per change (default 50)\n"
	    "  --interval-ms T   between two POSTs (default 100)\n"
	    "  --post-path PATH  where each POST goes\n"
	    "  --tag S           makes each POST's person distinct from earlier runs (default bench)\n"
	    "  --server-pid PID  reads its CPU time and RSS from /proc\n"
	    "  --settle-ms T     wait after the last connection before measuring RSS (default 1000)\n"
	    "  --timeout-s S     wait at most this long after the last POST for deliveries (default 30)\n"
	    "  --label S         name printed with the results (default server)\n"
	    "  --trace FILE      writes one line per delivery: connection (0 = connected first), change\n"
	    "                    (1 = posted first), its latency and its arrival after the first POST, ms\n"
	    "prints a summary on stderr and one line 'RESULT key=value...' on stdout; exits 3 when a\n"
	    "delivery is missing, a connection failed or was closed, or a POST failed\n");
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help")) {
			usage();
			exit(0);
		}
		if (!v) {
			usage();
			exit(2);
		}
		i++;
		if (!strcmp(a, "--host"))
			opt.host = v;
		else if (!strcmp(a, "--port"))
			opt.port = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--clients"))
			opt.clients = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--path"))
			opt.path = v;
		else if (!strcmp(a, "--protocol"))
			opt.protocol = v;
		else if (!strcmp(a, "--bearer"))
			opt.bearer = v;
		else if (!strcmp(a, "--pending"))
			opt.pending_max = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--changes"))
			opt.changes = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--interval-ms"))
			opt.interval_ms = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--post-path"))
			opt.post_path = v;
		else if (!strcmp(a, "--tag"))
			opt.tag = v;
		else if (!strcmp(a, "--server-pid"))
			opt.server_pid = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--settle-ms"))
			opt.settle_ms = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--timeout-s"))
			opt.timeout_s = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--label"))
			opt.label = v;
		else if (!strcmp(a, "--trace"))
			opt.trace = v;
		else {
			usage();
			exit(2);
		}
	}
	if (opt.port <= 0 || opt.clients <= 0 || !opt.post_path || opt.changes <= 0 || opt.pending_max <= 0 ||
	    opt.interval_ms < 0) {
		usage();
		exit(2);
	}
	if (inet_pton(AF_INET, opt.host, &server_addr.sin_addr) != 1 ||
	    (ntohl(server_addr.sin_addr.s_addr) >> 24) != 127)
		die("--host must be a loopback address (127.x.x.x), not %s", opt.host);
	server_addr.sin_family = AF_INET;
	server_addr.sin_port = htons((uint16_t)opt.port);
}

/* Raises RLIMIT_NOFILE to what N connections need (up to the hard limit, which root may raise). */
static void raise_nofile(void)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)opt.clients + (rlim_t)opt.changes + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur >= need)
		return;
	if (rl.rlim_max < need) {
		struct rlimit up = {need, need};

		if (!setrlimit(RLIMIT_NOFILE, &up))
			return;
		fprintf(
		    stderr,
		    "live_client: %d connections need %llu file descriptors, the hard limit is %llu: run as "
		    "root or raise it (ulimit -Hn)\n",
		    opt.clients, (unsigned long long)need, (unsigned long long)rl.rlim_max);
		exit(2);
	}
	rl.rlim_cur = need;
	setrlimit(RLIMIT_NOFILE, &rl);
}

int main(int argc, char **argv)
{
	long long ticks0 = 0, ticks1 = 0, rss0 = 0, rss1 = 0, dummy;
	int64_t t_start, t_connected, t_first_post, deadline;
	struct rusage ru0, ru1;
	bool have_usage;
	int bad = 0;

	parse_args(argc, argv);
	raise_nofile();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	conns = calloc((size_t)opt.clients, sizeof(*conns));
	conn_tags = calloc((size_t)opt.clients, sizeof(*conn_tags));
	changes = calloc((size_t)opt.changes, sizeof(*changes));
	change_tags = calloc((size_t)opt.changes, sizeof(*change_tags));
	if (epfd < 0 || !conns || !conn_tags || !changes || !change_tags)
		die("set-up failed: %s", strerror(errno));

	/* 1. the server's RSS before, then N connections, at most pending_max in their handshake */
	have_usage = !server_usage(&dummy, &rss0);
	t_start = now_ns();
	while (!stop_flag && (next_conn < opt.clients || n_pending > 0)) {
		while (next_conn < opt.clients && n_pending < opt.pending_max)
			conn_open_next();
		loop_once(100);
		if (now_ns() - t_start > (int64_t)120 * 1000000000)
			die("connections not established after %s", "120 s");
	}
	t_connected = now_ns();
	if (!n_open)
		die("no connection could be opened (%s)", handshake_failures ? "see above" : "interrupted");
	fprintf(stderr, "live_client: %s: %d of %d connections open in %.2f s (%ld failed)\n", opt.label,
		n_open, opt.clients, (double)(t_connected - t_start) / 1e9, handshake_failures);

	/* 2. idle connections: RSS per connection after settling */
	deadline = now_ns() + (int64_t)opt.settle_ms * 1000000;
	while (!stop_flag && now_ns() < deadline)
		loop_once(50);
	if (have_usage)
		have_usage = !server_usage(&dummy, &rss1);
	long frames_before = other_frames + (long)n_deliveries;

	/* 3. the changes, interval_ms apart, and their deliveries */
	if (have_usage)
		have_usage = !server_usage(&ticks0, &dummy);
	getrusage(RUSAGE_SELF, &ru0);
	t_first_post = now_ns();
	int posted = 0;
	deadline = 0;
	for (;;) {
		int64_t t = now_ns();
		int wait;

		if (stop_flag)
			break;
		while (posted < opt.changes &&
		       t >= t_first_post + (int64_t)posted * opt.interval_ms * 1000000)
			change_start(posted++);
		if (posted == opt.changes && !deadline)
			deadline = t + (int64_t)opt.timeout_s * 1000000000;
		if (deadline) {
			bool all = n_deliveries >= (size_t)n_open * (size_t)opt.changes;

			for (int i = 0; all && i < opt.changes; i++)
				all = changes[i].done;
			if (all || t >= deadline)
				break;
		}
		wait = posted < opt.changes
			   ? (int)((t_first_post + (int64_t)posted * opt.interval_ms * 1000000 - t) / 1000000)
			   : 20;
		loop_once(wait < 0 ? 0 : wait > 20 ? 20 : wait);
	}
	if (have_usage)
		have_usage = !server_usage(&ticks1, &dummy);
	getrusage(RUSAGE_SELF, &ru1);

	/* 4. results: deliveries matched to their change by the id the POST's answer gave */
	int64_t *lat = malloc((n_deliveries + 1) * sizeof(*lat));
	int64_t *fanout = calloc((size_t)opt.changes, sizeof(*fanout));
	int *per_change = calloc((size_t)opt.changes, sizeof(*per_change));
	int64_t *answers = malloc((size_t)opt.changes * sizeof(*answers));
	size_t n_lat = 0, n_ans = 0;
	long unknown = 0, post_failed = 0;

	if (!lat || !fanout || !per_change || !answers)
		die("out of memory%s", "");
	for (int i = 0; i < opt.changes; i++) {
		struct change *ch = &changes[i];

		if (!ch->answered_ns || ch->status < 200 || ch->status > 299 || ch->id < 0) {
			post_failed++;
			if (post_failed <= 3)
				fprintf(stderr, "live_client: change %d: POST answered %d: %.200s\n", i + 1,
					ch->status, ch->ans);
			continue;
		}
		answers[n_ans++] = ch->answered_ns - ch->sent_ns;
	}
	for (size_t d = 0; d < n_deliveries; d++) {
		int i;

		for (i = 0; i < opt.changes; i++)
			if (changes[i].id == deliveries[d].id)
				break;
		if (i == opt.changes) {
			unknown++;
			continue;
		}
		int64_t l = deliveries[d].t_ns - changes[i].sent_ns;

		lat[n_lat++] = l;
		per_change[i]++;
		if (l > fanout[i])
			fanout[i] = l;
	}
	if (opt.trace) {
		FILE *tf = fopen(opt.trace, "w");

		if (!tf)
			die("cannot write %s", opt.trace);
		fprintf(tf, "# conn change latency_ms after_first_post_ms\n");
		for (size_t d = 0; d < n_deliveries; d++)
			for (int i = 0; i < opt.changes; i++)
				if (changes[i].id == deliveries[d].id) {
					fprintf(tf, "%d %d %.2f %.2f\n", deliveries[d].conn, i + 1,
						ms(deliveries[d].t_ns - changes[i].sent_ns),
						ms(deliveries[d].t_ns - t_first_post));
					break;
				}
		fclose(tf);
	}
	qsort(lat, n_lat, sizeof(*lat), cmp_i64);
	qsort(answers, n_ans, sizeof(*answers), cmp_i64);
	int64_t *fan = malloc((size_t)opt.changes * sizeof(*fan));
	size_t n_fan = 0;
	long incomplete = 0;

	for (int i = 0; i < opt.changes; i++) {
		if (per_change[i] == opt.clients)
			fan[n_fan++] = fanout[i];
		else
			incomplete++;
	}
	qsort(fan, n_fan, sizeof(*fan), cmp_i64);

	long long expected = (long long)opt.clients * opt.changes;
	long long lost = expected - (long long)n_lat;
	double cpu_us = -1, rss_kib = -1, client_us = -1;

	if (have_usage && n_lat) {
		cpu_us = (double)(ticks1 - ticks0) / 1e3 / (double)n_lat;
		rss_kib = (double)(rss1 - rss0) / opt.clients;
	}
	if (n_lat) /* the client's own CPU: when it nears a whole CPU, the client is the bottleneck */
		client_us = ((double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru1.ru_stime.tv_sec -
				      ru0.ru_stime.tv_sec) *
				 1e6 +
			     (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec -
				      ru0.ru_stime.tv_usec)) /
			    (double)n_lat;
	fprintf(
	    stderr,
	    "live_client: %s, %d clients, %d changes %d ms apart: deliveries %zu of %lld expected; "
	    "per delivery p50 %.1f ms, p99 %.1f ms, max %.1f ms; full fan-out p50 %.1f ms, max %.1f ms; "
	    "POST answer p50 %.1f ms, p99 %.1f ms; server CPU %.1f us per delivery, RSS %.2f KiB per idle "
	    "connection; client CPU %.1f us per delivery; %ld messages carried them\n",
	    opt.label, opt.clients, opt.changes, opt.interval_ms, n_lat, expected,
	    ms(quantile(lat, n_lat, 0.5)), ms(quantile(lat, n_lat, 0.99)), n_lat ? ms(lat[n_lat - 1]) : 0.0,
	    ms(quantile(fan, n_fan, 0.5)), n_fan ? ms(fan[n_fan - 1]) : 0.0,
	    ms(quantile(answers, n_ans, 0.5)), ms(quantile(answers, n_ans, 0.99)), cpu_us, rss_kib, client_us,
	    change_messages);
	if (frames_before)
		fprintf(stderr, "live_client: note: %ld frames arrived before the first change\n",
			frames_before);
	if (lost || unknown || incomplete || post_failed || handshake_failures || closes_by_server ||
	    bad_frames || n_open != opt.clients) {
		fprintf(
		    stderr,
		    "live_client: *** %s: LOST %lld deliveries (%ld changes not seen by every client), %ld "
		    "frames naming no change of ours, %ld POSTs failed, %ld handshakes failed, %ld "
		    "connections "
		    "closed by the server, %ld bad frames, %d of %d connections open at the end ***\n",
		    opt.label, lost, incomplete, unknown, post_failed, handshake_failures, closes_by_server,
		    bad_frames, n_open, opt.clients);
		bad = 1;
	}
	printf("RESULT label=%s clients=%d changes=%d expected=%lld delivered=%zu lost=%lld p50_ms=%.2f "
	       "p99_ms=%.2f max_ms=%.2f fanout_p50_ms=%.2f fanout_max_ms=%.2f cpu_us=%.2f rss_kib=%.2f "
	       "post_p50_ms=%.2f post_p99_ms=%.2f other_frames=%ld pings=%ld connect_s=%.2f "
	       "client_cpu_us=%.2f messages=%ld subscribed=%ld ok=%d\n",
	       opt.label, opt.clients, opt.changes, expected, n_lat, lost, ms(quantile(lat, n_lat, 0.5)),
	       ms(quantile(lat, n_lat, 0.99)), n_lat ? ms(lat[n_lat - 1]) : 0.0,
	       ms(quantile(fan, n_fan, 0.5)), n_fan ? ms(fan[n_fan - 1]) : 0.0, cpu_us, rss_kib,
	       ms(quantile(answers, n_ans, 0.5)), ms(quantile(answers, n_ans, 0.99)), other_frames, pings,
	       (double)(t_connected - t_start) / 1e9, client_us, change_messages, subscribed, !bad);
	fflush(stdout);
	for (int i = 0; i < opt.clients; i++) {
		conn_close(&conns[i]);
		free(conns[i].msg);
	}
	for (int i = 0; i < opt.changes; i++)
		free(changes[i].req);
	free(lat);
	free(fanout);
	free(per_change);
	free(answers);
	free(fan);
	free(deliveries);
	free(conns);
	free(conn_tags);
	free(changes);
	free(change_tags);
	close(epfd);
	return bad ? 3 : 0;
}

/*
 * bench/live_ceiling: the ceiling of bench/live.sh, a minimal libwebsockets 4.1 broadcast server: each
 * POST /broadcast renders one frame shaped like majlisd's /live frames once, into a ring (a v1 frame, and a
 * v2 frame with the event's counts, of the size majlisd's are), and every WebSocket client of the
 * subprotocols majlis-live and majlis-live.v2 gets its version from its WRITEABLE callback; it reads no
 * database, checks no credentials and is not part of majlisd.
 *
 * usage: live_ceiling --port P [--host 127.0.0.1]     (SIGINT or SIGTERM stop it)
 */
#include <libwebsockets.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RING	  1024 /* frames held; a client further behind skips to the oldest (and it is counted) */
#define FRAME_MAX 512  /* bytes of one frame */

/* One prepared frame per change and version; the service thread only. */
static struct {
	unsigned char buf[LWS_PRE + FRAME_MAX];
	size_t len;
} ring[RING], ring2[RING];
static int64_t head;		/* seq of the newest frame (0: none yet) */
static unsigned long skipped;	/* frames a client fell too far behind to get */
static struct lws_context *ctx; /* the one context */
static volatile sig_atomic_t interrupted;

/* One per WebSocket client (lws per-session data): the seq of the next frame it gets. */
struct ws_pss {
	int64_t next;
};

/* One per HTTP connection (lws per-session data): the answer to its POST. */
struct http_pss {
	char body[128];
	size_t len;
	int status;
};

static const struct lws_protocols protocols[];

/* Renders change seq once per version into the rings and wakes every client. The v2 frame carries the
 * event's counts as majlisd's do (capacity, statuses, by sex, one session), with numbers that move. */
static void broadcast(int64_t seq)
{
	unsigned char *p = ring[seq % RING].buf + LWS_PRE;
	long long now = (long long)time(NULL);
	int n = snprintf((char *)p, FRAME_MAX,
			 "{\"seq\":%lld,\"topic\":\"event:2\",\"kind\":\"registration.created\",\"payload\":{"
			 "\"registration_id\":%lld,\"status\":\"confirmed\"},\"at\":%lld}",
			 (long long)seq, (long long)seq, now);

	ring[seq % RING].len = (size_t)n;
	p = ring2[seq % RING].buf + LWS_PRE;
	n = snprintf(
	    (char *)p, FRAME_MAX,
	    "{\"type\":\"change\",\"seq\":%lld,\"topic\":\"event:2\",\"kind\":\"registration.created\","
	    "\"payload\":{\"registration_id\":%lld,\"status\":\"confirmed\"},\"at\":%lld,\"counts\":{"
	    "\"capacity\":1000000,\"confirmed\":%lld,\"pending\":0,\"waitlisted\":0,\"confirmed_by_sex\":{"
	    "\"female\":%lld,\"male\":%lld,\"unspecified\":0},\"sessions\":[{\"id\":2,\"present\":0,"
	    "\"present_by_sex\":{\"female\":0,\"male\":0,\"unspecified\":0}}]}}",
	    (long long)seq, (long long)seq, now, (long long)seq, (long long)(seq + 1) / 2,
	    (long long)seq / 2);
	ring2[seq % RING].len = (size_t)n;
	head = seq;
	lws_callback_on_writable_all_protocol(ctx, &protocols[1]);
	lws_callback_on_writable_all_protocol(ctx, &protocols[2]);
}

static int callback_http(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct http_pss *h = user;
	unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof(buf) - 1;

	(void)len;
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		h->len = 0;
		if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) && !strcmp((const char *)in, "/broadcast"))
			return 0; /* the body follows; answered at its completion */
		h->status = HTTP_STATUS_NOT_FOUND;
		h->len = (size_t)snprintf(h->body, sizeof(h->body), "{\"error\":\"not_found\"}");
		break;
	case LWS_CALLBACK_HTTP_BODY:
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		broadcast(head + 1);
		h->status = 201; /* lws 4.1 names no HTTP_STATUS_CREATED */
		h->len = (size_t)snprintf(h->body, sizeof(h->body),
					  "{\"registration\":{\"id\":%lld,\"status\":\"confirmed\"}}",
					  (long long)head);
		break;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (!h->len)
			return 0;
		memcpy(start, h->body, h->len);
		if (lws_write(wsi, start, h->len, LWS_WRITE_HTTP_FINAL) != (int)h->len)
			return -1;
		h->len = 0;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
	/* the header block now, the body from HTTP_WRITEABLE */
	if (lws_add_http_common_headers(wsi, (unsigned int)h->status, "application/json", h->len, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

static int callback_live(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct ws_pss *s = user;

	(void)in;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		s->next = head + 1; /* from the newest change on, as majlisd without ?since= */
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (s->next > head)
			return 0;
		if (head - s->next >= RING) {
			skipped += (unsigned long)(head - RING + 1 - s->next);
			s->next = head - RING + 1;
		}
		if (lws_get_protocol(wsi) == &protocols[2]) {
			if (lws_write(wsi, ring2[s->next % RING].buf + LWS_PRE, ring2[s->next % RING].len,
				      LWS_WRITE_TEXT) < (int)ring2[s->next % RING].len)
				return -1;
		} else if (lws_write(wsi, ring[s->next % RING].buf + LWS_PRE, ring[s->next % RING].len,
				     LWS_WRITE_TEXT) < (int)ring[s->next % RING].len) {
			return -1;
		}
		if (++s->next <= head)
			lws_callback_on_writable(wsi); /* one write per WRITEABLE */
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
    {"http", callback_http, sizeof(struct http_pss), 0, 0, NULL, 0},
    {"majlis-live", callback_live, sizeof(struct ws_pss), 1024, 0, NULL, 0},
    {"majlis-live.v2", callback_live, sizeof(struct ws_pss), 1024, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
	lws_cancel_service(ctx);
}

int main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	const char *host = "127.0.0.1";
	int port = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = (int)strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--host"))
			host = argv[i + 1];
	}
	if (port <= 0 || strncmp(host, "127.", 4)) {
		fprintf(stderr, "usage: live_ceiling --port P [--host 127.x.x.x]   (loopback only)\n");
		return 2;
	}
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof(info));
	info.port = port;
	info.iface = host;
	info.protocols = protocols;
	/* as majlisd: an IPv4 socket, so that 127.0.0.1 means loopback only (lws 4.1 on an IPv6 socket binds
	 * every interface), and no start without a listening socket */
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6 | LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
	ctx = lws_create_context(&info);
	if (!ctx) {
		fprintf(stderr, "live_ceiling: cannot listen on %s:%d\n", host, port);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "live_ceiling: listening on %s:%d\n", host, port);
	while (!interrupted && lws_service(ctx, 0) >= 0)
		;
	lws_context_destroy(ctx);
	if (skipped)
		fprintf(stderr, "live_ceiling: %lu frames skipped by clients further than %d behind\n",
			skipped, RING);
	return 0;
}

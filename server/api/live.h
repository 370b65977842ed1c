/*
 * live (api): the request side of the WebSocket /live — who may open it, with which protocol, topics and
 * starting point, answered like any API request when refused — and the shared window of recent changes,
 * each rendered once, from which every client's next message is cut; it owns no socket and frames
 * nothing (the transport writes what it is given).
 */
#ifndef MAJLIS_API_LIVE_H
#define MAJLIS_API_LIVE_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "api/app.h"
#include "api/request.h"
#include "domain/auth.h"
#include "domain/domain.h"
#include "domain/live.h"

#define API_LIVE_PATH	      "/live"
#define API_LIVE_PROTOCOL     "majlis-live"	/* v1: every visible change, one message each */
#define API_LIVE_PROTOCOL_V2  "majlis-live.v2"	/* topics, counts, batches, resync (docs/live.md) */
#define API_LIVE_BATCH_MAX    (64 * 1024)	/* bytes of one message the server sends */
#define API_LIVE_WINDOW	      4096		/* changes the window holds at most */
#define API_LIVE_WINDOW_BYTES (8 * 1024 * 1024) /* and their rendered bytes at most */

/* What a live connection was opened as and where it stands. One per connection, inside the transport's
 * per-connection data; service thread only. */
struct api_live {
	struct principal p;
	struct auth_cred cred; /* the token or session it was opened with */
	int64_t until;	       /* when the session expires unless used meanwhile: check it again then */
	int64_t last;	       /* sequence number of the last change passed (or where replay starts) */
	int version;	       /* 1 (majlis-live) or 2 (majlis-live.v2) */
	int64_t reg_id;	       /* a participant's token: its registration, else 0 */
	int64_t reg_event;     /* and that registration's event */
	char reg_hash[LIVE_TOKEN_HASH]; /* and its token's hash, to check it again (api_live_check) */
	int n_topics;
	struct live_topic topics[LIVE_TOPICS_MAX];
	struct json_object *replies; /* messages waiting to go before any change (an array), or NULL */
	struct json_object *me_last; /* the last "me" view sent (a participant following me), or NULL */
	char me_event_status[16];    /* and its event's status then ("" when unknown: the next is sent) */
	int64_t me_event_seq;	     /* and its event's sequence then */
};

/* One change rendered once for every client: refcounted, each text with `headroom` bytes before it
 * (the transport's LWS_PRE). Held by the window; the transport holds a reference while it writes. */
struct api_live_frame {
	int refs;
	int64_t seq;
	struct live_audience aud;
	size_t len, len1;	/* bytes of the v2 and v1 texts */
	unsigned char *v2, *v1; /* headroom + text each */
};

/* The window of recent changes shared by all clients: a ring of at most API_LIVE_WINDOW frames and
 * API_LIVE_WINDOW_BYTES. One per server (in the transport's state); service thread only. */
struct api_live_window {
	struct api_live_frame **ring;
	size_t cap, start, count, bytes;
	size_t headroom;
	int64_t base; /* the window holds the changes after base up to head */
	int64_t head;
	bool ready;		      /* base and head were read once */
	unsigned char *scratch;	      /* headroom + API_LIVE_BATCH_MAX: one message being put together */
	struct api_live_batch *batch; /* its pieces (api/live.c's own) */
	struct live_me_cache me;      /* what me followers need after a registration change, read once */
};

/* What a client is to be sent next: len bytes at p (with the window's headroom before p), from a frame
 * (ref held until api_live_out_done) or the window's scratch buffer. */
struct api_live_out {
	unsigned char *p;
	size_t len;
	struct api_live_frame *ref;
};

/*
 * Decides an upgrade request to /live: req carries path, query, credentials and protocols (the
 * Sec-WebSocket-Protocol list). 0 with st filled (URL topics answered in st->replies); -1 with resp
 * filled with the status and JSON error body a client gets: 404 for another path, 400 without a
 * majlis-live subprotocol, with a malformed ?since= or ?topic=, or a participant token on v1, 401 without
 * valid credentials, 403 for a session cookie without this site's Origin. *proto: the subprotocol chosen.
 */
int api_live_open(struct app *app, const struct request *req, const char *protocols, struct api_live *st,
		  struct response *resp);
/* The subprotocol name of st's version. */
const char *api_live_protocol_name(const struct api_live *st);
/* Releases what st holds (not st). */
void api_live_release(struct api_live *st);

/* A complete text message from the client (len bytes, valid UTF-8): subscribe, unsubscribe or resume
 * (docs/live.md). The answers go to st->replies. Service thread. */
void api_live_message(struct app *app, struct api_live_window *w, struct api_live *st, const char *text,
		      size_t len);

/* Sets the window up with headroom bytes before every text. 0, or -1 out of memory. */
int api_live_window_init(struct api_live_window *w, size_t headroom);
void api_live_window_free(struct api_live_window *w);
/* Reads the changes committed since the window's head (one query, for all clients), renders each once
 * and appends them: the number added (0: none), or DOM_BUSY. *credentials is set when one of them
 * touches credentials (clients must check theirs before sending anything more). Service thread. */
int api_live_window_fill(struct app *app, struct api_live_window *w, bool *credentials);

/* Whether st has something to send from what the window holds (cheap: no database). */
bool api_live_pending(const struct api_live_window *w, const struct api_live *st);

/* The next message for st: 1 with *out filled and st moved past it; 0 nothing to send now; DOM_BUSY try
 * again later. Replies first; then changes of st's topics (v2: several in one array, up to
 * API_LIVE_BATCH_MAX; v1: one per message) from the window, or older ones from the change log, or
 * "resync" when the change log no longer has them. Service thread. */
int api_live_next(struct app *app, struct api_live_window *w, struct api_live *st, struct api_live_out *out);
/* Drops the reference *out holds. */
void api_live_out_done(struct api_live_out *out);

/* Whether the credentials st was opened with still hold at now (api_live_open's rules; a session is not
 * used by the check, so it expires after --session-idle without other requests; a participant's token
 * must still open its registration): 0 with st->until updated; 1 when revoked, logged out, expired,
 * disabled, or a personal link replaced (the connection must close); DOM_BUSY when
 * the database cannot tell now (send nothing and check again later). Service thread. */
int api_live_check(struct app *app, struct api_live *st, int64_t now);

#endif

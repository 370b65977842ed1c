/*
 * live (api): the request side of the WebSocket /live — who may open it, from which site and from which
 * sequence number, answered like any API request when refused; it frames nothing and owns no socket.
 */
#ifndef MAJLIS_API_LIVE_H
#define MAJLIS_API_LIVE_H

#include <json-c/json.h>
#include <stdint.h>

#include "api/app.h"
#include "api/request.h"
#include "domain/auth.h"
#include "domain/domain.h"

#define API_LIVE_PATH	  "/live"
#define API_LIVE_PROTOCOL "majlis-live"

/* What a live connection was opened as. One per connection, inside the transport's per-connection data;
 * service thread only. */
struct api_live {
	struct principal p;
	struct auth_cred cred; /* the token or session it was opened with */
	int64_t until;	       /* when the session expires unless used meanwhile: check it again then */
	int64_t last;	       /* sequence number of the last change sent (or where replay starts) */
};

/*
 * Decides an upgrade request to /live: req carries path, query, credentials and protocols (the
 * Sec-WebSocket-Protocol list). 0 with st filled; -1 with resp filled with the status and JSON error body
 * a client gets: 404 for another path, 400 without the majlis-live subprotocol or with a malformed
 * ?since=, 401 without valid credentials, 403 for a session cookie without this site's Origin.
 */
int api_live_open(struct app *app, const struct request *req, const char *protocols, struct api_live *st,
		  struct response *resp);

/* The first change after st->last that st's caller may see: 0 with *row (new reference) and *seq; 1 when
 * the client is up to date; DOM_BUSY to try again; another DOM_ code (logged) to close the connection. */
int api_live_next(struct app *app, const struct api_live *st, struct json_object **row, int64_t *seq);

/* Whether the credentials st was opened with still hold at now (api_live_open's rules; a session is not
 * used by the check, so it expires after --session-idle without other requests): 0 with st->until
 * updated; 1 when revoked, logged out, expired or disabled (the connection must close); DOM_BUSY when
 * the database cannot tell now (send nothing and check again later). Service thread. */
int api_live_check(struct app *app, struct api_live *st, int64_t now);

/* Whether credentials changed in changes after *seen (see live_credential_changes); moves *seen to the
 * newest change looked at. 0, or DOM_BUSY (try later). */
int api_live_credential_changes(struct app *app, int64_t *seen, bool *changed);

/* The newest sequence number of the change log into *seq. 0, or DOM_BUSY. */
int api_live_head(struct app *app, int64_t *seq);

#endif

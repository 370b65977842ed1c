/*
 * live (api): the request side of the WebSocket /live — who may open it, from which site and from which
 * sequence number, answered like any API request when refused; it frames nothing and owns no socket.
 */
#ifndef MAJLIS_API_LIVE_H
#define MAJLIS_API_LIVE_H

#include <json-c/json.h>
#include <stdint.h>

#include "api/app.h"
#include "api/http.h"
#include "domain/domain.h"

#define API_LIVE_PATH	  "/live"
#define API_LIVE_PROTOCOL "majlis-live"

/* What a live connection was opened as. One per connection, inside the transport's per-connection data;
 * service thread only. */
struct api_live {
	struct principal p;
	int64_t last; /* sequence number of the last change sent (or where replay starts) */
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

#endif

/* live (api): opening the WebSocket /live (credentials, Origin, ?since=) and reading its next change;
 * no socket and no framing here. */
#include "api/live.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/auth.h"
#include "api/errors.h"
#include "domain/live.h"
#include "util/log.h"

/* Whether the comma-separated Sec-WebSocket-Protocol list names ours. */
static bool api_live_protocol_ok(const char *list)
{
	size_t n = strlen(API_LIVE_PROTOCOL);
	const char *s = list;

	while (*s) {
		size_t len;

		s += strspn(s, ", \t");
		len = strcspn(s, ", \t");
		if (len == n && !strncasecmp(s, API_LIVE_PROTOCOL, n))
			return true;
		s += len;
	}
	return false;
}

int api_live_open(struct app *app, const struct request *req, const char *protocols, struct api_live *st,
		  struct response *resp)
{
	struct dom_err err;
	char session[128];
	char since[32];
	char *end;
	int q;

	memset(st, 0, sizeof(*st));
	if (strcmp(req->path, API_LIVE_PATH)) {
		api_fail(resp, API_NOT_FOUND, NULL, "no WebSocket here; live updates are at " API_LIVE_PATH);
		return -1;
	}
	if (!api_live_protocol_ok(protocols)) {
		api_fail(resp, API_BAD_REQUEST, NULL, "ask for the WebSocket subprotocol " API_LIVE_PROTOCOL);
		return -1;
	}
	if (api_auth(app, req, resp, &st->p, true))
		return -1;
	if (!live_allowed(&st->p)) {
		api_fail(resp, API_UNAUTHENTICATED, NULL, "log in to follow changes");
		return -1;
	}
	/* a browser sends its cookie to any site's WebSocket: the origin must be this server's */
	if (st->p.via_cookie && !api_auth_origin_ok(app, req)) {
		api_fail(resp, API_FORBIDDEN, "csrf_failed",
			 "a live connection with a session cookie needs this site's Origin");
		return -1;
	}
	if (request_cookie(req, api_auth_cookie_name(req), session, sizeof(session)) != 1)
		session[0] = '\0';
	auth_cred_remember(&st->cred, &st->p, session);
	memset(session, 0, sizeof(session));
	if (auth_cred_check(app->db, &st->cred, req->now, app->cfg ? app->cfg->session_idle_s : 1800,
			    app->cfg ? app->cfg->session_absolute_s : 43200, &st->until, &err)) {
		api_fail_dom(resp, &err);
		return -1;
	}
	q = request_query(req, "since", since, sizeof(since));
	if (q == 1) {
		/* digits only, and few enough that no overflow stops the replay at the end of time */
		st->last = strtoll(since, &end, 10);
		if (end == since || *end || strspn(since, "0123456789") != strlen(since) ||
		    strlen(since) > 18) {
			api_fail(resp, API_BAD_REQUEST, NULL, "since must be a sequence number (0 or more)");
			return -1;
		}
	} else if (q < 0) {
		api_fail(resp, API_BAD_REQUEST, NULL, "since must be a sequence number (0 or more)");
		return -1;
	} else if (live_head(app->db, &st->last, &err)) {
		api_fail_dom(resp, &err);
		return -1;
	}
	return 0;
}

int api_live_next(struct app *app, const struct api_live *st, struct json_object **row, int64_t *seq)
{
	struct dom_err err;
	int rc = live_next(app->db, &st->p, st->last, row, seq, &err);

	if (rc == DOM_NOT_FOUND)
		return 1;
	if (rc)
		log_warn("live: %s", err.message);
	return rc;
}

int api_live_check(struct app *app, struct api_live *st, int64_t now)
{
	struct dom_err err;
	int rc = auth_cred_check(app->db, &st->cred, now, app->cfg ? app->cfg->session_idle_s : 1800,
				 app->cfg ? app->cfg->session_absolute_s : 43200, &st->until, &err);

	if (rc == DOM_UNAUTHENTICATED)
		return 1;
	if (rc)
		log_warn("live: %s", err.message);
	return rc ? DOM_BUSY : 0;
}

int api_live_credential_changes(struct app *app, int64_t *seen, bool *changed)
{
	struct dom_err err;
	int64_t head = *seen;

	*changed = false;
	if (live_credential_changes(app->db, *seen, &head, changed, &err)) {
		log_warn("live: %s", err.message);
		return DOM_BUSY;
	}
	*seen = head;
	return 0;
}

int api_live_head(struct app *app, int64_t *seq)
{
	struct dom_err err;

	if (live_head(app->db, seq, &err)) {
		log_warn("live: %s", err.message);
		return DOM_BUSY;
	}
	return 0;
}

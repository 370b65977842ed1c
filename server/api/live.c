/* live (api): opening the WebSocket /live (protocol, credentials, Origin, ?since=, topics), the client's
 * messages, and the window of recent changes rendered once, from which each client's next message is
 * cut; no socket and no framing here. */
#include "api/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/auth.h"
#include "api/errors.h"
#include "domain/live.h"
#include "util/jsonx.h"
#include "util/log.h"

#define API_LIVE_FILL	     256 /* changes read from the change log in one query */
#define API_LIVE_ITEMS	     512 /* changes in one message at most */
#define API_LIVE_REPLIES_MAX 64	 /* answers waiting for one client at most; more are dropped */

/* The version of the first of our subprotocols that the comma-separated Sec-WebSocket-Protocol list
 * names (libwebsockets picks the same one): 1, 2, or 0 for none. */
static int api_live_protocol_pick(const char *list)
{
	const char *s = list;

	while (*s) {
		size_t len;

		s += strspn(s, ", \t");
		len = strcspn(s, ", \t");
		if (len == strlen(API_LIVE_PROTOCOL_V2) && !strncasecmp(s, API_LIVE_PROTOCOL_V2, len))
			return 2;
		if (len == strlen(API_LIVE_PROTOCOL) && !strncasecmp(s, API_LIVE_PROTOCOL, len))
			return 1;
		s += len;
	}
	return 0;
}

const char *api_live_protocol_name(const struct api_live *st)
{
	return st->version == 2 ? API_LIVE_PROTOCOL_V2 : API_LIVE_PROTOCOL;
}

void api_live_release(struct api_live *st)
{
	json_object_put(st->replies);
	json_object_put(st->me_last);
	st->replies = NULL;
	st->me_last = NULL;
	memset(st->reg_hash, 0, sizeof(st->reg_hash));
}

/* What the client knows of its registration is unknown (a replay from a seq it gives): the next change
 * that may concern it is told whatever it says. */
static void api_live_me_forget(struct api_live *st)
{
	json_object_put(st->me_last);
	st->me_last = NULL;
	st->me_event_status[0] = '\0';
}

/* Queues reply o (taken) for st, up to API_LIVE_REPLIES_MAX waiting; beyond that it is dropped. */
static void api_live_reply(struct api_live *st, struct json_object *o)
{
	if (!st->replies)
		st->replies = json_object_new_array();
	if (json_object_array_length(st->replies) >= API_LIVE_REPLIES_MAX) {
		json_object_put(o);
		return;
	}
	json_object_array_add(st->replies, o);
}

static struct json_object *api_live_msg(const char *type, const char *topic)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string(type));
	if (topic)
		json_object_object_add(o, "topic", json_object_new_string(topic));
	return o;
}

/* Subscribes st to the topic named name, answering subscribed or refused (with its code). */
static void api_live_subscribe(struct app *app, struct api_live *st, const char *name)
{
	struct live_topic t;
	struct dom_err err;
	struct json_object *o;
	const char *code = NULL;
	int rc;

	if (live_topic_parse(name, &t)) {
		code = "bad_request";
	} else {
		rc = live_topic_allowed(app->db, &st->p, st->reg_id, &t, &err);
		if (rc == DOM_NOT_FOUND)
			code = "not_found";
		else if (rc)
			code = "unavailable";
	}
	for (int i = 0; !code && i < st->n_topics; i++)
		if (st->topics[i].kind == t.kind && st->topics[i].id == t.id)
			goto ok; /* already followed */
	if (!code && st->n_topics >= LIVE_TOPICS_MAX)
		code = "too_many_topics";
	if (code) {
		o = api_live_msg("refused", name);
		json_object_object_add(o, "code", json_object_new_string(code));
		api_live_reply(st, o);
		return;
	}
	st->topics[st->n_topics++] = t;
	if (t.kind == LIVE_TOPIC_ME && !st->me_last && live_me(app->db, st->reg_id, &o, &err) == DOM_OK) {
		/* what the next me message is compared with */
		st->me_last = o;
		if (live_me_event(app->db, st->reg_event, st->me_event_status, &st->me_event_seq, &err))
			st->me_event_status[0] = '\0';
	}
ok:
	api_live_reply(st, api_live_msg("subscribed", name));
}

static void api_live_unsubscribe(struct api_live *st, const char *name)
{
	struct live_topic t;

	if (!live_topic_parse(name, &t)) {
		if (t.kind == LIVE_TOPIC_ME)
			t.id = st->reg_id;
		for (int i = 0; i < st->n_topics; i++) {
			if (st->topics[i].kind == t.kind && st->topics[i].id == t.id) {
				st->topics[i] = st->topics[--st->n_topics];
				break;
			}
		}
	}
	api_live_reply(st, api_live_msg("unsubscribed", name));
}

/* Percent-decodes the n bytes at s into out (outlen): 0, or -1 when malformed or too long. */
static int api_live_decode(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned v;
		char hex[3];

		if (o + 1 >= outlen)
			return -1;
		if (s[i] != '%') {
			out[o++] = s[i] == '+' ? ' ' : s[i];
			continue;
		}
		if (i + 2 >= n)
			return -1;
		hex[0] = s[i + 1];
		hex[1] = s[i + 2];
		hex[2] = '\0';
		if (strspn(hex, "0123456789abcdefABCDEF") != 2)
			return -1;
		v = (unsigned)strtoul(hex, NULL, 16);
		if (!v)
			return -1;
		out[o++] = (char)v;
		i += 2;
	}
	out[o] = '\0';
	return 0;
}

/* The ?topic= values of query, each subscribed: 0, or -1 when one is malformed (400). */
static int api_live_url_topics(struct app *app, struct api_live *st, const char *query)
{
	const char *q = query;
	char name[LIVE_TOPIC_NAME];
	struct live_topic t;

	while (*q) {
		const char *amp = strchr(q, '&');
		const char *end = amp ? amp : q + strlen(q);

		if ((size_t)(end - q) > 6 && !memcmp(q, "topic=", 6)) {
			if (api_live_decode(q + 6, (size_t)(end - q - 6), name, sizeof(name)) ||
			    live_topic_parse(name, &t))
				return -1;
			api_live_subscribe(app, st, name);
		} else if ((size_t)(end - q) >= 5 && !memcmp(q, "topic", 5) &&
			   (end - q == 5 || q[5] == '=')) {
			return -1;
		}
		q = amp ? amp + 1 : end;
	}
	return 0;
}

/* A participant's personal token: ?token= or "Authorization: Participant <token>". 1 found (into out),
 * 0 none, -1 malformed. */
static int api_live_participant_token(const struct request *req, char *out, size_t outlen)
{
	static const char scheme[] = "Participant ";
	int q = request_query(req, "token", out, outlen);

	if (q)
		return q < 0 || !out[0] ? -1 : 1;
	if (!strncasecmp(req->authorization, scheme, sizeof(scheme) - 1)) {
		if (strlen(req->authorization + sizeof(scheme) - 1) >= outlen)
			return -1;
		snprintf(out, outlen, "%s", req->authorization + sizeof(scheme) - 1);
		return out[0] ? 1 : -1;
	}
	return 0;
}

int api_live_open(struct app *app, const struct request *req, const char *protocols, struct api_live *st,
		  struct response *resp)
{
	struct dom_err err;
	char session[128];
	char token[128];
	char since[32];
	char *end;
	int q;

	memset(st, 0, sizeof(*st));
	if (strcmp(req->path, API_LIVE_PATH)) {
		api_fail(resp, API_NOT_FOUND, NULL, "no WebSocket here; live updates are at " API_LIVE_PATH);
		return -1;
	}
	st->version = api_live_protocol_pick(protocols);
	if (!st->version) {
		api_fail(resp, API_BAD_REQUEST, NULL,
			 "ask for the WebSocket subprotocol " API_LIVE_PROTOCOL_V2 " (or " API_LIVE_PROTOCOL
			 ")");
		return -1;
	}
	q = api_live_participant_token(req, token, sizeof(token));
	if (q < 0 || (q > 0 && st->version != 2)) {
		memset(token, 0, sizeof(token));
		api_fail(resp, API_BAD_REQUEST, NULL,
			 "a participant's token needs the subprotocol " API_LIVE_PROTOCOL_V2);
		return -1;
	}
	if (q > 0) {
		/* a participant follows its own registration only: no account, no session to watch */
		q = live_participant(app->db, token, &st->reg_id, &st->reg_event, st->reg_hash, &err);
		memset(token, 0, sizeof(token));
		if (q) {
			api_fail_dom(resp, &err);
			return -1;
		}
		st->until = INT64_MAX;
	} else {
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
	if (st->version == 2 && api_live_url_topics(app, st, req->query)) {
		api_live_release(st);
		api_fail(resp, API_BAD_REQUEST, NULL,
			 "topic must be event:ID, org:ID, session:ID or me (docs/live.md)");
		return -1;
	}
	if (q == 1)
		api_live_me_forget(st); /* a replay: the client may have missed what its me says now */
	return 0;
}

void api_live_message(struct app *app, struct api_live_window *w, struct api_live *st, const char *text,
		      size_t len)
{
	struct json_object *o = NULL, *v, *e;
	struct jsonx_err jerr;
	const char *type = "";
	const char *problem = NULL;
	int64_t since;

	if (st->version != 2)
		return; /* v1 clients only listen: what they say is ignored */
	if (jsonx_parse_object(text, len, &o, &jerr)) {
		problem = "a message is a JSON object";
		goto out;
	}
	if (json_object_object_get_ex(o, "type", &v) && json_object_is_type(v, json_type_string))
		type = json_object_get_string(v);
	if (!strcmp(type, "subscribe") || !strcmp(type, "unsubscribe")) {
		if (!json_object_object_get_ex(o, "topics", &v) || !json_object_is_type(v, json_type_array) ||
		    json_object_array_length(v) > LIVE_TOPICS_MAX) {
			problem = "topics must be an array of at most 16 topic names";
			goto out;
		}
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			e = json_object_array_get_idx(v, i);
			if (!json_object_is_type(e, json_type_string)) {
				problem = "topics must be an array of at most 16 topic names";
				goto out;
			}
			if (*type == 's')
				api_live_subscribe(app, st, json_object_get_string(e));
			else
				api_live_unsubscribe(st, json_object_get_string(e));
		}
	} else if (!strcmp(type, "resume")) {
		if (!json_object_object_get_ex(o, "since", &v) || !json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) < 0) {
			problem = "since must be a sequence number (0 or more)";
			goto out;
		}
		since = json_object_get_int64(v);
		st->last = w->ready && since > w->head ? w->head : since;
		api_live_me_forget(st);
		v = api_live_msg("resumed", NULL);
		json_object_object_add(v, "since", json_object_new_int64(st->last));
		api_live_reply(st, v);
	} else {
		problem = "type must be subscribe, unsubscribe or resume";
	}
out:
	if (problem) {
		v = api_live_msg("error", NULL);
		json_object_object_add(v, "code", json_object_new_string("bad_request"));
		json_object_object_add(v, "message", json_object_new_string(problem));
		api_live_reply(st, v);
	}
	json_object_put(o);
}

int api_live_check(struct app *app, struct api_live *st, int64_t now)
{
	struct dom_err err;
	int rc;

	if (st->reg_id > 0) {
		/* a personal token lasts until its link is replaced (a new one sent, the person erased) */
		rc = live_participant_holds(app->db, st->reg_hash, st->reg_id, &err);
		if (rc == DOM_UNAUTHENTICATED)
			return 1;
		if (rc)
			log_warn("live: %s", err.message);
		return rc ? DOM_BUSY : 0;
	}
	rc = auth_cred_check(app->db, &st->cred, now, app->cfg ? app->cfg->session_idle_s : 1800,
			     app->cfg ? app->cfg->session_absolute_s : 43200, &st->until, &err);
	if (!rc)
		rc = live_rights_hold(app->db, &st->p, &err);
	if (rc == DOM_UNAUTHENTICATED)
		return 1;
	if (rc)
		log_warn("live: %s", err.message);
	return rc ? DOM_BUSY : 0;
}

/* The window */

static struct api_live_batch *api_live_batch_new(void);

static void api_live_frame_put(struct api_live_frame *f)
{
	if (f && !--f->refs) {
		free(f->v2);
		free(f->v1);
		free(f);
	}
}

int api_live_window_init(struct api_live_window *w, size_t headroom)
{
	memset(w, 0, sizeof(*w));
	w->headroom = headroom;
	w->cap = API_LIVE_WINDOW;
	w->ring = calloc(w->cap, sizeof(*w->ring));
	w->scratch = malloc(headroom + API_LIVE_BATCH_MAX);
	w->batch = api_live_batch_new();
	if (!w->ring || !w->scratch || !w->batch) {
		api_live_window_free(w);
		return -1;
	}
	return 0;
}

void api_live_window_free(struct api_live_window *w)
{
	live_me_cache_clear(&w->me);
	for (size_t i = 0; w->ring && i < w->count; i++)
		api_live_frame_put(w->ring[(w->start + i) % w->cap]);
	free(w->ring);
	free(w->scratch);
	free(w->batch);
	memset(w, 0, sizeof(*w));
}

/* headroom + the text of o, malloc'ed, into *buf and its length into *len: 0 or -1. */
static int api_live_text(size_t headroom, struct json_object *o, unsigned char **buf, size_t *len)
{
	const char *text =
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(text);

	*buf = malloc(headroom + n);
	if (!*buf)
		return -1;
	memcpy(*buf + headroom, text, n);
	*len = n;
	return 0;
}

static struct api_live_frame *api_live_frame_at(const struct api_live_window *w, size_t i)
{
	return w->ring[(w->start + i) % w->cap];
}

static void api_live_window_push(struct api_live_window *w, struct api_live_frame *f)
{
	struct api_live_frame *old;

	while (w->count && (w->count == w->cap || w->bytes + f->len + f->len1 > API_LIVE_WINDOW_BYTES)) {
		old = api_live_frame_at(w, 0);
		w->base = old->seq;
		w->bytes -= old->len + old->len1;
		w->start = (w->start + 1) % w->cap;
		w->count--;
		api_live_frame_put(old);
	}
	w->ring[(w->start + w->count) % w->cap] = f;
	w->count++;
	w->bytes += f->len + f->len1;
	w->head = f->seq;
}

int api_live_window_fill(struct app *app, struct api_live_window *w, bool *credentials)
{
	struct live_change changes[API_LIVE_FILL];
	struct api_live_frame *f;
	struct dom_err err;
	int n = 0, added = 0;

	*credentials = false;
	if (!w->ready) {
		if (live_head(app->db, &w->head, &err)) {
			log_warn("live: %s", err.message);
			return DOM_BUSY;
		}
		w->base = w->head;
		w->ready = true;
		return 0;
	}
	/* a bounded slice per call: what is left is read on the next */
	for (int round = 0; round < 4; round++) {
		if (live_changes(app->db, w->head, 0, API_LIVE_FILL, changes, &n, &err)) {
			log_warn("live: %s", err.message);
			return added ? added : DOM_BUSY;
		}
		for (int i = 0; i < n; i++) {
			f = calloc(1, sizeof(*f));
			if (!f || api_live_text(w->headroom, changes[i].v2, &f->v2, &f->len) ||
			    api_live_text(w->headroom, changes[i].v1, &f->v1, &f->len1)) {
				/* out of memory: the change is left to replay from the change log */
				if (f) {
					free(f->v2);
					free(f);
				}
				w->base = w->head = changes[i].seq;
				for (size_t k = 0; k < w->count; k++)
					api_live_frame_put(api_live_frame_at(w, k));
				w->count = w->bytes = w->start = 0;
				live_change_clear(&changes[i]);
				continue;
			}
			f->refs = 1;
			f->seq = changes[i].seq;
			f->aud = changes[i].aud;
			*credentials = *credentials || f->aud.credentials;
			api_live_window_push(w, f);
			live_change_clear(&changes[i]);
			added++;
		}
		if (n < API_LIVE_FILL)
			break;
	}
	return added;
}

bool api_live_pending(const struct api_live_window *w, const struct api_live *st)
{
	return st->replies || (w->ready && st->last < w->head);
}

void api_live_out_done(struct api_live_out *out)
{
	api_live_frame_put(out->ref);
	out->ref = NULL;
}

/* One piece of a message being put together. */
struct api_live_item {
	const unsigned char *p;
	size_t len;
	struct api_live_frame *frame; /* a shared frame, or NULL (p is owned text: the "me" view) */
	unsigned char *own;
};

/* A message being put together for one client: its pieces and their bytes. One per window, reused by
 * every client's api_live_next (emptied, not cleared: its 16 KiB are not zeroed per message). */
struct api_live_batch {
	struct api_live_item items[API_LIVE_ITEMS];
	int n;
	size_t bytes; /* JSON array bytes so far: brackets and commas included */
};

static struct api_live_batch *api_live_batch_new(void)
{
	return malloc(sizeof(struct api_live_batch));
}

/* The window's batch, emptied. */
static struct api_live_batch *api_live_batch_empty(struct api_live_window *w)
{
	w->batch->n = 0;
	w->batch->bytes = 0;
	return w->batch;
}

/* Whether one more piece of len bytes fits. */
static bool api_live_fits(const struct api_live_batch *b, size_t len)
{
	return b->n < API_LIVE_ITEMS && (b->n == 0 || b->bytes + len + 1 <= API_LIVE_BATCH_MAX);
}

static void api_live_batch_add(struct api_live_batch *b, const unsigned char *p, size_t len,
			       struct api_live_frame *frame, unsigned char *own)
{
	b->items[b->n].p = p;
	b->items[b->n].len = len;
	b->items[b->n].frame = frame;
	b->items[b->n].own = own;
	b->bytes += len + (b->n ? 1 : 2);
	b->n++;
}

/* The message of the batch into *out: a single shared frame as it is (no copy), else the pieces as one
 * JSON array in the scratch buffer. Frees the owned pieces. 1 with something to send, 0 when empty. */
static int api_live_batch_out(struct api_live_window *w, struct api_live_batch *b, struct api_live_out *out)
{
	unsigned char *d = w->scratch + w->headroom;
	size_t o = 0;

	memset(out, 0, sizeof(*out));
	if (!b->n)
		return 0;
	if (b->n == 1 && b->items[0].frame) {
		out->ref = b->items[0].frame;
		out->ref->refs++;
		out->p = (unsigned char *)b->items[0].p;
		out->len = b->items[0].len;
		return 1;
	}
	if (b->n > 1)
		d[o++] = '[';
	for (int i = 0; i < b->n; i++) {
		if (i)
			d[o++] = ',';
		memcpy(d + o, b->items[i].p, b->items[i].len);
		o += b->items[i].len;
		free(b->items[i].own);
	}
	if (b->n > 1)
		d[o++] = ']';
	out->p = d;
	out->len = o;
	return 1;
}

/* Whether st follows a change concerning a (its topics; a participant's "me" is decided apart). */
static bool api_live_follows(const struct api_live *st, const struct live_audience *a)
{
	if (st->version == 1)
		return live_v1_sees(&st->p, a);
	for (int i = 0; i < st->n_topics; i++)
		if (live_topic_matches(&st->topics[i], a))
			return true;
	return false;
}

/* For a participant following me: its registration's view and its event's state after change seq
 * concerning a (live_me_concerns), when they changed since the last ones sent, or on any change of the
 * event's sessions or of its own attendance. A registration change is computed once per change for all
 * the participants of the event (live_me_after); an event change carries the event's state. The text
 * (malloc'ed) into *own and its length. 0, or -1 when nothing to add. */
static int api_live_me(struct app *app, struct api_live_window *w, struct api_live *st, int64_t seq,
		       const struct live_audience *a, unsigned char **own, size_t *len)
{
	struct json_object *view = NULL, *o, *e;
	struct dom_err err;
	char status[16];
	int64_t sequence = 0;
	bool follows = false, told;
	int rc;

	for (int i = 0; i < st->n_topics; i++)
		follows = follows || st->topics[i].kind == LIVE_TOPIC_ME;
	if (!follows || !live_me_concerns(a, st->reg_id, st->reg_event))
		return -1;
	rc = DOM_OK;
	if (a->registration)
		rc = live_me_after(app->db, &w->me, seq, a, st->reg_id, st->me_last, &view, &err);
	else if (st->me_last && strcmp(a->kind, "event.cancelled"))
		view = json_object_get(st->me_last); /* an event or session change cannot move it */
	else
		rc = live_me(app->db, st->reg_id, &view, &err);
	if (rc)
		return -1;
	if (a->event_changed && a->event_status[0]) {
		snprintf(status, sizeof(status), "%s", a->event_status);
		sequence = a->event_sequence;
	} else if (st->me_event_status[0]) {
		snprintf(status, sizeof(status), "%s", st->me_event_status);
		sequence = st->me_event_seq;
	} else if (live_me_event(app->db, st->reg_event, status, &sequence, &err)) {
		json_object_put(view);
		return -1;
	}
	/* the schedule or its attendance changed: told each time; otherwise only what moved */
	told = !a->session_changed && !a->attendance && st->me_last && json_object_equal(st->me_last, view) &&
	       !strcmp(st->me_event_status, status) && st->me_event_seq == sequence;
	json_object_put(st->me_last);
	st->me_last = json_object_get(view);
	snprintf(st->me_event_status, sizeof(st->me_event_status), "%s", status);
	st->me_event_seq = sequence;
	if (told) {
		json_object_put(view);
		return -1;
	}
	o = api_live_msg("me", NULL);
	json_object_object_add(o, "seq", json_object_new_int64(seq));
	json_object_object_add(o, "kind", json_object_new_string(a->kind));
	json_object_object_add(o, "registration", view);
	e = json_object_new_object();
	json_object_object_add(e, "id", json_object_new_int64(st->reg_event));
	json_object_object_add(e, "status", json_object_new_string(status));
	json_object_object_add(e, "sequence", json_object_new_int64(sequence));
	json_object_object_add(o, "event", e);
	if (a->session_id > 0)
		json_object_object_add(o, "session_id", json_object_new_int64(a->session_id));
	rc = api_live_text(0, o, own, len);
	json_object_put(o);
	return rc;
}

/* Before a change that may have changed who sees event event_id: st's topics of that event (event:{id}
 * and its sessions') are checked again, and one it may no longer see is dropped and answered refused
 * (not_found). False when the database could not tell for one of them: st gets nothing more until it
 * can (never a change it may no longer see). */
static bool api_live_recheck(struct app *app, struct api_live *st, int64_t event_id)
{
	char name[LIVE_TOPIC_NAME];
	struct json_object *o;
	struct dom_err err;
	int rc;

	for (int i = 0; i < st->n_topics; i++) {
		if (!live_topic_of_event(&st->topics[i], event_id))
			continue;
		rc = live_topic_allowed(app->db, &st->p, st->reg_id, &st->topics[i], &err);
		if (rc && rc != DOM_NOT_FOUND)
			return false;
		if (!rc)
			continue;
		live_topic_name(&st->topics[i], name);
		o = api_live_msg("refused", name);
		json_object_object_add(o, "code", json_object_new_string("not_found"));
		api_live_reply(st, o);
		st->topics[i--] = st->topics[--st->n_topics];
	}
	return true;
}

/* Adds the change at seq (shared frame f, or for replay the rendered change c) to b when st follows it;
 * false when it does not fit, or who may see it cannot be decided now (st stays before it). */
static bool api_live_take(struct app *app, struct api_live_window *w, struct api_live *st,
			  struct api_live_batch *b, int64_t seq, const struct live_audience *a,
			  struct api_live_frame *f, struct json_object *rendered)
{
	unsigned char *own = NULL;
	size_t len = 0;

	if (st->version == 2 && a->event_changed && a->event_id > 0 &&
	    !api_live_recheck(app, st, a->event_id))
		return false;
	if (api_live_follows(st, a)) {
		if (f) {
			const unsigned char *p = st->version == 1 ? f->v1 : f->v2;

			len = st->version == 1 ? f->len1 : f->len;
			if (!api_live_fits(b, len))
				return false;
			api_live_batch_add(b, p + w->headroom, len, f, NULL);
		} else {
			if (api_live_text(0, rendered, &own, &len))
				return false;
			if (!api_live_fits(b, len)) {
				free(own);
				return false;
			}
			api_live_batch_add(b, own, len, NULL, own);
		}
	} else if (st->reg_id > 0 && !api_live_me(app, w, st, seq, a, &own, &len)) {
		if (!api_live_fits(b, len)) {
			free(own);
			api_live_me_forget(st); /* sent with the next message instead */
			return false;
		}
		api_live_batch_add(b, own, len, NULL, own);
	}
	st->last = seq;
	return true;
}

/* Older than the window: from the change log, or resync when it no longer holds them. */
static int api_live_replay(struct app *app, struct api_live_window *w, struct api_live *st,
			   struct api_live_batch *b)
{
	struct live_change changes[API_LIVE_FILL];
	struct dom_err err;
	struct json_object *o;
	int64_t oldest = 0;
	bool held = false; /* st stays before a change: it did not fit, or cannot be decided now */
	int n = 0;

	if (live_oldest(app->db, &oldest, &err))
		return DOM_BUSY;
	if (oldest > st->last + 1) {
		if (st->version == 1) {
			st->last = oldest - 1; /* v1 follows what the change log still holds */
		} else {
			st->last = w->head;
			o = api_live_msg("resync", NULL);
			json_object_object_add(o, "seq", json_object_new_int64(w->head));
			api_live_reply(st, o);
			return 0;
		}
	}
	if (live_changes(app->db, st->last, w->base, API_LIVE_FILL, changes, &n, &err))
		return DOM_BUSY;
	for (int i = 0; i < n && !held; i++) {
		held = (st->version == 1 && b->n) ||
		       !api_live_take(app, w, st, b, changes[i].seq, &changes[i].aud, NULL,
				      st->version == 1 ? changes[i].v1 : changes[i].v2);
		live_change_clear(&changes[i]);
		for (int k = i + 1; held && k < n; k++)
			live_change_clear(&changes[k]);
	}
	if (n < API_LIVE_FILL && !held && !b->n && st->last < w->base)
		st->last = w->base; /* nothing more there (rows deleted): the window goes on */
	return 0;
}

int api_live_next(struct app *app, struct api_live_window *w, struct api_live *st, struct api_live_out *out)
{
	struct api_live_batch *b;
	struct api_live_frame *f;
	size_t lo, hi, mid;
	const char *text;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!w->ready)
		return 0;
	if (!st->replies && st->last < w->base) {
		b = api_live_batch_empty(w);
		rc = api_live_replay(app, w, st, b);
		rc = rc ? rc : api_live_batch_out(w, b, out);
		if (rc)
			return rc;
	}
	if (st->replies) {
		/* one answer as it is, several as an array */
		text = json_object_to_json_string_ext(
		    json_object_array_length(st->replies) == 1 ? json_object_array_get_idx(st->replies, 0)
							       : st->replies,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		out->len = strlen(text);
		if (out->len > API_LIVE_BATCH_MAX)
			out->len = 0; /* cannot happen: API_LIVE_REPLIES_MAX short answers */
		memcpy(w->scratch + w->headroom, text, out->len);
		out->p = w->scratch + w->headroom;
		json_object_put(st->replies);
		st->replies = NULL;
		return out->len ? 1 : 0;
	}
	if (st->last >= w->head || st->last < w->base)
		return 0;
	/* the first frame after st->last */
	lo = 0;
	hi = w->count;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (api_live_frame_at(w, mid)->seq <= st->last)
			lo = mid + 1;
		else
			hi = mid;
	}
	b = api_live_batch_empty(w);
	for (size_t i = lo; i < w->count; i++) {
		f = api_live_frame_at(w, i);
		if (st->version == 1 && b->n)
			break;
		if (!api_live_take(app, w, st, b, f->seq, &f->aud, f, NULL))
			break;
	}
	return api_live_batch_out(w, b, out);
}

/*
 * reply: the tails handlers share — replying a domain result or a list page, and the whole of a read,
 * a list by status, a write with a JSON body, an action without input and a deletion, each asking the
 * caller's rights before it reads the body's fields — so that the change sink is told of every commit
 * and every resource follows one order; it knows no resource.
 */
#ifndef MAJLIS_API_REPLY_H
#define MAJLIS_API_REPLY_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/app.h"
#include "api/errors.h"
#include "api/request.h"
#include "domain/domain.h"
#include "util/jsonx.h"

/* Replies the domain error when rc is set; otherwise tells the change sink of seq (0: nothing was
 * committed) and replies out (consumed) with ok. */
void api_reply_dom(struct app *app, struct response *resp, int rc, const struct dom_err *e,
		   struct json_object *out, int64_t seq, enum api_ok ok);

/* {"items": items, "total": total, "limit": limit, "offset": offset}; consumes items. */
void api_reply_list(struct response *resp, struct json_object *items, int64_t total, int64_t limit,
		    int64_t offset);

/* A body of the wrong shape (je, from a resource's parser) as the domain's DOM_INVALID in err, so that
 * it is answered as jsonx's 400. Returns DOM_INVALID. */
int api_invalid(struct dom_err *err, const struct jsonx_err *je);

/* Whether p may make the write at all, before the body's fields are read: id 0 for a create of a
 * top-level resource, else the resource (or parent) written. DOM_OK, or the refusal with err filled
 * (DOM_NOT_FOUND for what does not exist or p may not see, so that such a caller learns nothing, not
 * even that the body is wrong). The domain's *_writable predicates (orgs_writable, events_writable, ...),
 * whose writes check the same again. */
typedef int (*api_rights_fn)(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);

/* A resource's write from a JSON body, at now (the request's time): a create (create true) of a
 * top-level resource (id 0) or under parent id (a venue's room, an event's session), or a change of
 * resource id. The resource's api file implements it: it parses body into the domain's typed input
 * (a body of the wrong shape is api_invalid) and makes one domain call. */
typedef int (*api_write_fn)(struct db *db, const struct principal *p, int64_t id, bool create,
			    struct json_object *body, int64_t now, struct json_object **out, int64_t *seq,
			    struct dom_err *err);
/* The steps before such a write: authenticates (required) into *p, reads the JSON body into *body (415,
 * or 400 when malformed, whoever sends it) and asks rights (when not NULL) on id. 0 with *body a new
 * reference (the caller puts it), or -1 with resp filled and *body NULL. */
int api_write_begin(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		    int64_t id, struct principal *p, struct json_object **body);
/* api_write_begin, then write on id, replied as api_reply_dom (201 for a create, else 200). */
void api_json_write(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		    api_write_fn write, int64_t id, bool create);

/* An action on resource id that takes no input (cancel, erase, resend, ...), at now. */
typedef int (*api_action_fn)(struct db *db, const struct principal *p, int64_t id, int64_t now,
			     struct json_object **out, int64_t *seq, struct dom_err *err);
/* The steps before such an action: authenticates (required) into *p, checks the body's syntax (none, or
 * JSON: 415 for another media type, 400 when malformed, whoever sends it), asks rights on id, and only
 * then refuses a body that names anything (as api_no_body). 0, or -1 with resp filled. */
int api_action_begin(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		     int64_t id, struct principal *p);
/* api_action_begin, then act on id, replied as api_reply_dom with ok. */
void api_action(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		api_action_fn act, int64_t id, enum api_ok ok);

/* A deletion of resource id at now; *seq the change-log position. */
typedef int (*api_delete_fn)(struct db *db, const struct principal *p, int64_t id, int64_t now, int64_t *seq,
			     struct dom_err *err);
/* Authenticates (required), deletes id (the body is not read) and answers 204, or the domain error. */
void api_delete(struct app *app, const struct request *req, struct response *resp, api_delete_fn del,
		int64_t id);

/* One resource id as p may see it; *out a new reference. */
typedef int (*api_get_fn)(struct db *db, const struct principal *p, int64_t id, struct json_object **out,
			  struct dom_err *err);
/* Authenticates (required, or as who the request says when not) and answers get's resource. */
void api_get(struct app *app, const struct request *req, struct response *resp, api_get_fn get, int64_t id,
	     bool required);

/* A page of what resource id holds, filtered by status when not NULL; *items a new array. */
typedef int (*api_list_fn)(struct db *db, const struct principal *p, int64_t id, const char *status,
			   int64_t limit, int64_t offset, struct json_object **items, int64_t *total,
			   struct dom_err *err);
/* Authenticates (required), reads ?limit=, ?offset= and ?status= (at most status_max bytes, at most 31)
 * and answers list's page (api_reply_list), never cached (Cache-Control: no-store: personal data). */
void api_status_list(struct app *app, const struct request *req, struct response *resp, api_list_fn list,
		     int64_t id, size_t status_max);

#endif

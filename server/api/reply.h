/*
 * reply: the tails handlers share — replying a domain result, a list page, or a whole authenticated
 * JSON write — so that the change sink is told of every commit; it knows no resource.
 */
#ifndef MAJLIS_API_REPLY_H
#define MAJLIS_API_REPLY_H

#include <json-c/json.h>
#include <stdint.h>

#include "api/app.h"
#include "api/errors.h"
#include "api/request.h"
#include "domain/domain.h"

/* Replies the domain error when rc is set; otherwise tells the change sink of seq (0: nothing was
 * committed) and replies out (consumed) with ok. */
void api_reply_dom(struct app *app, struct response *resp, int rc, const struct dom_err *e,
		   struct json_object *out, int64_t seq, enum api_ok ok);

/* A resource's write from a JSON body, at now (the request's time): a create of a top-level resource,
 * and a write on resource id (an update, or a create under a parent such as a venue's room). The
 * resource's api file implements it: it parses body into the domain's typed input and makes one
 * domain call; a body of the wrong shape is DOM_INVALID with err filled. */
typedef int (*api_create_fn)(struct db *db, const struct principal *p, struct json_object *body, int64_t now,
			     struct json_object **out, int64_t *seq, struct dom_err *err);
typedef int (*api_write_fn)(struct db *db, const struct principal *p, int64_t id, struct json_object *body,
			    int64_t now, struct json_object **out, int64_t *seq, struct dom_err *err);
/* Whether p may make the write at all, before the body's fields are read: id 0 for a create of a
 * top-level resource, else the resource (or parent) written. DOM_OK, or the refusal with err filled
 * (DOM_NOT_FOUND for what does not exist or p may not see, so that such a caller learns nothing, not
 * even that the body is wrong). The domain's *_writable predicates (orgs_writable, venues_writable, ...),
 * whose writes check the same again. */
typedef int (*api_rights_fn)(struct db *db, const struct principal *p, int64_t id, struct dom_err *err);
/* Authenticates (required), reads the JSON body, asks rights (when not NULL) on id (0 for a create), runs
 * create (or write on id when create is NULL) and replies as api_reply_dom. */
void api_json_write(struct app *app, const struct request *req, struct response *resp, api_rights_fn rights,
		    api_create_fn create, api_write_fn write, int64_t id, enum api_ok ok);

/* {"items": items, "total": total, "limit": limit, "offset": offset}; consumes items. */
void api_reply_list(struct response *resp, struct json_object *items, int64_t total, int64_t limit,
		    int64_t offset);

#endif

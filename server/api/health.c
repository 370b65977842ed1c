/* health: GET /healthz — liveness, the state of the database file and of the tz rules; no personal data. */
#include "api/errors.h"
#include "api/router.h"
#include "domain/system.h"

static void health_get(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	struct json_object *o = json_object_new_object();
	struct system_health h;
	struct dom_err err;
	int rc = system_health(&app->system, app->db, &h, &err);

	(void)req;
	(void)args;
	json_object_object_add(o, "status", json_object_new_string(rc ? "degraded" : "ok"));
	json_object_object_add(o, "version", json_object_new_string(MAJLIS_VERSION));
	json_object_object_add(o, "schema", json_object_new_int(h.schema));
	json_object_object_add(o, "store", json_object_new_string(h.store));
	json_object_object_add(o, "tz", json_object_new_string(h.tz));
	if (rc) {
		api_fail_dom_body(resp, &err, o);
		return;
	}
	api_reply(resp, API_OK, o);
}

const struct route api_health_routes[] = {
    {HTTP_GET, "/healthz", health_get},
    {0},
};

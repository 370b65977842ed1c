/* health: GET /healthz — liveness and database reachability, no personal data. */
#include "api/common.h"
#include "api/router.h"
#include "domain/system.h"

static void health_get(struct app *app, const struct request *req, const struct route_args *args,
		       struct response *resp)
{
	struct json_object *o = json_object_new_object();
	int schema = 0;
	bool ok = system_health(app->db, &schema);

	(void)req;
	(void)args;
	json_object_object_add(o, "status", json_object_new_string(ok ? "ok" : "degraded"));
	json_object_object_add(o, "version", json_object_new_string(MAJLIS_VERSION));
	json_object_object_add(o, "schema", json_object_new_int(schema));
	if (!ok) {
		json_object_put(o);
		api_fail(resp, API_UNAVAILABLE, NULL, "the database is not reachable");
		return;
	}
	api_reply(resp, API_OK, o);
}

const struct route api_health_routes[] = {
	{ HTTP_GET, "/healthz", health_get },
	{ 0 },
};

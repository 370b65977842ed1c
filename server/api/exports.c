/*
 * exports: HTTP handlers for an event's CSV files (registrations, attendance) — authenticate, choose the
 * language from ?lang= or Accept-Language, one domain call, the file's headers; no SQL, no rules.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/auth.h"
#include "api/body.h"
#include "api/errors.h"
#include "api/router.h"
#include "domain/exports.h"

/* The language of Accept-Language's most wanted tag among exports_langs (a tag "fr-MA" counts as "fr"; no
 * q: 1), or NULL when it names none of them. */
static const char *exports_accept_language(const char *h)
{
	const char *best = NULL;
	double best_q = 0;

	while (h && *h) {
		const char *end = strchr(h, ','), *semi, *q;
		size_t len = end ? (size_t)(end - h) : strlen(h), tag;
		double v = 1;
		char item[64];

		snprintf(item, sizeof(item), "%.*s", (int)(len < sizeof(item) ? len : sizeof(item) - 1), h);
		h = end ? end + 1 : NULL;
		semi = strchr(item, ';');
		q = semi ? strstr(semi, "q=") : NULL;
		if (q && sscanf(q + 2, "%lf", &v) != 1)
			continue;
		while (item[0] == ' ')
			memmove(item, item + 1, strlen(item));
		tag = strcspn(item, "-;_ ");
		for (int i = 0; exports_langs[i]; i++)
			if (tag == 2 && !strncasecmp(item, exports_langs[i], 2) && v > best_q) {
				best = exports_langs[i];
				best_q = v;
			}
	}
	return best;
}

static void exports_get(struct app *app, const struct request *req, const struct route_args *args,
			struct response *resp, enum exports_kind kind)
{
	struct principal p = {0};
	struct dom_err err = {0};
	const char *lang;
	char disposition[96];
	int idx = -1;

	if (api_auth(app, req, resp, &p, true) || api_query_enum(req, resp, "lang", exports_langs, &idx) < 0)
		return;
	lang = idx >= 0 ? exports_langs[idx] : exports_accept_language(req->accept_language);
	lang = lang ? lang : "fr";
	buf_reset(&resp->body);
	if (exports_event_csv(app->db, &p, args->ids[0], kind, lang, &resp->body, &err)) {
		api_fail_dom(resp, &err);
		return;
	}
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"event-%lld-%s-%s.csv\"",
		 (long long)args->ids[0], kind == EXPORTS_ATTENDANCE ? "attendance" : "registrations", lang);
	api_reply_raw(resp, API_OK, "text/csv; charset=utf-8");
	response_header(resp, "Content-Disposition", disposition);
	response_header(resp, "Content-Language", lang);
	response_header(resp, "Vary", "Accept-Language");
	/* names, contacts: never kept by a cache */
	response_header(resp, "Cache-Control", "no-store");
}

/* GET /api/v1/events/{id}/registrations.csv?lang= */
static void exports_registrations(struct app *app, const struct request *req, const struct route_args *args,
				  struct response *resp)
{
	exports_get(app, req, args, resp, EXPORTS_REGISTRATIONS);
}

/* GET /api/v1/events/{id}/attendance.csv?lang= */
static void exports_attendance(struct app *app, const struct request *req, const struct route_args *args,
			       struct response *resp)
{
	exports_get(app, req, args, resp, EXPORTS_ATTENDANCE);
}

const struct route api_exports_routes[] = {
    {HTTP_GET, "/api/v1/events/{id}/registrations.csv", exports_registrations},
    {HTTP_GET, "/api/v1/events/{id}/attendance.csv", exports_attendance},
    {0},
};

/*
 * freebusy (api): the handler of GET /calendar/freebusy/{token:token}.ifb, referenced from the
 * calendar route table; parse, one domain call, conditional answer — no SQL, no free/busy rules.
 */
#ifndef MAJLIS_API_FREEBUSY_H
#define MAJLIS_API_FREEBUSY_H

#include "api/router.h"

/* ?from=YYYY-MM-DD&to=YYYY-MM-DD -> 200 text/calendar (VFREEBUSY) with ETag and Last-Modified, 304
 * when the validators match, 400 for a bad range, 404 for an unknown or revoked token. Service thread. */
void api_freebusy_get(struct app *app, const struct request *req, const struct route_args *args,
		      struct response *resp);

#endif

/* events: placeholder route table until the resource lands. */
#include "api/router.h"

const struct route api_events_routes[] = {
	{ 0 },
};

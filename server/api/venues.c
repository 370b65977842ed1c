/* venues: placeholder route table until the resource lands. */
#include "api/router.h"

const struct route api_venues_routes[] = {
	{ 0 },
};

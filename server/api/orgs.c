/* orgs: placeholder route table until the resource lands. */
#include "api/router.h"

const struct route api_orgs_routes[] = {
	{ 0 },
};

/* registrations: placeholder route table until the resource lands. */
#include "api/router.h"

const struct route api_registrations_routes[] = {
	{ 0 },
};

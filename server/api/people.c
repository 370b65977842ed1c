/* people: placeholder route table until the resource lands. */
#include "api/router.h"

const struct route api_people_routes[] = {
	{ 0 },
};

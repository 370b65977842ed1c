/* calendar: placeholder route table until the resource lands. */
#include "api/router.h"

const struct route api_calendar_routes[] = {
	{ 0 },
};

/* attendance: placeholder route table until the resource lands. */
#include "api/router.h"

const struct route api_attendance_routes[] = {
	{ 0 },
};

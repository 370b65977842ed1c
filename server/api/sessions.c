/* sessions: placeholder route table until the resource lands. */
#include "api/router.h"

const struct route api_sessions_routes[] = {
	{ 0 },
};

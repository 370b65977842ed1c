/* tokens: placeholder route table until the resource lands. */
#include "api/router.h"

const struct route api_tokens_routes[] = {
	{ 0 },
};

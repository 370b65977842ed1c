/* imports: placeholder route table until the ICS import lands. */
#include "api/router.h"

const struct route api_imports_routes[] = {
	{ 0 },
};

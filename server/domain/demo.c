/* demo: placeholder until the demo data lands. */
#include "domain/demo.h"

int demo_load(struct db *db, struct dom_err *err)
{
	(void)db;
	err->code = DOM_OK;
	return DOM_OK;
}

/* auth: placeholder until accounts land. */
#include "domain/auth.h"

int auth_token_create(struct db *db, enum role role, int64_t org_id, const char *label,
		      char token[SECRET_TOKEN_LEN + 1], int64_t *id, struct dom_err *err)
{
	(void)db; (void)role; (void)org_id; (void)label; (void)token; (void)id;
	return dom_fail(err, DOM_INTERNAL, NULL, "not implemented yet");
}

/* fuzz_jsonx: strict request-body parsing and the typed getters on arbitrary bytes — refuse or accept,
 * never crash. libFuzzer target; also replayed over its corpus by CTest (fuzz/replay.c). */
#include <stddef.h>
#include <stdint.h>

#include "util/jsonx.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {"name", "email", "count", "flag", "kind", NULL};
	static const char *const kinds[] = {"training", "workshop", "concertation", NULL};
	struct json_object *o = NULL;
	struct jsonx_err err;
	const char *s;
	int64_t n;
	bool b;
	int k;
	double d;

	/* what the transport refuses never reaches the parser */
	if (text_body_problem((const char *)data, size, true))
		return 0;
	if (jsonx_parse_object((const char *)data, size, &o, &err))
		return 0;
	jsonx_only_keys(o, keys, &err);
	jsonx_get_str(o, "name", false, JSONX_LINE, 200, &s, &err);
	jsonx_get_str(o, "email", false, JSONX_EMAIL, 254, &s, &err);
	jsonx_get_int(o, "count", false, 0, 1000, &n, &err);
	jsonx_get_bool(o, "flag", false, &b, &err);
	jsonx_get_enum(o, "kind", false, kinds, &k, &err);
	jsonx_get_double(o, "lat", false, -90, 90, &d, &err);
	json_object_put(o);
	return 0;
}

/* fuzz_import: the .ics importer on arbitrary bytes — it must refuse or accept, never crash, leak or read
 * out of bounds. libFuzzer target; also replayed over its corpus by CTest (fuzz/replay.c). */
#include <stddef.h>
#include <stdint.h>

#include "calendar/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options opt = {.zone = "Africa/Casablanca"};
	struct import_result res;

	import_parse((const char *)data, size, &opt, &res);
	import_result_free(&res);
	return 0;
}

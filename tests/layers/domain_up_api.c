/* layers: a domain file including the api must not compile (CTest lint.layers.domain_up_api). */
#include "api/auth.h"

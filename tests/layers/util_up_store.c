/* layers: a util file including the store must not compile (CTest lint.layers.util_up_store). */
#include "store/db.h"

/* layers: main.c including the store's private statement API must not compile
 * (CTest lint.layers.majlisd_private_stmt): the composition root sees every layer's public headers only. */
#include "store/stmt.h"

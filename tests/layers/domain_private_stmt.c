/* layers: a domain file including the store's private statement API must not compile
 * (CTest lint.layers.domain_private_stmt): the domain sees only the store's typed functions. */
#include "store/stmt.h"

/* layers: a domain file including the store's test-only raw SQL must not compile
 * (CTest lint.layers.domain_private_db_test). */
#include "store/db_test.h"

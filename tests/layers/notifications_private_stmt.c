/* layers: a notifications file including the store's private statement API must not compile
 * (CTest lint.layers.notifications_private_stmt). */
#include "store/stmt.h"

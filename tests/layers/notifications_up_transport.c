/* layers: the notifications driver including the transport must not compile
 * (lint.layers.notifications_up_transport). */
#include "transport/wake.h"

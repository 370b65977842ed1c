/* layers: a domain file including the notifications driver must not compile
 * (lint.layers.domain_up_notifications). */
#include "notifications/worker.h"

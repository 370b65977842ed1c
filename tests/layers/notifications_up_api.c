/* layers: the notifications driver including the api must not compile (lint.layers.notifications_up_api). */
#include "api/app.h"

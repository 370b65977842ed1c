/* layers: a store file including the domain must not compile (CTest lint.layers.store_up_domain). */
#include "domain/domain.h"

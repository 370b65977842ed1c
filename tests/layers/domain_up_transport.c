/* layers: a domain file including the transport must not compile (CTest lint.layers.domain_up_transport). */
#include "transport/http.h"

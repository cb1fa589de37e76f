// SPDX-License-Identifier: Apache-2.0
// codes.cpp — placeholder until the codes transforms land.
#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

void register_codes(TransformRegistry& /*registry*/) {}

} // namespace ferry::transforms

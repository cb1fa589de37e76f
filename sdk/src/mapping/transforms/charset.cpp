// SPDX-License-Identifier: Apache-2.0
// charset.cpp — placeholder until the charset transforms land.
#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

void register_charset(TransformRegistry& /*registry*/) {}

} // namespace ferry::transforms

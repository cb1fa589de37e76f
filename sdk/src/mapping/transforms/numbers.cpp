// SPDX-License-Identifier: Apache-2.0
// numbers.cpp — placeholder until the numbers transforms land.
#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

void register_numbers(TransformRegistry& /*registry*/) {}

} // namespace ferry::transforms

// SPDX-License-Identifier: Apache-2.0
// validators.cpp — placeholder until the validators transforms land.
#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

void register_validators(TransformRegistry& /*registry*/) {}

} // namespace ferry::transforms

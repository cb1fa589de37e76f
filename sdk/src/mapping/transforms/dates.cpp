// SPDX-License-Identifier: Apache-2.0
// dates.cpp — placeholder until the dates transforms land.
#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

void register_dates(TransformRegistry& /*registry*/) {}

} // namespace ferry::transforms

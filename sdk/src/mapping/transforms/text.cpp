// SPDX-License-Identifier: Apache-2.0
// text.cpp — placeholder until the text transforms land.
#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

void register_text(TransformRegistry& /*registry*/) {}

} // namespace ferry::transforms

// SPDX-License-Identifier: Apache-2.0
// privacy.cpp — placeholder until the privacy transforms land.
#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

void register_privacy(TransformRegistry& /*registry*/) {}

} // namespace ferry::transforms

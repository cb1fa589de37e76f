// SPDX-License-Identifier: Apache-2.0
// builtin.h — one registration function per family of built-in transforms.
#pragma once

#include "ferry/transform.h"

namespace ferry::transforms {

void register_text(TransformRegistry& registry);       // text.cpp
void register_text_regex(TransformRegistry& registry); // text_regex.cpp (regex, to_text)
void register_charset(TransformRegistry& registry);    // charset.cpp
void register_dates(TransformRegistry& registry);      // dates.cpp
void register_numbers(TransformRegistry& registry);    // numbers.cpp
void register_validators(TransformRegistry& registry); // validators.cpp
void register_privacy(TransformRegistry& registry);    // privacy.cpp
void register_codes(TransformRegistry& registry);      // codes.cpp

} // namespace ferry::transforms

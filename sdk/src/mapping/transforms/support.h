// SPDX-License-Identifier: Apache-2.0
// support.h — small helpers shared by the built-in transforms.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "ferry/transform.h"

namespace ferry::transforms {

/// OK when every input's kind is one of `kinds`; else the InvalidArgument a checker shows at the
/// step: "substring needs text input, got decimal(14,2)". `wanted` names the kinds for people.
Status require_inputs(const TransformSetup& setup,
                      std::string_view op,
                      std::initializer_list<TypeKind> kinds,
                      std::string_view wanted);

/// An InvalidArgument about argument `name` (pointer "/name"), for arguments the schema admits
/// but the factory cannot use ("pattern does not compile: …").
Status bad_argument(std::string_view op, std::string_view name, std::string_view why);

/// Reads an optional argument with a default (the schema already checked its JSON type).
template <typename T>
T arg_or(const nlohmann::json& args, const char* name, T fallback) {
    const auto it = args.find(name);
    return it == args.end() || it->is_null() ? fallback : it->get<T>();
}

/// Registers `descriptor`; a failure here is a bug in a built-in (duplicate name, bad schema),
/// so it throws std::logic_error to fail every test at once.
void must_add(TransformRegistry& registry, TransformDescriptor descriptor);

} // namespace ferry::transforms

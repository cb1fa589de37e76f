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

/// Bytes in the UTF-8 sequence that starts with `lead` (the input is valid UTF-8).
inline std::size_t sequence_length(char lead) noexcept {
    const auto byte = static_cast<unsigned char>(lead);
    return byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
}

/// require_inputs for the many steps that read text only.
inline Status require_text(const TransformSetup& setup, std::string_view op) {
    return require_inputs(setup, op, {TypeKind::Utf8}, "text");
}

/// A one-input step that outputs text.
template <typename Fn>
BoundTransform text_step(Fn fn) {
    return BoundTransform{make_cell_transform(std::move(fn)), DataType::utf8()};
}

/// Registers a transform without a protection role (the usual case); throws like must_add.
void add(TransformRegistry& registry,
         std::string name,
         std::string summary,
         std::string schema,
         TransformFactory create,
         std::int32_t min_inputs = 1,
         std::int32_t max_inputs = 1);

/// Registers `descriptor`; a failure here is a bug in a built-in (duplicate name, bad schema),
/// so it throws std::logic_error to fail every test at once.
void must_add(TransformRegistry& registry, TransformDescriptor descriptor);

} // namespace ferry::transforms

// SPDX-License-Identifier: Apache-2.0
// fuzz_support.h — what every fuzz target shares: the input as text, and invariant checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ferry/text.h"

namespace ferry::fuzz {

/// The fuzzer's bytes as a view (libFuzzer owns them for the duration of the call).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// A broken invariant is a finding like a crash: libFuzzer saves the input when we abort.
[[noreturn]] inline void fail(const std::string& what, std::string_view input) {
    std::fprintf(stderr, "\nINVARIANT BROKEN: %s\n  input: %s\n", what.c_str(),
                 quote_for_message(input, 512).c_str());
    std::abort();
}

/// Messages end up in logs, rejects and HTTP bodies: they must be valid UTF-8 on any input.
inline void check_message(const std::string& message, std::string_view input) {
    if (!is_valid_utf8(message)) {
        fail("message is not valid UTF-8: " + to_hex(message), input);
    }
}

} // namespace ferry::fuzz

// SPDX-License-Identifier: Apache-2.0
// ferry/diagnostic.h — one finding about a mapping file, with the place it points at.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ferry {

enum class Severity { Error, Warning, Note };

/// "error", "warning", "note".
const char* severity_name(Severity severity) noexcept;

/// A finding of the mapping compiler or the checker. Codes are stable (docs/ferry-check.md lists
/// them); messages are for people and never contain a sensitive value.
struct Diagnostic {
    Severity severity = Severity::Error;
    std::string code; ///< "FC011"
    std::string message;
    std::string file;
    std::int32_t line = 0;   ///< 1-based; 0 when the finding has no place in the file
    std::int32_t column = 0; ///< 1-based, in code points
    std::string pointer;     ///< JSON pointer into the mapping file, "" for the whole file
    std::string hint;        ///< "did you mean \"name\"?", or ""

    /// Compiler style: `path:line:col: error[FC011]: message (did you mean …?)`.
    std::string to_string() const;
};

/// True when any diagnostic is an error.
bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept;

} // namespace ferry

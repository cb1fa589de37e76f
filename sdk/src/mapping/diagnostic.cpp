// SPDX-License-Identifier: Apache-2.0
// diagnostic.cpp — compiler-style rendering of findings.
#include "ferry/diagnostic.h"

#include <algorithm>

namespace ferry {

const char* severity_name(Severity severity) noexcept {
    switch (severity) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    case Severity::Note:
        return "note";
    }
    return "error";
}

std::string Diagnostic::to_string() const {
    std::string out = file.empty() ? std::string("<mapping>") : file;
    if (line > 0) {
        out += ":" + std::to_string(line) + ":" + std::to_string(column);
    }
    out += ": ";
    out += severity_name(severity);
    out += "[" + code + "]: " + message;
    if (!hint.empty()) {
        out += " (" + hint + ")";
    }
    return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

} // namespace ferry

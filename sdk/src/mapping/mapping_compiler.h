// SPDX-License-Identifier: Apache-2.0
// mapping_compiler.h — the state of one mapping compilation, shared by its stages.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/diagnostic.h"
#include "ferry/mapping.h"

#include "json_positions.h"
#include "mapping_plan.h"

namespace ferry::detail {

struct Compiler {
    const MappingLoadOptions& options;
    std::string file;
    std::filesystem::path base_dir;
    JsonPositions positions;
    std::vector<Diagnostic>& out;
    std::shared_ptr<MappingPlan> plan;
    /// Declared restrictions on source fields ("sharing" / "sensitive" in source.fields).
    std::map<std::string, Sharing, std::less<>> source_sharing;
    std::set<std::string, std::less<>> source_sensitive;
    /// Source fields declared with a type that does not parse (reported once, as FC004).
    std::set<std::string, std::less<>> bad_source_fields;

    /// Records a finding at `pointer` (its member name when `at_key`, else its value).
    void report(Severity severity,
                std::string code,
                const std::string& pointer,
                std::string message,
                std::string hint = {},
                bool at_key = true);
};

/// Compiles "fields": targets, inputs, transform chains, type flow into the target types.
void compile_fields(Compiler& compiler);

/// Sharing and sensitivity rules over the compiled fields, and the raw-value policy of rejects.
void check_policies(Compiler& compiler);

/// `hint` text for a misspelt name, or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

} // namespace ferry::detail

// SPDX-License-Identifier: Apache-2.0
// transform_test_support.h — run one built-in transform over a few cells, the way a mapping does.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/column.h"
#include "ferry/transform.h"

namespace ferry::testing {

/// A text column from C++ strings; std::nullopt is a null cell.
Column text_column(const std::vector<std::optional<std::string>>& cells);

/// A column of any type from Values (all of the column's type, or null).
Column value_column(const DataType& type, const std::vector<Value>& cells);

struct TransformRun {
    Status status; ///< the factory's (or registry's) error, OK when the step ran
    DataType output_type = DataType::utf8();
    std::vector<Value> out; ///< one per row; null for rejected rows
    /// row -> "rule: reason" for each rejected row
    std::map<std::int64_t, std::string> rejects;
};

struct TransformEnv {
    std::map<std::string, Crosswalk> crosswalks;
    std::map<std::string, std::vector<std::string>> code_tables;
    std::map<std::string, std::string> secrets;
};

/// Creates `op` with `args` from the built-in registry over `inputs`, and runs it.
TransformRun run_transform(const std::string& op,
                           const nlohmann::json& args,
                           const std::vector<Column>& inputs,
                           const TransformEnv& env = {});

/// Shorthand: one text input; returns run_transform's result.
TransformRun run_text(const std::string& op,
                      const nlohmann::json& args,
                      const std::vector<std::optional<std::string>>& cells,
                      const TransformEnv& env = {});

} // namespace ferry::testing

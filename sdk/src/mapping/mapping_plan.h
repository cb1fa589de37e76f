// SPDX-License-Identifier: Apache-2.0
// mapping_plan.h — what a mapping compiles into (shared by the loader and the engine).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ferry/catalog.h"
#include "ferry/mapping.h"
#include "ferry/transform.h"

#include "json_positions.h"

namespace ferry::detail {

struct CompiledStep {
    std::string op;
    Protection protection = Protection::None;
    std::unique_ptr<Transform> transform;
    DataType output_type = DataType::utf8();
};

struct CompiledField {
    CatalogField target;              ///< with the mapping's overrides
    std::vector<std::size_t> sources; ///< indices into the plan's source schema
    std::optional<Value> constant;    ///< "value": … instead of "from"
    std::vector<CompiledStep> steps;
    DataType chain_type = DataType::utf8(); ///< the type the last step outputs
    bool attach_raw = false;                ///< raw source values may go into rejects
    std::shared_ptr<const std::unordered_set<std::string_view>> codes; ///< code fields
    bool codes_guaranteed = false; ///< the chain's last step already keeps to the code table
    std::string location;          ///< "mapping.json:23" for rejects
};

struct MappingPlan {
    std::string id;
    std::string file;
    nlohmann::json document;
    std::shared_ptr<const Catalog> catalog;
    CatalogEntity entity;
    Schema source_schema;
    Schema output_schema;
    std::shared_ptr<const Schema> output_schema_shared; ///< the same, for output batches
    std::vector<CompiledField> fields;
    RejectPolicy policy;
    std::map<std::string, Crosswalk, std::less<>> crosswalks;
    std::map<std::string, std::string, std::less<>> secrets;
    std::string text;        ///< the file as read, for positions after loading
    JsonPositions positions; ///< over `text`
};

} // namespace ferry::detail

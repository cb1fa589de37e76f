// SPDX-License-Identifier: Apache-2.0
// ferry/mapping.h — a compiled mapping file: one source stream onto one catalog entity.
//
// Loading a mapping checks it completely (the same checks `ferry-check` reports) and compiles
// each target field into a chain of transforms. apply() then maps one batch a column at a time;
// it is const and thread-safe, so batches can be mapped in parallel (see mapped_reader.h).
// Every source record comes out either delivered or rejected with its reason: for every batch,
// records read = delivered + rejected.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/batch.h"
#include "ferry/catalog.h"
#include "ferry/diagnostic.h"
#include "ferry/result.h"
#include "ferry/transform.h"

namespace ferry {

namespace detail {
struct MappingPlan;
} // namespace detail

struct MappingLoadOptions {
    /// The catalog the mapping targets (required).
    std::shared_ptr<const Catalog> catalog;
    /// The transforms the mapping may name.
    TransformRegistry transforms = TransformRegistry::with_builtins();
    /// The source's schema as discovered (live checks, the bridge). When set, it is what the
    /// mapping compiles against, and the fields the file declares are compared with it.
    std::optional<Schema> discovered_source;
    /// For static checks: a secret the file declares but this environment does not provide is
    /// a warning (a placeholder key is used) instead of an error.
    bool allow_missing_secrets = false;
    /// Secrets the host keeps itself (the bridge's keys in its state directory), by name: used
    /// for a secret whose own source (environment variable or file) gives no value.
    std::map<std::string, std::string> host_secrets;
};

/// When a stream has rejected too much to go on (the mapping's "rejects" section).
struct RejectPolicy {
    std::optional<std::int64_t> max_count; ///< more rejects than this stops the stream
    std::optional<double> max_ratio;       ///< rejected / read above this stops the stream …
    std::int64_t min_records = 1000;       ///< … once at least this many records were read
};

class Mapping {
public:
    /// Reads and compiles `file`. Every finding goes to `diagnostics` (positions included);
    /// the result is an error (InvalidArgument) when any finding is an error.
    static Result<Mapping> load(const std::filesystem::path& file,
                                const MappingLoadOptions& options,
                                std::vector<Diagnostic>& diagnostics);
    /// The same for a mapping held in memory; `file` names it in diagnostics and `base_dir`
    /// resolves relative paths (crosswalk files).
    static Result<Mapping> parse(std::string_view text,
                                 const std::string& file,
                                 const std::filesystem::path& base_dir,
                                 const MappingLoadOptions& options,
                                 std::vector<Diagnostic>& diagnostics);

    const std::string& id() const noexcept;
    const std::string& file() const noexcept;
    /// The parsed file (source options, dataset metadata, …).
    const nlohmann::json& document() const noexcept;
    const CatalogEntity& entity() const noexcept;
    /// The source fields the mapping reads (declared or discovered).
    const Schema& source_schema() const noexcept;
    /// The mapped target fields, in catalog order.
    const Schema& output_schema() const noexcept;
    /// The catalog field behind output field `index`, with the mapping's overrides applied
    /// (sharing, masking).
    const CatalogField& output_field(std::size_t index) const;
    const RejectPolicy& reject_policy() const noexcept;
    /// Line and column (1-based) of a JSON pointer's member in the file; {0, 0} when unknown.
    std::pair<std::int32_t, std::int32_t> position(std::string_view pointer) const;

    /// Maps one batch whose schema holds (at least) the source fields by name. Rejects of the
    /// input pass through; rows failing a rule become rejects naming field, rule and reason,
    /// with the raw source value only when no sensitive field reads that source field.
    Result<Batch> apply(const Batch& input) const;

private:
    explicit Mapping(std::shared_ptr<const detail::MappingPlan> plan)
        : plan_(std::move(plan)) {}

    std::shared_ptr<const detail::MappingPlan> plan_;
};

} // namespace ferry

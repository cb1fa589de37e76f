// SPDX-License-Identifier: Apache-2.0
// dataset_registry.h — the datasets the bridge serves: one plugin source and one compiled
// mapping each. A dataset is an immutable snapshot; reload() swaps in new snapshots, and
// streams already running keep the one they started with, so no connection is dropped.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/catalog.h"
#include "ferry/mapping.h"
#include "ferry/plugin_library.h"

#include "bridge_config.h"

namespace ferry::bridge {

struct LoadedSource {
    SourceConfig config;
    PluginLibrary plugin;
    SourceHandle handle;
    nlohmann::json discovery;
};

struct Dataset {
    std::string id;
    std::shared_ptr<const LoadedSource> source;
    std::string source_dataset; ///< the mapping's source.dataset
    Mapping mapping;
    std::uint64_t generation = 0; ///< grows with every reload of this dataset
    /// Key lookups: the catalog key field and the source field it is read from unchanged
    /// (or only trimmed); empty when the dataset cannot be looked up by key.
    std::string key_field;
    std::string lookup_source_field;
    bool resumable = false; ///< the source announces checkpoints
    /// Mapping secrets by name (masking with a keyed pseudonym needs the same key).
    std::map<std::string, std::string> secrets;

    const nlohmann::json& metadata() const; ///< the mapping's "dataset" section (or null)
};

class DatasetRegistry {
public:
    /// Loads every plugin, creates the sources, discovers them, and compiles every mapping against
    /// what its source discovered. Any error stops the start (no half-configured bridge).
    static Result<std::unique_ptr<DatasetRegistry>> open(const BridgeConfig& config);

    std::shared_ptr<const Dataset> find(std::string_view id) const;
    /// In config order.
    std::vector<std::shared_ptr<const Dataset>> all() const;

    /// Recompiles every mapping file. All or nothing: on any error the old datasets stay and the
    /// error (with the mapping's findings) comes back.
    Status reload();

private:
    DatasetRegistry() = default;

    Result<std::shared_ptr<const Dataset>> compile(const DatasetConfig& config,
                                                   std::uint64_t generation) const;

    BridgeConfig config_;
    std::shared_ptr<const Catalog> catalog_; ///< null: each mapping names its own
    std::map<std::string, std::shared_ptr<const LoadedSource>> sources_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<const Dataset>> datasets_;
};

} // namespace ferry::bridge

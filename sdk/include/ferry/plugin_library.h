// SPDX-License-Identifier: Apache-2.0
// ferry/plugin_library.h — the host side of the ABI: load a plugin, create sources, open streams.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/batch_reader.h"
#include "ferry/plugin_abi.h"
#include "ferry/result.h"

namespace ferry {

namespace detail {
struct LibraryCore;
struct SourceCore;
} // namespace detail

/// Receives the plugin's log lines (FERRY_LOG_* levels); called from any plugin thread.
using LogFunction = std::function<void(std::int32_t level, std::string_view message)>;

struct PluginLoadOptions {
    /// Default: warnings and errors to stderr, prefixed with the plugin's name.
    LogFunction log;
};

class SourceHandle;

/// One independent piece of a dataset (SourceHandle::list_partitions).
struct Partition {
    std::string id;
    nlohmann::json request; ///< merged into open_stream's request (merge_request) to read it
    std::string description;
};

/// `request` with a partition's request merged in (RFC 7386 merge patch).
nlohmann::json merge_request(const nlohmann::json& request, const nlohmann::json& piece);

/// One loaded plugin (RAII over dlopen and the plugin API; copies share it). Sources, streams and
/// batches keep it loaded for as long as they live, so destruction order never matters.
class PluginLibrary {
public:
    /// dlopen(path, RTLD_NOW | RTLD_LOCAL), negotiate the ABI version, check the function table.
    /// Distinct errors: NotFound (no such file), InvalidArgument (not a Ferry plugin),
    /// NotImplemented (no common ABI version; both sides' versions named), and the plugin's own
    /// error when its init fails.
    static Result<PluginLibrary> load(const std::string& path, PluginLoadOptions options = {});
    /// The same, for a plugin linked statically (its FerryPlugin<Name>Init).
    static Result<PluginLibrary>
    from_init(FerryPluginInitFunc init, std::string label, PluginLoadOptions options = {});

    const std::string& name() const noexcept;
    const std::string& version() const noexcept;
    const std::string& description() const noexcept;
    const std::string& options_schema() const noexcept;
    /// The ABI version negotiated with the plugin.
    std::uint32_t abi_version() const noexcept;

    /// Validates `options` against the plugin's options_schema, then creates a source.
    Result<SourceHandle> create_source(const nlohmann::json& options) const;

private:
    explicit PluginLibrary(std::shared_ptr<detail::LibraryCore> core)
        : core_(std::move(core)) {}

    static Result<PluginLibrary> initialise(std::shared_ptr<detail::LibraryCore> core,
                                            FerryPluginInitFunc init);
    std::shared_ptr<detail::LibraryCore> core_;
};

/// One configured source (copies share it). Safe to use from several threads at once.
class SourceHandle {
public:
    /// The source's datasets, checked against schemas/discovery.schema.json.
    Result<nlohmann::json> discover() const;
    /// `request` is null or an object with "resume", "lookup", "params", "limit", "batch_rows".
    Result<BatchReader> open_stream(std::string_view dataset,
                                    const nlohmann::json& request = nullptr) const;
    /// The dataset's independent pieces; read each with open_stream(dataset,
    /// merge_request(request, piece.request)). A 1.0 plugin's datasets are one piece.
    Result<std::vector<Partition>> list_partitions(std::string_view dataset,
                                                   const nlohmann::json& request = nullptr) const;

private:
    friend class PluginLibrary;

    explicit SourceHandle(std::shared_ptr<detail::SourceCore> core)
        : core_(std::move(core)) {}

    std::shared_ptr<detail::SourceCore> core_;
};

/// "1.0" for FERRY_ABI_VERSION_1_0.
std::string abi_version_string(std::uint32_t version);

} // namespace ferry

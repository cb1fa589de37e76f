// SPDX-License-Identifier: Apache-2.0
// ferry/plugin/source.h — the one class an adapter author derives: a configured source.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ferry/plugin/stream.h"
#include "ferry/plugin_abi.h"
#include "ferry/result.h"

namespace ferry::plugin {

/// A configured connection to one legacy system. Derive from it and declare, as static members:
///   static constexpr const char* kName, kVersion, kDescription, kOptionsSchema;
///   static Result<std::unique_ptr<YourSource>> create(const nlohmann::json& options);
/// then write FERRY_DEFINE_PLUGIN(YourName, YourSource) once (ferry/plugin/define_plugin.h).
/// discover() and open_stream() may be called from several threads at once.
class Source {
public:
    Source() = default;
    virtual ~Source() = default;
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;

    /// The datasets this source offers, as JSON per schemas/discovery.schema.json.
    virtual Result<nlohmann::json> discover() = 0;
    /// Opens a stream over request.dataset (NotFound for an unknown one).
    virtual Result<std::unique_ptr<Stream>> open_stream(const StreamRequest& request) = 0;
    /// The independent pieces of request.dataset that can be read at once, as an array of
    /// {"id", "request", "description"} objects: open_stream with each "request" merged into
    /// the caller's request reads one piece, and together they hold every record once. The
    /// default is one piece with an empty request: the whole dataset.
    virtual Result<nlohmann::json> list_partitions(const StreamRequest& request);

    /// Logs through the host (thread-safe); a no-op when the host offers no logger.
    void log(std::int32_t level, std::string_view message) const;

    /// Set by the SDK right after create(); not for adapter code.
    void attach_host(const FerryHostApi* host) noexcept { host_ = host; }

private:
    const FerryHostApi* host_ = nullptr;
};

/// The "fields" array of a discovery dataset for `schema`: name, type and nullable per field.
nlohmann::json describe_fields(const Schema& schema);

} // namespace ferry::plugin

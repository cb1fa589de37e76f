// SPDX-License-Identifier: Apache-2.0
// host_internal.h — the shared state behind PluginLibrary, SourceHandle and BatchReader.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "ferry/batch_reader.h"
#include "ferry/json_schema.h"
#include "ferry/plugin_abi.h"
#include "ferry/plugin_library.h"

namespace ferry::detail {

// Lifetimes nest as the ABI requires (API > sources > streams): each level holds a shared_ptr to
// the one above, and batches hold the library, so releasing in any order from the C++ side is safe.
struct LibraryCore {
    void* handle = nullptr; // from dlopen; null for statically linked plugins
    std::string label;      // the path, or the static plugin's label
    LogFunction log;
    FerryHostApi host{};
    FerryPluginApi api{};
    std::string name, version, description, options_schema_text;
    std::optional<JsonSchema> options_schema;

    LibraryCore() = default;
    LibraryCore(const LibraryCore&) = delete;
    LibraryCore& operator=(const LibraryCore&) = delete;
    ~LibraryCore();
};

struct SourceCore {
    std::shared_ptr<LibraryCore> library;
    FerrySource source = nullptr;

    SourceCore() = default;
    SourceCore(const SourceCore&) = delete;
    SourceCore& operator=(const SourceCore&) = delete;
    ~SourceCore();
};

struct StreamCore {
    std::shared_ptr<SourceCore> source;
    std::string dataset;
    FerryStream stream{};
    std::shared_ptr<const Schema> schema;
    bool finished = false;
    std::int64_t read = 0;
    std::int64_t delivered = 0;
    std::int64_t rejected = 0;
    std::int64_t skipped = 0;
    std::optional<Reconciliation> reconciliation;

    StreamCore() = default;
    StreamCore(const StreamCore&) = delete;
    StreamCore& operator=(const StreamCore&) = delete;
    ~StreamCore();
};

/// schemas/discovery.schema.json, compiled into the SDK.
extern const char* const kDiscoverySchemaText;

} // namespace ferry::detail

// SPDX-License-Identifier: Apache-2.0
// plugin_glue.cpp — the noexcept trampolines between the C ABI and a plugin's Source/Stream.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "ferry/abi_error.h"
#include "ferry/plugin/define_plugin.h"

namespace ferry::plugin::detail {

namespace {

struct PluginState {
    const PluginDescriptor* descriptor;
    const FerryHostApi* host;
    std::uint32_t abi_version; // negotiated: never write past that version's structs
};

// The 1.0 structs end where the first 1.1 field begins, the 1.1 batch where 1.2's does.
constexpr std::size_t kBatchSize1_0 = offsetof(FerryBatch, records_skipped);
constexpr std::size_t kBatchSize1_1 = offsetof(FerryBatch, absent);
constexpr std::size_t kStreamSize1_0 = offsetof(FerryStream, get_report);

struct SourceBox {
    std::unique_ptr<Source> source;
    const PluginState* plugin;
};

struct StreamState {
    std::unique_ptr<Stream> stream;
    BatchBuilder builder;
    std::int64_t batch_rows;
    std::optional<std::int64_t> remaining;
    std::uint32_t abi_version;
    bool ended = false;
    bool stopped_by_limit = false; // the request's limit ended the stream, not the source
    Status failed;
};

struct TextPrivate {
    std::string text;
};

// Every entry point runs its body through this: no exception may cross the C ABI.
template <typename Body>
FerryStatus guarded(FerryError* error, Body&& body) noexcept {
    try {
        return export_status(body(), error);
    } catch (const BadResultAccess& misuse) {
        return export_status(misuse.status(), error);
    } catch (const std::exception& thrown) {
        return export_status(Status::internal(std::string("plugin threw: ") + thrown.what()),
                             error);
    } catch (...) {
        return export_status(Status::internal("plugin threw a non-standard exception"), error);
    }
}

SourceBox* unbox(FerrySource source) noexcept {
    return reinterpret_cast<SourceBox*>(source);
}

const PluginState& plugin_of(FerrySource source) noexcept {
    return *unbox(source)->plugin;
}

StreamState* state_of(FerryStream* stream) noexcept {
    return static_cast<StreamState*>(stream->private_data);
}

void release_text(FerryText* text) {
    delete static_cast<TextPrivate*>(text->private_data);
    text->release = nullptr;
}

void export_text(std::string text, FerryText* out) {
    auto* priv = new TextPrivate{std::move(text)};
    out->data = priv->text.c_str();
    out->size = priv->text.size();
    out->private_data = priv;
    out->release = &release_text;
}

FerryStatus stream_get_schema(FerryStream* stream, ArrowSchema* out, FerryError* error) {
    return guarded(error, [&]() -> Status {
        state_of(stream)->stream->schema().export_to(out);
        return {};
    });
}

// Finishes the builder into `out`, writing no further than the negotiated version's FerryBatch.
Status export_batch(StreamState& state, FerryBatch* out) {
    if (state.abi_version >= FERRY_ABI_VERSION_1_2) {
        return state.builder.finish(out);
    }
    FerryBatch full{};
    FERRY_RETURN_IF_ERROR(state.builder.finish(&full));
    if (state.abi_version >= FERRY_ABI_VERSION_1_1) {
        // Absent values stay nulls in the data: what a 1.1 host reads them as.
        std::memcpy(static_cast<void*>(out), &full, kBatchSize1_1);
        return {};
    }
    full.records_read -= full.records_skipped; // a 1.0 host knows no skipped records
    std::memcpy(static_cast<void*>(out), &full, kBatchSize1_0);
    return {};
}

Status next_batch(StreamState& state, FerryBatch* out) {
    out->release = nullptr;
    if (!state.failed.ok()) {
        return state.failed;
    }
    for (;;) {
        if (state.stream->cancelled()) {
            return Status::cancelled("stream cancelled");
        }
        const std::int64_t capacity =
            std::min(state.batch_rows, state.remaining.value_or(INT64_MAX));
        if (state.ended || capacity == 0) {
            state.stopped_by_limit = state.stopped_by_limit || !state.ended;
            state.ended = true;
            return {}; // end of stream: OK with out->release == NULL
        }
        state.builder.set_capacity(capacity);
        Result<bool> more = state.stream->fill(state.builder);
        if (!more.ok()) {
            return std::move(more).status();
        }
        if (state.builder.records_read() > capacity) {
            return Status::internal("stream read " + std::to_string(state.builder.records_read()) +
                                    " records into a batch of capacity " +
                                    std::to_string(capacity));
        }
        state.ended = !*more;
        if (state.stream->cancelled()) {
            return Status::cancelled("stream cancelled");
        }
        if (!state.builder.empty()) {
            if (state.remaining) {
                *state.remaining -= state.builder.records_read();
            }
            for (const auto& [reason, count] : state.builder.skipped_by_reason()) {
                state.stream->accounting().count_skipped(reason, count);
            }
            return export_batch(state, out);
        }
    }
}

FerryStatus stream_get_next(FerryStream* stream, FerryBatch* out, FerryError* error) {
    StreamState& state = *state_of(stream);
    return guarded(error, [&]() -> Status {
        Status status = next_batch(state, out);
        if (!status.ok() && state.failed.ok()) {
            state.failed = status; // a failed stream keeps failing the same way
        }
        return status;
    });
}

FerryStatus stream_get_report(FerryStream* stream, FerryText* out, FerryError* error) {
    return guarded(error, [&]() -> Status {
        const StreamState& state = *state_of(stream);
        nlohmann::json report = state.stream->accounting().to_json();
        if (state.stopped_by_limit) {
            report["stopped_early"] = "the request's limit ended the stream";
        }
        export_text(report.dump(), out);
        return {};
    });
}

void stream_cancel(FerryStream* stream) {
    state_of(stream)->stream->cancel();
}

void stream_release(FerryStream* stream) {
    delete state_of(stream);
    stream->release = nullptr;
}

FerryStatus
source_create(FerryPluginApi* api, const char* options_json, FerrySource* out, FerryError* error) {
    const auto* plugin = static_cast<const PluginState*>(api->private_data);
    return guarded(error, [&]() -> Status {
        nlohmann::json options = nlohmann::json::object();
        if (options_json != nullptr && *options_json != '\0') {
            try {
                options = nlohmann::json::parse(options_json);
            } catch (const nlohmann::json::exception& bad) { // 1e309 is out_of_range
                return Status::invalid_argument(std::string("options are not valid JSON: ") +
                                                bad.what());
            }
        }
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<Source> source, plugin->descriptor->create(options));
        if (!source) {
            return Status::internal("create() returned no source");
        }
        source->attach_host(plugin->host);
        *out = reinterpret_cast<FerrySource>(new SourceBox{std::move(source), plugin});
        return {};
    });
}

void source_destroy(FerrySource source) {
    delete unbox(source); // destructors are noexcept: a throwing one terminates inside the plugin
}

FerryStatus source_discover(FerrySource source, FerryText* out, FerryError* error) {
    return guarded(error, [&]() -> Status {
        FERRY_ASSIGN_OR_RETURN(nlohmann::json catalog, unbox(source)->source->discover());
        export_text(catalog.dump(), out);
        return {};
    });
}

FerryStatus source_open_stream(FerrySource source,
                               const char* dataset,
                               const char* request_json,
                               FerryStream* out,
                               FerryError* error) {
    return guarded(error, [&]() -> Status {
        if (dataset == nullptr) {
            return Status::invalid_argument("no dataset named");
        }
        FERRY_ASSIGN_OR_RETURN(StreamRequest request, StreamRequest::parse(dataset, request_json));
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<Stream> stream,
                               unbox(source)->source->open_stream(request));
        if (!stream) {
            return Status::internal("open_stream() returned no stream");
        }
        BatchBuilder builder(stream->schema(), request.batch_rows);
        const std::uint32_t version = plugin_of(source).abi_version;
        auto* state = new StreamState{std::move(stream),
                                      std::move(builder),
                                      request.batch_rows,
                                      request.limit,
                                      version,
                                      false,
                                      false,
                                      Status()};
        FerryStream filled{};
        filled.get_schema = &stream_get_schema;
        filled.get_next = &stream_get_next;
        filled.cancel = &stream_cancel;
        filled.release = &stream_release;
        filled.private_data = state;
        filled.get_report = &stream_get_report;
        std::memcpy(static_cast<void*>(out), &filled,
                    version >= FERRY_ABI_VERSION_1_1 ? sizeof filled : kStreamSize1_0);
        return {};
    });
}

FerryStatus source_list_partitions(FerrySource source,
                                   const char* dataset,
                                   const char* request_json,
                                   FerryText* out,
                                   FerryError* error) {
    return guarded(error, [&]() -> Status {
        if (dataset == nullptr) {
            return Status::invalid_argument("no dataset named");
        }
        FERRY_ASSIGN_OR_RETURN(StreamRequest request, StreamRequest::parse(dataset, request_json));
        FERRY_ASSIGN_OR_RETURN(nlohmann::json pieces,
                               unbox(source)->source->list_partitions(request));
        export_text(nlohmann::json{{"partitions", std::move(pieces)}}.dump(), out);
        return {};
    });
}

void release_api(FerryPluginApi* api) {
    delete static_cast<PluginState*>(api->private_data);
    api->private_data = nullptr;
    api->release = nullptr;
}

} // namespace

FerryStatus init_plugin(const PluginDescriptor* descriptor,
                        std::uint32_t abi_version,
                        const FerryHostApi* host,
                        FerryPluginApi* out,
                        FerryError* error) noexcept {
    return guarded(error, [&]() -> Status {
        if (out == nullptr) {
            return Status::invalid_argument("FerryPluginInit called without an output struct");
        }
        if (FERRY_ABI_VERSION_MAJOR(abi_version) != FERRY_ABI_VERSION_MAJOR(FERRY_ABI_VERSION) ||
            abi_version < FERRY_ABI_VERSION_1_0) {
            out->abi_version = FERRY_ABI_VERSION;
            return Status::not_implemented(
                std::string("plugin \"") + descriptor->name + "\" speaks Ferry plugin ABI " +
                std::to_string(FERRY_ABI_VERSION_MAJOR(FERRY_ABI_VERSION)) + "." +
                std::to_string(FERRY_ABI_VERSION_MINOR(FERRY_ABI_VERSION)) + ", not " +
                std::to_string(FERRY_ABI_VERSION_MAJOR(abi_version)) + "." +
                std::to_string(FERRY_ABI_VERSION_MINOR(abi_version)));
        }
        // A newer minor asked of us: we can only fill our own version; say so, the host retries.
        if (abi_version > FERRY_ABI_VERSION) {
            out->abi_version = FERRY_ABI_VERSION;
            return Status::not_implemented("plugin \"" + std::string(descriptor->name) +
                                           "\" was built for an older minor ABI version");
        }
        // 1.0 hosts get the 1.0 table and 1.0 structs; 1.1 hosts 1.1's (the table and the stream
        // did not grow in 1.2, the batch did); 1.2 hosts everything.
        const bool v1_1 = abi_version >= FERRY_ABI_VERSION_1_1;
        out->abi_version = abi_version >= FERRY_ABI_VERSION_1_2 ? FERRY_ABI_VERSION_1_2
                           : v1_1                               ? FERRY_ABI_VERSION_1_1
                                                                : FERRY_ABI_VERSION_1_0;
        out->struct_size = static_cast<std::uint32_t>(
            v1_1 ? sizeof(FerryPluginApi) : offsetof(FerryPluginApi, list_partitions));
        out->private_data = new PluginState{descriptor, host, out->abi_version};
        out->release = &release_api;
        out->name = descriptor->name;
        out->version = descriptor->version;
        out->description = descriptor->description;
        out->options_schema = descriptor->options_schema;
        out->source_create = &source_create;
        out->source_destroy = &source_destroy;
        out->discover = &source_discover;
        out->open_stream = &source_open_stream;
        if (v1_1) {
            out->list_partitions = &source_list_partitions;
        }
        return {};
    });
}

} // namespace ferry::plugin::detail

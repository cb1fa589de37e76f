// SPDX-License-Identifier: Apache-2.0
// plugin_library.cpp — dlopen, ABI negotiation, contract checks, options validation, discovery.
#include "ferry/plugin_library.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <utility>

#include "ferry/abi_error.h"

#include "host_internal.h"

namespace ferry {

namespace detail {

LibraryCore::~LibraryCore() {
    if (api.release != nullptr) {
        api.release(&api);
    }
#if !defined(FERRY_SANITIZE)
    // Under ASan the library stays mapped so leak reports keep the plugin's symbols.
    if (handle != nullptr) {
        dlclose(handle);
    }
#endif
}

SourceCore::~SourceCore() {
    if (source != nullptr) {
        library->api.source_destroy(source);
    }
}

StreamCore::~StreamCore() {
    if (stream.release != nullptr) {
        stream.release(&stream);
    }
}

} // namespace detail

namespace {

using detail::LibraryCore;

// Newest first; the host walks down until the plugin accepts one (ADBC's negotiation).
constexpr std::uint32_t kSupportedVersions[] = {FERRY_ABI_VERSION_1_2, FERRY_ABI_VERSION_1_1,
                                                FERRY_ABI_VERSION_1_0};

// The 1.0 table ends with open_stream, the 1.1 table with list_partitions; a plugin that filled
// less than its version's table broke the contract.
constexpr std::size_t kApiSize1_0 =
    offsetof(FerryPluginApi, open_stream) + sizeof(FerryPluginApi::open_stream);
constexpr std::size_t kApiSize1_1 =
    offsetof(FerryPluginApi, list_partitions) + sizeof(FerryPluginApi::list_partitions);

void default_log(const std::string& plugin, std::int32_t level, std::string_view message) {
    if (level > FERRY_LOG_WARN) {
        return;
    }
    static std::mutex mutex;
    const std::lock_guard lock(mutex);
    std::cerr << "ferry: plugin " << plugin << ": "
              << (level == FERRY_LOG_ERROR ? "error" : "warning") << ": " << message << '\n';
}

void host_log(void* host_ctx, std::int32_t level, const char* message) {
    auto* core = static_cast<LibraryCore*>(host_ctx);
    if (message == nullptr) {
        return;
    }
    try {
        if (core->log) {
            core->log(level, message);
        } else {
            default_log(core->name.empty() ? core->label : core->name, level, message);
        }
    } catch (...) {
        // Logging must never throw back into plugin code.
    }
}

Status check_contract(const LibraryCore& core) {
    const FerryPluginApi& api = core.api;
    std::string missing;
    auto need = [&](bool present, const char* what) {
        if (!present) {
            missing += missing.empty() ? what : std::string(", ") + what;
        }
    };
    need(api.struct_size >= kApiSize1_0, "a complete 1.0 table (struct_size too small)");
    need(api.release != nullptr, "release");
    need(api.name != nullptr, "name");
    need(api.version != nullptr, "version");
    need(api.options_schema != nullptr, "options_schema");
    need(api.source_create != nullptr, "source_create");
    need(api.source_destroy != nullptr, "source_destroy");
    need(api.discover != nullptr, "discover");
    need(api.open_stream != nullptr, "open_stream");
    if (api.abi_version >= FERRY_ABI_VERSION_1_1) {
        need(api.struct_size >= kApiSize1_1, "a complete 1.1 table (struct_size too small)");
        need(api.struct_size >= kApiSize1_1 && api.list_partitions != nullptr, "list_partitions");
    }
    if (!missing.empty()) {
        return Status::internal("plugin " + core.label + " broke the ABI contract: missing " +
                                missing);
    }
    return {};
}

} // namespace

std::string abi_version_string(std::uint32_t version) {
    return std::to_string(FERRY_ABI_VERSION_MAJOR(version)) + "." +
           std::to_string(FERRY_ABI_VERSION_MINOR(version));
}

Result<PluginLibrary> PluginLibrary::load(const std::string& path, PluginLoadOptions options) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return Status::not_found("plugin file not found: " + path);
    }
    auto core = std::make_shared<LibraryCore>();
    core->label = path;
    core->log = std::move(options.log);
    core->handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (core->handle == nullptr) {
        const char* why = dlerror();
        return Status::invalid_argument("not a Ferry plugin: cannot load " + path + ": " +
                                        (why ? why : "unknown dlopen error"));
    }
    void* symbol = dlsym(core->handle, FERRY_PLUGIN_INIT_SYMBOL);
    if (symbol == nullptr) {
        return Status::invalid_argument("not a Ferry plugin: " + path + " does not export " +
                                        FERRY_PLUGIN_INIT_SYMBOL);
    }
    FerryPluginInitFunc init = nullptr;
    static_assert(sizeof init == sizeof symbol);
    std::memcpy(&init, &symbol, sizeof init); // POSIX guarantees data/function pointer equivalence
    return initialise(std::move(core), init);
}

Result<PluginLibrary>
PluginLibrary::from_init(FerryPluginInitFunc init, std::string label, PluginLoadOptions options) {
    auto core = std::make_shared<LibraryCore>();
    core->label = std::move(label);
    core->log = std::move(options.log);
    return initialise(std::move(core), init);
}

Result<PluginLibrary> PluginLibrary::initialise(std::shared_ptr<detail::LibraryCore> core,
                                                FerryPluginInitFunc init) {
    core->host.struct_size = sizeof(FerryHostApi);
    core->host.host_ctx = core.get();
    core->host.log = &host_log;

    std::uint32_t plugin_speaks = 0;
    std::string refusal;
    for (const std::uint32_t version : kSupportedVersions) {
        core->host.abi_version = version;
        core->api = FerryPluginApi{};
        FerryError error{};
        const FerryStatus code = init(version, &core->host, &core->api, &error);
        if (code == FERRY_OK) {
            release_error(&error);
            if (core->api.abi_version != version) {
                return Status::internal("plugin " + core->label + " was asked for ABI " +
                                        abi_version_string(version) + " but filled " +
                                        abi_version_string(core->api.abi_version));
            }
            FERRY_RETURN_IF_ERROR(check_contract(*core));
            core->name = core->api.name;
            core->version = core->api.version;
            core->description = core->api.description ? core->api.description : "";
            core->options_schema_text = core->api.options_schema;
            FERRY_ASSIGN_OR_RETURN(
                JsonSchema schema,
                JsonSchema::parse_text(core->options_schema_text,
                                       "plugin " + core->name + " options_schema"));
            core->options_schema = std::move(schema);
            return PluginLibrary(std::move(core));
        }
        if (core->api.release != nullptr) {
            core->api.release(&core->api); // a plugin that refused should not have filled it
        }
        Status status = import_error(code, &error, "FerryPluginInit");
        if (status.code() != StatusCode::NotImplemented) {
            return Status(status.code(),
                          "plugin " + core->label + " failed to initialise: " + status.message());
        }
        plugin_speaks = std::max(plugin_speaks, core->api.abi_version);
        refusal = status.message();
    }
    std::string hosts;
    for (const std::uint32_t version : kSupportedVersions) {
        hosts += (hosts.empty() ? "" : ", ") + abi_version_string(version);
    }
    std::string message = "plugin " + core->label;
    message += plugin_speaks != 0
                   ? " requires Ferry plugin ABI " + abi_version_string(plugin_speaks)
                   : " supports no Ferry plugin ABI version this host speaks";
    message += "; this host supports " + hosts;
    if (!refusal.empty()) {
        message += " (plugin said: " + refusal + ")";
    }
    return Status::not_implemented(std::move(message));
}

const std::string& PluginLibrary::name() const noexcept {
    return core_->name;
}

const std::string& PluginLibrary::version() const noexcept {
    return core_->version;
}

const std::string& PluginLibrary::description() const noexcept {
    return core_->description;
}

const std::string& PluginLibrary::options_schema() const noexcept {
    return core_->options_schema_text;
}

std::uint32_t PluginLibrary::abi_version() const noexcept {
    return core_->api.abi_version;
}

Result<SourceHandle> PluginLibrary::create_source(const nlohmann::json& options) const {
    FERRY_RETURN_IF_ERROR(core_->options_schema->validate(options, "options"));
    auto source = std::make_shared<detail::SourceCore>();
    source->library = core_;
    FerryError error{};
    const std::string text = options.dump();
    const FerryStatus code =
        core_->api.source_create(&core_->api, text.c_str(), &source->source, &error);
    FERRY_RETURN_IF_ERROR(import_error(code, &error, "source_create")
                              .with_context("plugin " + core_->name + ": creating a source"));
    return SourceHandle(std::move(source));
}

Result<nlohmann::json> SourceHandle::discover() const {
    static const Result<JsonSchema> kSchema =
        JsonSchema::parse_text(detail::kDiscoverySchemaText, "schemas/discovery.schema.json");
    FERRY_RETURN_IF_ERROR(kSchema.status());
    const detail::LibraryCore& library = *core_->library;
    FerryText text{};
    FerryError error{};
    const FerryStatus code = library.api.discover(core_->source, &text, &error);
    FERRY_RETURN_IF_ERROR(import_error(code, &error, "discover")
                              .with_context("plugin " + library.name + ": discover"));
    const std::string json_text(text.data ? text.data : "", text.data ? text.size : 0);
    if (text.release != nullptr) {
        text.release(&text);
    }
    FERRY_ASSIGN_OR_RETURN(nlohmann::json catalog,
                           parse_json(json_text, "plugin " + library.name + " discovery"));
    FERRY_RETURN_IF_ERROR(kSchema->validate(catalog, "plugin " + library.name + " discovery"));
    return catalog;
}

Result<BatchReader> SourceHandle::open_stream(std::string_view dataset,
                                              const nlohmann::json& request) const {
    const detail::LibraryCore& library = *core_->library;
    auto stream = std::make_shared<detail::StreamCore>();
    stream->source = core_;
    stream->dataset = dataset;
    const std::string request_text = request.is_null() ? std::string() : request.dump();
    const std::string context = "plugin " + library.name + ": dataset \"" + stream->dataset + "\"";
    FerryError error{};
    const FerryStatus code = library.api.open_stream(
        core_->source, stream->dataset.c_str(), request.is_null() ? nullptr : request_text.c_str(),
        &stream->stream, &error);
    FERRY_RETURN_IF_ERROR(import_error(code, &error, "open_stream").with_context(context));
    const FerryStream& raw = stream->stream;
    if (raw.release == nullptr || raw.get_schema == nullptr || raw.get_next == nullptr ||
        raw.cancel == nullptr ||
        (library.api.abi_version >= FERRY_ABI_VERSION_1_1 && raw.get_report == nullptr)) {
        return Status::internal(context + ": open_stream returned an incomplete stream");
    }
    if (library.api.abi_version < FERRY_ABI_VERSION_1_1) {
        stream->stream.get_report = nullptr; // beyond a 1.0 plugin's struct: never trust it
    }
    ArrowSchema arrow{};
    error = FerryError{};
    const FerryStatus schema_code = raw.get_schema(&stream->stream, &arrow, &error);
    FERRY_RETURN_IF_ERROR(import_error(schema_code, &error, "get_schema").with_context(context));
    Result<Schema> schema = Schema::import_from(arrow);
    if (arrow.release != nullptr) {
        arrow.release(&arrow);
    }
    FERRY_RETURN_IF_ERROR(schema.status());
    stream->schema = std::make_shared<const Schema>(std::move(schema).value());
    return BatchReader(std::move(stream));
}

Result<std::vector<Partition>> SourceHandle::list_partitions(std::string_view dataset,
                                                             const nlohmann::json& request) const {
    const detail::LibraryCore& library = *core_->library;
    if (library.api.abi_version < FERRY_ABI_VERSION_1_1) {
        return std::vector<Partition>{{"all", nlohmann::json::object(), "the whole dataset"}};
    }
    const std::string dataset_name(dataset);
    const std::string request_text = request.is_null() ? std::string() : request.dump();
    const std::string context = "plugin " + library.name + ": dataset \"" + dataset_name + "\"";
    FerryText text{};
    FerryError error{};
    const FerryStatus code = library.api.list_partitions(
        core_->source, dataset_name.c_str(), request.is_null() ? nullptr : request_text.c_str(),
        &text, &error);
    FERRY_RETURN_IF_ERROR(import_error(code, &error, "list_partitions").with_context(context));
    const std::string json_text(text.data ? text.data : "", text.data ? text.size : 0);
    if (text.release != nullptr) {
        text.release(&text);
    }
    FERRY_ASSIGN_OR_RETURN(nlohmann::json doc, parse_json(json_text, context + " partitions"));
    const auto malformed = [&](const std::string& why) {
        return Status::internal(context + ": list_partitions returned " + why);
    };
    if (!doc.is_object() || !doc.contains("partitions") || !doc["partitions"].is_array() ||
        doc["partitions"].empty()) {
        return malformed("no \"partitions\" array with at least one piece");
    }
    std::vector<Partition> pieces;
    for (const nlohmann::json& piece : doc["partitions"]) {
        if (!piece.is_object() || !piece.contains("id") || !piece["id"].is_string() ||
            !piece.value("request", nlohmann::json::object()).is_object()) {
            return malformed("a piece without a string \"id\" and an object \"request\"");
        }
        pieces.push_back({piece["id"].get<std::string>(),
                          piece.value("request", nlohmann::json::object()),
                          piece.value("description", std::string())});
    }
    return pieces;
}

nlohmann::json merge_request(const nlohmann::json& request, const nlohmann::json& piece) {
    nlohmann::json merged = request.is_object() ? request : nlohmann::json::object();
    merged.merge_patch(piece);
    return merged;
}

} // namespace ferry

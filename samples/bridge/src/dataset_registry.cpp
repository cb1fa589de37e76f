// SPDX-License-Identifier: Apache-2.0
// dataset_registry.cpp — plugins, sources and mappings, compiled into dataset snapshots.
#include "dataset_registry.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ferry/diagnostic.h"
#include "ferry/json_schema.h"

#include "state_secrets.h"

namespace ferry::bridge {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t idx = 0; idx < a.size(); ++idx) {
        const auto lower = [](char ch) {
            return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
        };
        if (lower(a[idx]) != lower(b[idx])) {
            return false;
        }
    }
    return true;
}

const nlohmann::json* discovered_dataset(const nlohmann::json& discovery, const std::string& name) {
    const auto datasets = discovery.find("datasets");
    if (datasets == discovery.end() || !datasets->is_array()) {
        return nullptr;
    }
    for (const auto& candidate : *datasets) {
        if (candidate.value("name", std::string()) == name) {
            return &candidate;
        }
    }
    return nullptr;
}

Result<Schema> discovered_schema(const nlohmann::json& dataset) {
    std::vector<Field> fields;
    for (const auto& field : dataset["fields"]) {
        FERRY_ASSIGN_OR_RETURN(DataType type, DataType::parse(field["type"].get<std::string>()));
        fields.push_back({field["name"].get<std::string>(), type, field.value("nullable", true)});
    }
    return Schema(std::move(fields));
}

// The source field a catalog key is read from when the chain keeps the value as it is (no
// steps, or only "trim"): then a lookup by the catalog key is a lookup by that source field.
std::string key_source_field(const nlohmann::json& document, const std::string& key_field) {
    const nlohmann::json fields = document.value("fields", nlohmann::json::object());
    if (!fields.contains(key_field) || !fields[key_field].contains("from") ||
        !fields[key_field]["from"].is_string()) {
        return {};
    }
    for (const auto& step : fields[key_field].value("transforms", nlohmann::json::array())) {
        const bool trim =
            (step.is_string() && step == "trim") ||
            (step.is_object() && step.value("op", std::string()) == "trim" && step.size() == 1);
        if (!trim) {
            return {};
        }
    }
    return fields[key_field]["from"].get<std::string>();
}

// The keys the bridge keeps for a mapping: each secret read from an environment variable that
// is unset or empty gets the bridge's own key in its state directory, created once and kept, so
// keyed pseudonyms are the same in every run and every export. Secrets the environment or a
// file provides are the mapping loader's to read.
Result<std::map<std::string, std::string>> kept_secrets(const nlohmann::json& mapping_document,
                                                        const std::filesystem::path& secrets_dir) {
    std::map<std::string, std::string> kept;
    const nlohmann::json spec = mapping_document.value("secrets", nlohmann::json::object());
    for (const auto& [name, where] : spec.items()) {
        if (!where.is_object() || !where.contains("env") || !where["env"].is_string()) {
            continue;
        }
        const char* env = std::getenv(where["env"].get<std::string>().c_str());
        if (env == nullptr || *env == '\0') {
            FERRY_ASSIGN_OR_RETURN(kept[name], load_or_create_secret(secrets_dir, name));
        }
    }
    return kept;
}

// A mapping's secrets as its transforms use them (the field policy's masking needs the same
// keys): the environment variable or file the mapping names, else the bridge's kept key.
std::map<std::string, std::string> read_secrets(const Mapping& mapping,
                                                const std::map<std::string, std::string>& kept) {
    std::map<std::string, std::string> secrets;
    const nlohmann::json spec = mapping.document().value("secrets", nlohmann::json::object());
    const std::filesystem::path base = std::filesystem::path(mapping.file()).parent_path();
    for (const auto& [name, where] : spec.items()) {
        std::string value;
        if (where.contains("env")) {
            if (const char* env = std::getenv(where["env"].get<std::string>().c_str())) {
                value = env;
            }
        } else if (where.contains("file")) {
            std::ifstream in(base / where["file"].get<std::string>());
            std::ostringstream text;
            text << in.rdbuf();
            value = text.str();
            while (!value.empty() && (value.back() == '\n' || value.back() == ' ' ||
                                      value.back() == '\r' || value.back() == '\t')) {
                value.pop_back();
            }
        }
        if (const auto found = kept.find(name); value.empty() && found != kept.end()) {
            value = found->second;
        }
        secrets.emplace(name, std::move(value));
    }
    return secrets;
}

} // namespace

const nlohmann::json& Dataset::metadata() const {
    static const nlohmann::json kNull;
    const nlohmann::json& document = mapping.document();
    const auto found = document.find("dataset");
    return found == document.end() ? kNull : *found;
}

Result<std::unique_ptr<DatasetRegistry>> DatasetRegistry::open(const BridgeConfig& config) {
    std::unique_ptr<DatasetRegistry> registry(new DatasetRegistry());
    registry->config_ = config;
    if (!config.catalog_dir.empty()) {
        FERRY_ASSIGN_OR_RETURN(Catalog catalog, Catalog::load(config.catalog_dir));
        registry->catalog_ = std::make_shared<const Catalog>(std::move(catalog));
    }
    for (const SourceConfig& source_config : config.sources) {
        const std::string label = "source \"" + source_config.id + "\"";
        PluginLoadOptions load_options;
        load_options.log = [id = source_config.id](std::int32_t level, std::string_view message) {
            if (level <= FERRY_LOG_WARN) {
                std::cerr << "ferry-bridge: source " << id << ": " << message << '\n';
            }
        };
        Result<PluginLibrary> plugin =
            PluginLibrary::load(source_config.plugin.string(), std::move(load_options));
        if (!plugin.ok()) {
            return std::move(plugin).status().with_context(label + ": loading plugin");
        }
        Result<SourceHandle> handle = plugin->create_source(source_config.options);
        if (!handle.ok()) {
            return std::move(handle).status().with_context(label + ": creating source");
        }
        Result<nlohmann::json> discovery = handle->discover();
        if (!discovery.ok()) {
            return std::move(discovery).status().with_context(label + ": discovery");
        }
        auto loaded = std::make_shared<LoadedSource>(LoadedSource{
            source_config, std::move(*plugin), std::move(*handle), std::move(*discovery)});
        registry->sources_.emplace(source_config.id, std::move(loaded));
    }
    for (const DatasetConfig& dataset_config : config.datasets) {
        FERRY_ASSIGN_OR_RETURN(auto dataset, registry->compile(dataset_config, 1));
        registry->datasets_.push_back(std::move(dataset));
    }
    return registry;
}

Result<std::shared_ptr<const Dataset>> DatasetRegistry::compile(const DatasetConfig& config,
                                                                std::uint64_t generation) const {
    const std::string label = "dataset \"" + config.id + "\"";
    const std::shared_ptr<const LoadedSource>& source = sources_.at(config.source);
    std::ifstream in(config.mapping);
    std::ostringstream text;
    text << in.rdbuf();
    FERRY_ASSIGN_OR_RETURN(nlohmann::json document,
                           parse_json(text.str(), config.mapping.string()));
    const std::string source_dataset =
        document.value("source", nlohmann::json::object()).value("dataset", std::string());
    const nlohmann::json* discovered = discovered_dataset(source->discovery, source_dataset);
    if (discovered == nullptr) {
        return Status::not_found(label + ": source \"" + config.source + "\" has no dataset \"" +
                                 source_dataset + "\" (mapping " + config.mapping.string() + ")");
    }
    MappingLoadOptions options;
    options.catalog = catalog_;
    FERRY_ASSIGN_OR_RETURN(options.discovered_source, discovered_schema(*discovered));
    FERRY_ASSIGN_OR_RETURN(options.host_secrets,
                           kept_secrets(document, config_.state_dir / "secrets"));
    std::vector<Diagnostic> findings;
    Result<Mapping> mapping = Mapping::load(config.mapping, options, findings);
    if (!mapping.ok()) {
        std::string details;
        for (const Diagnostic& finding : findings) {
            if (finding.severity == Severity::Error) {
                details += "\n  " + finding.to_string();
            }
        }
        return std::move(mapping).status().with_context(label + ": mapping" + details + "\n");
    }
    auto dataset = std::make_shared<Dataset>(Dataset{
        config.id, source, source_dataset, std::move(*mapping), generation, {}, {}, false, {}});
    const CatalogEntity& entity = dataset->mapping.entity();
    const nlohmann::json capabilities = discovered->value("capabilities", nlohmann::json::object());
    dataset->resumable = capabilities.value("resume", false);
    if (entity.key.size() == 1 && capabilities.value("lookup", false)) {
        const std::string from = key_source_field(dataset->mapping.document(), entity.key[0]);
        for (const auto& key : discovered->value("key", nlohmann::json::array())) {
            if (!from.empty() && discovered->value("key", nlohmann::json::array()).size() == 1 &&
                iequals(key.get<std::string>(), from)) {
                dataset->key_field = entity.key[0];
                dataset->lookup_source_field = key.get<std::string>();
            }
        }
    }
    dataset->secrets = read_secrets(dataset->mapping, options.host_secrets);
    return std::shared_ptr<const Dataset>(std::move(dataset));
}

std::shared_ptr<const Dataset> DatasetRegistry::find(std::string_view id) const {
    std::lock_guard lock(mutex_);
    for (const auto& dataset : datasets_) {
        if (dataset->id == id) {
            return dataset;
        }
    }
    return nullptr;
}

std::vector<std::shared_ptr<const Dataset>> DatasetRegistry::all() const {
    std::lock_guard lock(mutex_);
    return datasets_;
}

Status DatasetRegistry::reload() {
    std::vector<std::shared_ptr<const Dataset>> fresh;
    for (const DatasetConfig& dataset_config : config_.datasets) {
        std::uint64_t generation = 1;
        if (auto current = find(dataset_config.id)) {
            generation = current->generation + 1;
        }
        FERRY_ASSIGN_OR_RETURN(auto dataset, compile(dataset_config, generation));
        fresh.push_back(std::move(dataset));
    }
    std::lock_guard lock(mutex_);
    datasets_ = std::move(fresh);
    return {};
}

} // namespace ferry::bridge

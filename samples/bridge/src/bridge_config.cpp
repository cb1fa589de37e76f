// SPDX-License-Identifier: Apache-2.0
// bridge_config.cpp — reads the bridge config: JSON Schema first (every shape error with its
// pointer), then what a schema cannot say (unique ids, references, plugin files that exist).
#include "bridge_config.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "ferry/json_schema.h"

namespace ferry::bridge {

namespace {

constexpr const char* kConfigSchema = R"({
  "type": "object",
  "additionalProperties": false,
  "required": ["sources", "datasets", "consumers_file"],
  "properties": {
    "$comment": {"type": "string"},
    "listen": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "address": {"type": "string", "minLength": 1},
        "port": {"type": "integer", "minimum": 0, "maximum": 65535},
        "max_threads": {"type": "integer", "minimum": 1, "maximum": 1024},
        "max_queued": {"type": "integer", "minimum": 1, "maximum": 65536},
        "keep_alive_seconds": {"type": "integer", "minimum": 0, "maximum": 3600},
        "timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 3600}
      }
    },
    "base_url": {"type": "string", "pattern": "^https?://"},
    "catalog": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "dir": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "publisher": {"type": "object"}
      }
    },
    "state_dir": {"type": "string", "minLength": 1},
    "audit_file": {"type": "string", "minLength": 1},
    "audit_rotation": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "max_bytes": {"type": "integer", "minimum": 0},
        "daily": {"type": "boolean"}
      }
    },
    "consumers_file": {"type": "string", "minLength": 1},
    "cursor_key_file": {"type": "string", "minLength": 1},
    "plugin_path": {"type": "array", "items": {"type": "string"}},
    "sources": {
      "type": "object",
      "minProperties": 1,
      "additionalProperties": {
        "type": "object", "additionalProperties": false, "required": ["plugin"],
        "properties": {
          "plugin": {"type": "string", "minLength": 1},
          "options": {"type": "object"}
        }
      }
    },
    "datasets": {
      "type": "array", "minItems": 1,
      "items": {
        "type": "object", "additionalProperties": false, "required": ["id", "source", "mapping"],
        "properties": {
          "id": {"type": "string"},
          "source": {"type": "string"},
          "mapping": {"type": "string", "minLength": 1}
        }
      }
    },
    "limits": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "max_limit": {"type": "integer", "minimum": 1},
        "batch_rows": {"type": "integer", "minimum": 1, "maximum": 1000000},
        "mapping_threads": {"type": "integer", "minimum": 1, "maximum": 64},
        "drain_seconds": {"type": "integer", "minimum": 0, "maximum": 3600},
        "quarantine_per_dataset": {"type": "integer", "minimum": 0, "maximum": 1000000}
      }
    },
    "reliability": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": 20},
        "initial_backoff_ms": {"type": "integer", "minimum": 0},
        "max_backoff_ms": {"type": "integer", "minimum": 0},
        "breaker_failures": {"type": "integer", "minimum": 1},
        "breaker_cool_down_seconds": {"type": "integer", "minimum": 0}
      }
    }
  }
})";

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& path) {
    const std::filesystem::path candidate(path);
    return candidate.is_absolute() ? candidate : (base / candidate).lexically_normal();
}

void substitute_config_dir(nlohmann::json& value, const std::string& dir) {
    if (value.is_string()) {
        std::string text = value.get<std::string>();
        static const std::string kToken = "${config_dir}";
        for (std::size_t pos = text.find(kToken); pos != std::string::npos;
             pos = text.find(kToken, pos + dir.size())) {
            text.replace(pos, kToken.size(), dir);
        }
        value = text;
    } else if (value.is_structured()) {
        for (auto& item : value) {
            substitute_config_dir(item, dir);
        }
    }
}

std::vector<std::filesystem::path> env_plugin_path() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("FERRY_PLUGIN_PATH")) {
        std::stringstream parts(env);
        for (std::string part; std::getline(parts, part, ':');) {
            if (!part.empty()) {
                dirs.emplace_back(part);
            }
        }
    }
    return dirs;
}

Result<std::filesystem::path> find_plugin(const std::string& plugin,
                                          const std::filesystem::path& base,
                                          const BridgeConfig& config,
                                          const PluginSearch& search,
                                          const std::string& pointer) {
    if (plugin.find('/') != std::string::npos) {
        std::filesystem::path path = resolve(base, plugin);
        if (!std::filesystem::is_regular_file(path)) {
            return Status::invalid_argument(pointer + ": plugin file not found: " + path.string());
        }
        return path;
    }
    if (!valid_id(plugin)) {
        return Status::invalid_argument(pointer + ": \"" + plugin +
                                        "\" is neither a plugin name nor a path");
    }
    std::vector<std::filesystem::path> dirs = config.plugin_path;
    for (auto& dir : env_plugin_path()) {
        dirs.push_back(std::move(dir));
    }
    dirs.insert(dirs.end(), search.builtin_dirs.begin(), search.builtin_dirs.end());
    const std::string file_name = "ferry_adapter_" + plugin + ".so";
    for (const auto& dir : dirs) {
        if (std::filesystem::is_regular_file(dir / file_name)) {
            return (dir / file_name).lexically_normal();
        }
    }
    return Status::invalid_argument(pointer + ": plugin \"" + plugin + "\" (" + file_name +
                                    ") not found in plugin_path, $FERRY_PLUGIN_PATH or the "
                                    "build tree");
}

} // namespace

bool valid_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > 64 || id[0] < 'a' || id[0] > 'z') {
        return false;
    }
    for (const char ch : id) {
        const bool ok =
            (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

Result<BridgeConfig>
parse_config(std::string_view text, const std::filesystem::path& file, const PluginSearch& search) {
    const std::string origin = file.string();
    FERRY_ASSIGN_OR_RETURN(nlohmann::json doc, parse_json(text, origin));
    static const Result<JsonSchema> schema = JsonSchema::parse_text(kConfigSchema, "bridge config");
    if (!schema.ok()) {
        return schema.status();
    }
    FERRY_RETURN_IF_ERROR(schema->validate(doc, origin));

    BridgeConfig config;
    config.file = std::filesystem::absolute(file).lexically_normal();
    const std::filesystem::path base = config.file.parent_path();

    const nlohmann::json listen = doc.value("listen", nlohmann::json::object());
    config.listen.address = listen.value("address", config.listen.address);
    config.listen.port = listen.value("port", config.listen.port);
    config.listen.max_threads = listen.value("max_threads", config.listen.max_threads);
    config.listen.max_queued = listen.value("max_queued", config.listen.max_queued);
    config.listen.keep_alive_seconds =
        listen.value("keep_alive_seconds", config.listen.keep_alive_seconds);
    config.listen.timeout_seconds = listen.value("timeout_seconds", config.listen.timeout_seconds);
    config.base_url = doc.value("base_url", std::string());

    const nlohmann::json catalog = doc.value("catalog", nlohmann::json::object());
    config.catalog_dir = catalog.contains("dir") ? resolve(base, catalog["dir"].get<std::string>())
                                                 : std::filesystem::path();
    config.catalog_title = catalog.value("title", config.catalog_title);
    config.catalog_description = catalog.value("description", config.catalog_description);
    config.publisher = catalog.value("publisher", config.publisher);

    config.state_dir = resolve(base, doc.value("state_dir", std::string("state")));
    config.audit_file = doc.contains("audit_file")
                            ? resolve(base, doc["audit_file"].get<std::string>())
                            : config.state_dir / "audit.jsonl";
    const nlohmann::json rotation = doc.value("audit_rotation", nlohmann::json::object());
    config.audit_rotation.max_bytes = rotation.value("max_bytes", config.audit_rotation.max_bytes);
    config.audit_rotation.daily = rotation.value("daily", config.audit_rotation.daily);
    config.cursor_key_file = doc.contains("cursor_key_file")
                                 ? resolve(base, doc["cursor_key_file"].get<std::string>())
                                 : config.state_dir / "cursor.key";
    config.consumers_file = resolve(base, doc["consumers_file"].get<std::string>());
    for (const auto& dir : doc.value("plugin_path", nlohmann::json::array())) {
        config.plugin_path.push_back(resolve(base, dir.get<std::string>()));
    }

    for (const auto& [id, spec] : doc["sources"].items()) {
        const std::string pointer = "/sources/" + id;
        if (!valid_id(id)) {
            return Status::invalid_argument(origin + ": " + pointer +
                                            ": source ids are lower-case letters, digits, _ and -");
        }
        SourceConfig source;
        source.id = id;
        FERRY_ASSIGN_OR_RETURN(source.plugin,
                               find_plugin(spec["plugin"].get<std::string>(), base, config, search,
                                           origin + ": " + pointer + "/plugin"));
        source.options = spec.value("options", nlohmann::json::object());
        substitute_config_dir(source.options, base.string());
        config.sources.push_back(std::move(source));
    }

    std::set<std::string> dataset_ids;
    for (std::size_t idx = 0; idx < doc["datasets"].size(); ++idx) {
        const nlohmann::json& spec = doc["datasets"][idx];
        const std::string pointer = origin + ": /datasets/" + std::to_string(idx);
        DatasetConfig dataset;
        dataset.id = spec["id"].get<std::string>();
        dataset.source = spec["source"].get<std::string>();
        dataset.mapping = resolve(base, spec["mapping"].get<std::string>());
        if (!valid_id(dataset.id)) {
            return Status::invalid_argument(pointer + "/id: \"" + dataset.id +
                                            "\": dataset ids are ^[a-z][a-z0-9_-]{0,63}$");
        }
        if (!dataset_ids.insert(dataset.id).second) {
            return Status::invalid_argument(pointer + "/id: dataset \"" + dataset.id +
                                            "\" is declared twice");
        }
        if (!doc["sources"].contains(dataset.source)) {
            return Status::invalid_argument(pointer + "/source: no source \"" + dataset.source +
                                            "\" under /sources");
        }
        if (!std::filesystem::is_regular_file(dataset.mapping)) {
            return Status::invalid_argument(
                pointer + "/mapping: file not found: " + dataset.mapping.string());
        }
        config.datasets.push_back(std::move(dataset));
    }

    const nlohmann::json limits = doc.value("limits", nlohmann::json::object());
    config.limits.max_limit = limits.value("max_limit", config.limits.max_limit);
    config.limits.batch_rows = limits.value("batch_rows", config.limits.batch_rows);
    config.limits.mapping_threads = limits.value("mapping_threads", config.limits.mapping_threads);
    config.limits.drain_seconds = limits.value("drain_seconds", config.limits.drain_seconds);
    config.limits.quarantine_per_dataset =
        limits.value("quarantine_per_dataset", config.limits.quarantine_per_dataset);

    const nlohmann::json reliability = doc.value("reliability", nlohmann::json::object());
    ReliabilityConfig& rel = config.reliability;
    rel.max_attempts = reliability.value("max_attempts", rel.max_attempts);
    rel.initial_backoff_ms = reliability.value("initial_backoff_ms", rel.initial_backoff_ms);
    rel.max_backoff_ms = reliability.value("max_backoff_ms", rel.max_backoff_ms);
    rel.breaker_failures = reliability.value("breaker_failures", rel.breaker_failures);
    rel.breaker_cool_down_seconds =
        reliability.value("breaker_cool_down_seconds", rel.breaker_cool_down_seconds);
    return config;
}

Result<BridgeConfig> load_config(const std::filesystem::path& file, const PluginSearch& search) {
    std::ifstream in(file);
    if (!in) {
        return Status::not_found("config file not found: " + file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), file, search);
}

} // namespace ferry::bridge

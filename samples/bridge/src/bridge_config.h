// SPDX-License-Identifier: Apache-2.0
// bridge_config.h — the daemon's JSON config: where to listen, which plugins and mapping files
// make which datasets, where consumers, audit log and state live, and the limits. Loading checks
// the file completely (schema, then cross-references) before anything starts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

#include "audit_log.h"

namespace ferry::bridge {

struct ListenConfig {
    std::string address = "127.0.0.1";
    int port = 8080; ///< 0: an ephemeral port (tests)
    int max_threads = 16;
    int max_queued = 64;
    int keep_alive_seconds = 10;
    int timeout_seconds = 60;
};

struct SourceConfig {
    std::string id;
    std::filesystem::path plugin; ///< resolved to an existing file
    nlohmann::json options;       ///< passed to the plugin (validated by its options schema)
};

struct DatasetConfig {
    std::string id; ///< the id in URLs: ^[a-z][a-z0-9_-]{0,63}$
    std::string source;
    std::filesystem::path mapping;
};

struct LimitsConfig {
    std::int64_t max_limit = 1'000'000'000; ///< largest ?limit= accepted
    std::int64_t batch_rows = 4096;         ///< records per source batch
    int mapping_threads = 1;                ///< MappedReader workers per stream
    int drain_seconds = 30;                 ///< graceful shutdown waits this long for streams
    std::int64_t quarantine_per_dataset = 1000;
};

struct ReliabilityConfig {
    int max_attempts = 3; ///< opening a source stream, including the first try
    int initial_backoff_ms = 100;
    int max_backoff_ms = 2000;
    int breaker_failures = 5;
    int breaker_cool_down_seconds = 30;
};

struct BridgeConfig {
    std::filesystem::path file;
    ListenConfig listen;
    std::string base_url; ///< for DCAT links; default http://<address>:<port>
    std::filesystem::path catalog_dir;
    std::string catalog_title = "Ferry bridge catalog";
    std::string catalog_description = "Datasets of legacy systems served by a Ferry bridge";
    nlohmann::json publisher = nlohmann::json::object();
    std::filesystem::path state_dir;       ///< audit log, cursor key, port file
    std::filesystem::path audit_file;      ///< default <state_dir>/audit.jsonl
    AuditRotation audit_rotation;          ///< when the audit log starts a new segment
    std::filesystem::path consumers_file;  ///< consumers and their grants
    std::filesystem::path cursor_key_file; ///< default <state_dir>/cursor.key (created 0600)
    std::vector<std::filesystem::path> plugin_path;
    std::vector<SourceConfig> sources;
    std::vector<DatasetConfig> datasets;
    LimitsConfig limits;
    ReliabilityConfig reliability;
};

/// Where plugins are looked for when a source names one ("odbc" → ferry_adapter_odbc.so):
/// the config's plugin_path, then $FERRY_PLUGIN_PATH (colon-separated), then `builtin_dirs`.
struct PluginSearch {
    std::vector<std::filesystem::path> builtin_dirs;
};

/// Parses and checks `text` (JSON; // comments allowed) as the config at `file`. Relative paths
/// are resolved against the file's folder; "${config_dir}" in source option strings is replaced
/// by it. InvalidArgument naming the JSON pointer and the problem for anything wrong.
Result<BridgeConfig>
parse_config(std::string_view text, const std::filesystem::path& file, const PluginSearch& search);

Result<BridgeConfig> load_config(const std::filesystem::path& file, const PluginSearch& search);

/// True for ids usable in URLs (datasets, sources, consumers).
bool valid_id(std::string_view id) noexcept;

} // namespace ferry::bridge

// SPDX-License-Identifier: Apache-2.0
// source_config.cpp — options to SourceConfig; secrets come from the environment or a file.
#include "source_config.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ferry::odbc {

const char kOptionsSchema[] = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "connection": {"type": "string", "minLength": 1,
      "description": "ODBC connection string without secrets, e.g. Driver=SQLite3;Database=estate.db;StepAPI=1"},
    "dsn": {"type": "string", "minLength": 1, "description": "A data source name from odbc.ini"},
    "user": {"type": "string"},
    "password": {"type": "object", "additionalProperties": false,
      "properties": {"env": {"type": "string", "minLength": 1}, "file": {"type": "string", "minLength": 1}}},
    "login_timeout_s": {"type": "integer", "minimum": 0, "maximum": 3600, "default": 15},
    "connection_timeout_s": {"type": "integer", "minimum": 0, "maximum": 3600, "default": 15},
    "query_timeout_s": {"type": "integer", "minimum": 0, "maximum": 86400, "default": 0},
    "text_encoding": {"type": "string", "default": "UTF-16",
      "description": "UTF-16: text through SQL_C_WCHAR; a code page (GBK, GB18030, BIG5, UTF-8): SQL_C_CHAR bytes decoded from it"},
    "schema": {"type": "string"},
    "tables": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "queries": {"type": "array", "items": {"type": "object", "additionalProperties": false,
      "required": ["name", "sql"],
      "properties": {"name": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_.$#-]{0,127}$"},
                     "sql": {"type": "string", "minLength": 1}}}},
    "incremental": {"type": "object", "additionalProperties": {"type": "object",
      "additionalProperties": false, "required": ["cursor"],
      "properties": {
        "cursor": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "tie_breaker": {"type": "array", "items": {"type": "string"}},
        "lag_seconds": {"type": "integer", "minimum": 0, "default": 0},
        "overlap_seconds": {"type": "integer", "minimum": 0, "default": 0},
        "cursor_format": {"type": "string", "enum": ["yyyyMMddHHmmss", "yyyyMMdd"],
          "description": "the cursor is a text or number column holding local times in this form; lag and overlap are computed in it"}}}},
    "parallel": {"type": "object", "description": "dataset -> key-range partitions: streams with params.partition = 0..n-1 each read one range on their own connection",
      "additionalProperties": {"type": "object", "additionalProperties": false,
      "properties": {
        "key": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1},
          "description": "the split key (default: the primary key)"},
        "partitions": {"type": "integer", "minimum": 1, "maximum": 1024,
          "description": "number of ranges, boundaries found with NTILE over the key"},
        "boundaries": {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1,
          "items": {"type": ["string", "number"]}},
          "description": "explicit ascending boundaries (n boundaries: n + 1 ranges)"}},
      "oneOf": [{"required": ["partitions"]}, {"required": ["boundaries"]}]}},
    "snapshot": {"type": "object", "description": "dataset -> snapshot diff by row hash (params.snapshot = true)",
      "additionalProperties": {"type": "object", "additionalProperties": false,
      "properties": {
        "key": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1},
          "description": "the row identity (default: the primary key)"}}}},
    "page_rows": {"type": "integer", "minimum": 0, "maximum": 100000000, "default": 0,
      "description": "keyset paging of keyed table reads: WHERE key > ? ORDER BY key with this row limit per statement (0: one statement)"},
    "count_rows": {"type": "boolean", "default": true,
      "description": "table reads on SQLite, PostgreSQL and MariaDB/MySQL run in one snapshot transaction and declare a SELECT COUNT(*) of the same rows, so the read ends reconciled or unreconciled"},
    "rowset_bytes": {"type": "integer", "minimum": 4096, "maximum": 268435456, "default": 4194304},
    "lookup_pool_size": {"type": "integer", "minimum": 1, "maximum": 64, "default": 4},
    "retry": {"type": "object", "additionalProperties": false, "properties": {
      "max_attempts": {"type": "integer", "minimum": 1, "maximum": 20, "default": 4},
      "initial_ms": {"type": "integer", "minimum": 0, "maximum": 60000, "default": 200},
      "max_ms": {"type": "integer", "minimum": 0, "maximum": 600000, "default": 5000}}}
  },
  "anyOf": [{"required": ["connection"]}, {"required": ["dsn"]}]
})json";

namespace {

// A connection-string value; in braces (with '}' doubled) only when ';', '{', '}' or edge
// spaces would change its meaning: some drivers (psqlODBC for UID) take braces literally.
std::string braced(const std::string& value) {
    const bool plain = value.find_first_of(";{}") == std::string::npos &&
                       (value.empty() || (value.front() != ' ' && value.back() != ' '));
    if (plain) {
        return value;
    }
    std::string out = "{";
    for (const char ch : value) {
        out.push_back(ch);
        if (ch == '}') {
            out.push_back('}');
        }
    }
    return out + "}";
}

Result<std::string> read_password(const nlohmann::json& spec) {
    if (spec.contains("env")) {
        const std::string name = spec["env"].get<std::string>();
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) {
            return Status::invalid_argument("password: environment variable " + name +
                                            " is not set");
        }
        return std::string(value);
    }
    if (spec.contains("file")) {
        const std::string path = spec["file"].get<std::string>();
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            return Status::invalid_argument("password: cannot read file " + path);
        }
        std::ostringstream text;
        text << in.rdbuf();
        std::string value = text.str();
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) {
            value.pop_back();
        }
        return value;
    }
    return Status::invalid_argument("password needs \"env\" or \"file\"");
}

// The key of the connection-string attribute that carries a password, if `text` has one. Values
// in braces may hold ';' and are skipped whole.
std::optional<std::string> password_key(const std::string& text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t eq = text.find('=', pos);
        if (eq == std::string::npos) {
            return std::nullopt;
        }
        std::string key = text.substr(pos, eq - pos);
        key.erase(0, key.find_first_not_of(' '));
        key.erase(key.find_last_not_of(' ') + 1);
        std::string lower = key;
        for (char& ch : lower) {
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        if (lower == "pwd" || lower == "password") {
            return key;
        }
        std::size_t next = eq + 1;
        while (next < text.size() && text[next] == ' ') {
            ++next;
        }
        if (next < text.size() && text[next] == '{') {
            // "}}" inside braces is a literal '}'.
            for (++next; next < text.size(); ++next) {
                if (text[next] == '}') {
                    if (next + 1 < text.size() && text[next + 1] == '}') {
                        ++next;
                        continue;
                    }
                    break;
                }
            }
        }
        const std::size_t semi = text.find(';', next);
        if (semi == std::string::npos) {
            return std::nullopt;
        }
        pos = semi + 1;
    }
    return std::nullopt;
}

} // namespace

Result<SourceConfig> SourceConfig::parse(const nlohmann::json& options) {
    SourceConfig config;
    if (options.contains("connection")) {
        // The connection string is easy to log or commit; a password belongs elsewhere.
        if (const auto key = password_key(options["connection"].get<std::string>())) {
            return Status::invalid_argument(
                       "connection: the connection string holds a password (" + *key +
                       "=); remove it and pass it as \"password\": {\"env\": \"NAME\"} or "
                       "{\"file\": \"PATH\"}")
                .with_field("connection");
        }
    }
    if (options.contains("dsn")) {
        config.connection_string = "DSN=" + braced(options["dsn"].get<std::string>());
        if (options.contains("connection")) {
            config.connection_string += ";" + options["connection"].get<std::string>();
        }
    } else {
        config.connection_string = options.at("connection").get<std::string>();
    }
    if (options.contains("user")) {
        config.connection_string += ";UID=" + braced(options["user"].get<std::string>());
    }
    if (options.contains("password")) {
        FERRY_ASSIGN_OR_RETURN(std::string password, read_password(options["password"]));
        config.connection_string += ";PWD=" + braced(password);
    }
    config.timeouts.login_s = options.value("login_timeout_s", SQLULEN{15});
    config.timeouts.connection_s = options.value("connection_timeout_s", SQLULEN{15});
    config.timeouts.query_s = options.value("query_timeout_s", SQLULEN{0});
    const std::string encoding = options.value("text_encoding", std::string("UTF-16"));
    if (encoding != "UTF-16" && encoding != "utf-16") {
        config.text.code_page = encoding;
        FERRY_RETURN_IF_ERROR(CodePage::open(encoding).status().with_context("text_encoding"));
    }
    config.schema = options.value("schema", std::string());
    config.tables = options.value("tables", std::vector<std::string>());
    for (const auto& query : options.value("queries", nlohmann::json::array())) {
        config.queries.push_back(
            {query.at("name").get<std::string>(), query.at("sql").get<std::string>()});
    }
    // A named local: items() of a temporary would dangle.
    const nlohmann::json incremental = options.value("incremental", nlohmann::json::object());
    for (auto entry = incremental.begin(); entry != incremental.end(); ++entry) {
        const nlohmann::json& spec = entry.value();
        IncrementalSpec inc;
        inc.cursor = spec.at("cursor").get<std::vector<std::string>>();
        inc.tie_breaker = spec.value("tie_breaker", std::vector<std::string>());
        inc.lag_seconds = spec.value("lag_seconds", std::int64_t{0});
        inc.overlap_seconds = spec.value("overlap_seconds", std::int64_t{0});
        inc.cursor_format = spec.value("cursor_format", std::string());
        config.incremental[entry.key()] = std::move(inc);
    }
    const nlohmann::json parallel = options.value("parallel", nlohmann::json::object());
    for (auto entry = parallel.begin(); entry != parallel.end(); ++entry) {
        const nlohmann::json& spec = entry.value();
        ParallelSpec par;
        par.key = spec.value("key", std::vector<std::string>());
        par.partitions = spec.value("partitions", std::int64_t{0});
        for (const auto& boundary : spec.value("boundaries", nlohmann::json::array())) {
            nlohmann::json texts = nlohmann::json::array();
            for (const auto& value : boundary) {
                texts.push_back(value.is_string() ? value.get<std::string>() : value.dump());
            }
            par.boundaries.push_back(std::move(texts));
        }
        config.parallel[entry.key()] = std::move(par);
    }
    const nlohmann::json snapshot = options.value("snapshot", nlohmann::json::object());
    for (auto entry = snapshot.begin(); entry != snapshot.end(); ++entry) {
        config.snapshot[entry.key()].key = entry.value().value("key", std::vector<std::string>());
    }
    config.page_rows = options.value("page_rows", std::int64_t{0});
    config.count_rows = options.value("count_rows", true);
    config.rowset_bytes = options.value("rowset_bytes", std::size_t{4u << 20});
    config.lookup_pool_size = options.value("lookup_pool_size", std::size_t{4});
    const nlohmann::json retry = options.value("retry", nlohmann::json::object());
    config.retry.max_attempts = retry.value("max_attempts", 4);
    config.retry.initial = std::chrono::milliseconds(retry.value("initial_ms", 200));
    config.retry.max = std::chrono::milliseconds(retry.value("max_ms", 5000));
    return config;
}

} // namespace ferry::odbc

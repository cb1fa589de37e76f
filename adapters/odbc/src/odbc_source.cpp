// SPDX-License-Identifier: Apache-2.0
// odbc_source.cpp — the ODBC adapter: discovery, table and query streams, key lookups.
#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>

#include "ferry/plugin/define_plugin.h"
#include "ferry/plugin/source.h"
#include "ferry/retry.h"

#include "discovery.h"
#include "incremental.h"
#include "key_order.h"
#include "lookup_pool.h"
#include "partitions.h"
#include "select_stream.h"
#include "snapshot_diff.h"
#include "source_config.h"
#include "table_read.h"

namespace ferry::odbc {

namespace {

/// Rows per page of a parameterised SQLite table read (see open_stream).
constexpr std::int64_t kSqliteParameterPageRows = 20000;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<std::size_t> column_index(const std::vector<ColumnInfo>& columns,
                                        std::string_view name) {
    for (std::size_t idx = 0; idx < columns.size(); ++idx) {
        if (iequals(columns[idx].name, name)) {
            return idx;
        }
    }
    return std::nullopt;
}

std::vector<ColumnMapping> map_columns(const std::vector<ColumnInfo>& columns) {
    std::vector<ColumnMapping> out;
    out.reserve(columns.size());
    for (const ColumnInfo& col : columns) {
        out.push_back(map_column(col));
    }
    return out;
}

nlohmann::json describe_mapped(const std::vector<ColumnMapping>& columns) {
    nlohmann::json fields = nlohmann::json::array();
    for (const ColumnMapping& col : columns) {
        fields.push_back({{"name", col.field.name},
                          {"type", col.field.type.to_string()},
                          {"nullable", col.field.nullable},
                          {"source_type", col.source_type}});
    }
    return fields;
}

// Per-dataset settings are keyed by the name the options use, which may differ in case from the
// name the database reports (PostgreSQL folds to lower case).
template <typename Spec>
typename std::map<std::string, Spec>::const_iterator
find_spec(const std::map<std::string, Spec>& specs, const std::string& name) {
    const auto exact = specs.find(name);
    if (exact != specs.end()) {
        return exact;
    }
    return std::find_if(specs.begin(), specs.end(),
                        [&name](const auto& entry) { return iequals(entry.first, name); });
}

Result<std::string> key_value_text(const nlohmann::json& value, const std::string& field) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_number_integer() || value.is_number_unsigned() || value.is_number_float()) {
        return value.dump();
    }
    return Status::invalid_argument("lookup value of \"" + field +
                                    "\" must be a string or a number")
        .with_field(field);
}

} // namespace

class OdbcSource : public plugin::Source {
public:
    static constexpr const char* kName = "odbc";
    static constexpr const char* kVersion = "1.0.0";
    static constexpr const char* kDescription =
        "Relational databases through unixODBC (SQLite, PostgreSQL, MariaDB, Oracle, DM, …)";
    static constexpr const char* kOptionsSchema = ::ferry::odbc::kOptionsSchema;

    static Result<std::unique_ptr<OdbcSource>> create(const nlohmann::json& options) {
        auto source = std::unique_ptr<OdbcSource>(new OdbcSource());
        FERRY_ASSIGN_OR_RETURN(source->config_, SourceConfig::parse(options));
        FERRY_ASSIGN_OR_RETURN(source->env_, Environment::create());
        OdbcSource* self = source.get();
        source->lookups_ = std::make_shared<LookupPool>([self] { return self->connect(); },
                                                        source->config_.lookup_pool_size);
        return source;
    }

    ~OdbcSource() override = default;

    Result<nlohmann::json> discover() override {
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, connect());
        FERRY_ASSIGN_OR_RETURN(std::vector<TableInfo> tables, list_tables(*conn, config_.schema));
        for (const std::string& wanted : config_.tables) {
            // A listed table that is not there is a mistake to report, not a dataset to drop.
            FERRY_RETURN_IF_ERROR(
                match_table(tables, wanted)
                    .status()
                    .with_context("tables" + (config_.schema.empty()
                                                  ? std::string()
                                                  : " (schema " + config_.schema + ")")));
        }
        nlohmann::json datasets = nlohmann::json::array();
        for (TableInfo& table : tables) {
            if (!offered(table.name)) {
                continue;
            }
            FERRY_RETURN_IF_ERROR(describe_table(*conn, table).with_context("table " + table.name));
            const std::vector<ColumnMapping> columns = map_columns(table.columns);
            nlohmann::json dataset{
                {"name", table.name},
                {"title", table.type + " " + table.name},
                {"fields", describe_mapped(columns)},
                {"capabilities", {{"lookup", !table.primary_key.empty()}, {"resume", true}}},
                {"extensions",
                 {{"odbc",
                   {{"schema", table.schema},
                    {"table_type", table.type},
                    {"primary_key", table.primary_key},
                    {"cursor_candidates", table.indexed}}}}}};
            if (!table.primary_key.empty()) {
                dataset["key"] = table.primary_key;
            }
            if (const auto par = find_spec(config_.parallel, table.name);
                par != config_.parallel.end()) {
                dataset["extensions"]["odbc"]["partitions"] = partition_count(par->second);
            }
            if (find_spec(config_.snapshot, table.name) != config_.snapshot.end()) {
                dataset["extensions"]["odbc"]["snapshot_diff"] = true;
            }
            datasets.push_back(std::move(dataset));
            remember(table);
        }
        for (const NamedQuery& query : config_.queries) {
            FERRY_ASSIGN_OR_RETURN(std::vector<ColumnInfo> columns, describe_query(*conn, query));
            datasets.push_back({{"name", query.name},
                                {"title", "query " + query.name},
                                {"fields", describe_mapped(map_columns(columns))},
                                {"capabilities", {{"lookup", false}, {"resume", true}}}});
        }
        return nlohmann::json{{"datasets", std::move(datasets)}};
    }

    Result<std::unique_ptr<plugin::Stream>>
    open_stream(const plugin::StreamRequest& request) override {
        for (const NamedQuery& query : config_.queries) {
            if (iequals(query.name, request.dataset)) {
                return open_query(query, request);
            }
        }
        if (!offered(request.dataset)) {
            return Status::not_found("no dataset \"" + request.dataset + "\"");
        }
        FERRY_ASSIGN_OR_RETURN(std::shared_ptr<const TableInfo> table, table_info(request.dataset));
        const std::vector<ColumnMapping> columns = map_columns(table->columns);
        if (request.lookup.is_object()) {
            return open_lookup(*table, columns, request);
        }
        const nlohmann::json params =
            request.params.is_object() ? request.params : nlohmann::json::object();
        const bool incremental = params.value("incremental", false);
        const bool snapshot = params.value("snapshot", false);
        const bool partition = params.contains("partition");
        if (int(incremental) + int(snapshot) + int(partition) > 1) {
            return Status::invalid_argument("params: \"incremental\", \"snapshot\" and " +
                                            std::string("\"partition\" exclude each other"));
        }
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, connect());
        if (incremental) {
            const auto inc = find_spec(config_.incremental, table->name);
            if (inc == config_.incremental.end()) {
                return Status::invalid_argument("dataset \"" + table->name +
                                                "\" has no \"incremental\" settings");
            }
            return open_incremental(std::move(conn), *table, columns, inc->second, request,
                                    config_);
        }
        if (snapshot) {
            const auto spec = find_spec(config_.snapshot, table->name);
            if (spec == config_.snapshot.end()) {
                return Status::invalid_argument("dataset \"" + table->name +
                                                "\" has no \"snapshot\" settings");
            }
            return open_snapshot_diff(std::move(conn), *table, columns, spec->second, request,
                                      config_);
        }
        TableRead read;
        read.resume = request.resume;
        read.page_rows = config_.page_rows;
        read.count_rows = config_.count_rows;
        if (partition) {
            FERRY_RETURN_IF_ERROR(plan_partition(*conn, *table, params["partition"], read));
        } else {
            for (const std::string& key : table->primary_key) {
                read.key_columns.push_back(*column_index(table->columns, key));
            }
        }
        if (read.page_rows == 0 && conn->dbms() == "SQLite" &&
            (partition || !read.resume.is_null())) {
            // The SQLite driver steps through a result (StepAPI) only for a statement without
            // parameters; with one (a partition's range, a resume key) it buffers the whole
            // result first. Such reads go page by page, which keeps memory bounded.
            read.page_rows = kSqliteParameterPageRows;
        }
        return open_table_read(std::move(conn), *table, columns, std::move(read), config_);
    }

    // A table with "parallel" settings splits into its key ranges; anything else is one piece.
    Result<nlohmann::json> list_partitions(const plugin::StreamRequest& request) override {
        const auto par = find_spec(config_.parallel, request.dataset);
        if (par == config_.parallel.end() || request.lookup.is_object() ||
            (request.params.is_object() && !request.params.empty())) {
            return Source::list_partitions(request);
        }
        const std::int64_t count = partition_count(par->second);
        nlohmann::json pieces = nlohmann::json::array();
        for (std::int64_t index = 0; index < count; ++index) {
            pieces.push_back({{"id", std::to_string(index)},
                              {"request", {{"params", {{"partition", index}}}}},
                              {"description", "key range " + std::to_string(index + 1) + " of " +
                                                  std::to_string(count)}});
        }
        return pieces;
    }

private:
    OdbcSource() = default;

    Result<std::unique_ptr<Connection>> connect() {
        std::unique_ptr<Connection> out;
        const Status status = retry(config_.retry, [&]() -> Status {
            Result<Connection> conn =
                Connection::open(env_, config_.connection_string, config_.timeouts);
            if (!conn.ok()) {
                return conn.status();
            }
            out = std::make_unique<Connection>(std::move(*conn));
            return {};
        });
        if (!status.ok()) {
            return Status(status).with_context("connecting");
        }
        return out;
    }

    bool offered(const std::string& name) const {
        if (config_.tables.empty()) {
            return true;
        }
        return std::any_of(config_.tables.begin(), config_.tables.end(),
                           [&name](const std::string& table) { return iequals(table, name); });
    }

    void remember(const TableInfo& table) {
        std::lock_guard lock(mutex_);
        tables_[table.name] = std::make_shared<const TableInfo>(table);
    }

    Result<std::shared_ptr<const TableInfo>> table_info(const std::string& name) {
        {
            std::lock_guard lock(mutex_);
            const auto found = tables_.find(name);
            if (found != tables_.end()) {
                return found->second;
            }
        }
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, connect());
        FERRY_ASSIGN_OR_RETURN(TableInfo table, find_table(*conn, config_.schema, name));
        // Cached under the name asked for too: a mapping written for AC01 reads ac01.
        auto info = std::make_shared<const TableInfo>(std::move(table));
        std::lock_guard lock(mutex_);
        tables_[info->name] = info;
        tables_[name] = info;
        return info;
    }

    Result<std::vector<ColumnInfo>> describe_query(const Connection& conn,
                                                   const NamedQuery& query) {
        FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(conn));
        const std::basic_string<SQLWCHAR> wide = to_sqlwchar(query.sql);
        FERRY_RETURN_IF_ERROR(
            stmt.check(SQLPrepareW(stmt.handle(), const_cast<SQLWCHAR*>(wide.data()),
                                   static_cast<SQLINTEGER>(wide.size())),
                       "SQLPrepare")
                .with_context("query " + query.name));
        return describe_result(stmt);
    }

    Result<std::unique_ptr<plugin::Stream>> open_query(const NamedQuery& query,
                                                       const plugin::StreamRequest& request) {
        if (request.lookup.is_object()) {
            return Status::invalid_argument("query \"" + query.name +
                                            "\" has no key: lookups need a table");
        }
        const nlohmann::json params =
            request.params.is_object() ? request.params : nlohmann::json::object();
        if (params.value("snapshot", false) || params.contains("partition")) {
            return Status::invalid_argument("query \"" + query.name +
                                            "\": snapshot diffs and partitions need a table");
        }
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, connect());
        FERRY_ASSIGN_OR_RETURN(std::vector<ColumnInfo> columns, describe_query(*conn, query));
        if (params.value("incremental", false)) {
            const auto inc = find_spec(config_.incremental, query.name);
            if (inc == config_.incremental.end()) {
                return Status::invalid_argument("query \"" + query.name +
                                                "\" has no \"incremental\" settings");
            }
            // The query becomes a derived table, filtered and ordered by its own cursor and
            // tie-breaker columns like a table.
            TableInfo derived;
            derived.name = query.name;
            derived.type = "QUERY";
            derived.columns = columns;
            derived.query_sql = query.sql;
            while (!derived.query_sql.empty() &&
                   (derived.query_sql.back() == ';' ||
                    std::isspace(static_cast<unsigned char>(derived.query_sql.back())))) {
                derived.query_sql.pop_back();
            }
            return open_incremental(std::move(conn), derived, map_columns(columns), inc->second,
                                    request, config_);
        }
        if (request.resume.is_object() && request.resume.value("record_no", std::int64_t{0}) > 0) {
            // Skipping rows is exact only when the order is total, which the adapter cannot see
            // in a query's SQL: a changed result would skip or repeat rows without a word.
            return Status::invalid_argument(
                "query \"" + query.name +
                "\" cannot resume by row count (its order is not known to be total): declare "
                "\"incremental\" with a cursor and tie_breaker for it, or read it from the start");
        }
        SelectPlan plan;
        plan.columns = map_columns(columns);
        plan.keep_order = true;
        plan.sql = [sql = query.sql](const std::vector<std::size_t>&) { return sql; };
        FERRY_ASSIGN_OR_RETURN(auto stream, SelectStream::open(std::move(conn), std::move(plan),
                                                               config_.text, config_.rowset_bytes));
        return std::unique_ptr<plugin::Stream>(std::move(stream));
    }

    Result<std::unique_ptr<plugin::Stream>> open_lookup(const TableInfo& table,
                                                        const std::vector<ColumnMapping>& columns,
                                                        const plugin::StreamRequest& request) {
        if (table.primary_key.empty()) {
            return Status::invalid_argument("dataset \"" + table.name +
                                            "\" has no primary key to look up by");
        }
        std::vector<std::size_t> key_columns;
        std::vector<std::string> values;
        for (const std::string& key : table.primary_key) {
            const std::optional<std::size_t> index = column_index(table.columns, key);
            if (!index) {
                return Status::internal("primary key column \"" + key + "\" not among columns");
            }
            const nlohmann::json* value = nullptr;
            for (const auto& [name, given] : request.lookup.items()) {
                if (iequals(name, key)) {
                    value = &given;
                }
            }
            if (value == nullptr) {
                return Status::invalid_argument("lookup on \"" + table.name + "\" needs \"" + key +
                                                "\"")
                    .with_field(key);
            }
            FERRY_ASSIGN_OR_RETURN(std::string text, key_value_text(*value, key));
            key_columns.push_back(*index);
            values.push_back(std::move(text));
        }
        if (request.lookup.size() != table.primary_key.size()) {
            return Status::invalid_argument("lookup on \"" + table.name +
                                            "\" takes exactly its key fields");
        }
        return lookups_->lookup(table.name, table, columns, key_columns, values, config_.text);
    }

    static std::int64_t partition_count(const ParallelSpec& spec) {
        return spec.boundaries.empty() ? spec.partitions
                                       : static_cast<std::int64_t>(spec.boundaries.size()) + 1;
    }

    // The range of partition `index` (params.partition) of `table`: from a checkpoint of that
    // partition on resume (exact even if the boundaries would now differ), else from the options
    // or an NTILE query found once per source, so concurrent streams share one set.
    Status plan_partition(const Connection& conn,
                          const TableInfo& table,
                          const nlohmann::json& index_json,
                          TableRead& read) {
        const auto par = find_spec(config_.parallel, table.name);
        if (par == config_.parallel.end()) {
            return Status::invalid_argument("dataset \"" + table.name +
                                            "\" has no \"parallel\" settings");
        }
        const std::int64_t count = partition_count(par->second);
        if (!index_json.is_number_integer() || index_json.get<std::int64_t>() < 0 ||
            index_json.get<std::int64_t>() >= count) {
            return Status::invalid_argument("params.partition of \"" + table.name +
                                            "\" must be an integer from 0 to " +
                                            std::to_string(count - 1));
        }
        const std::int64_t index = index_json.get<std::int64_t>();
        const std::vector<std::string>& key_names =
            par->second.key.empty() ? table.primary_key : par->second.key;
        if (key_names.empty()) {
            return Status::invalid_argument("parallel reads of \"" + table.name +
                                            "\" need a \"key\" (the table has no primary key)");
        }
        FERRY_ASSIGN_OR_RETURN(
            read.key_columns,
            key_indices(table, key_names, "parallel key of \"" + table.name + "\""));
        nlohmann::json from;
        nlohmann::json to;
        const nlohmann::json* saved = read.resume.is_object() && read.resume.contains("partition")
                                          ? &read.resume["partition"]
                                          : nullptr;
        if (saved != nullptr) {
            if (!saved->is_object() || saved->value("index", std::int64_t{-1}) != index) {
                return Status::invalid_argument("resume checkpoint is not one of partition " +
                                                std::to_string(index));
            }
            from = saved->value("from", nlohmann::json());
            to = saved->value("to", nlohmann::json());
        } else {
            FERRY_ASSIGN_OR_RETURN(std::vector<nlohmann::json> bounds,
                                   boundaries(conn, table, par->second, read.key_columns));
            const auto pos = static_cast<std::size_t>(index);
            from = pos == 0 || pos > bounds.size() ? nlohmann::json() : bounds[pos - 1];
            to = pos < bounds.size() ? bounds[pos] : nlohmann::json();
            if (pos > bounds.size()) {
                // Fewer rows than partitions: the NTILE found fewer boundaries; the extra
                // partitions are empty.
                read.where = "1 = 0";
            }
        }
        if (read.where.empty()) {
            FERRY_ASSIGN_OR_RETURN(read.where, range_predicate(conn, table, read.key_columns, from,
                                                               to, read.where_params));
        }
        read.decorate_checkpoint = [index, count, from, to](nlohmann::json& checkpoint) {
            checkpoint["partition"] = {{"index", index}, {"of", count}, {"from", from}, {"to", to}};
        };
        return {};
    }

    Result<std::vector<nlohmann::json>> boundaries(const Connection& conn,
                                                   const TableInfo& table,
                                                   const ParallelSpec& spec,
                                                   const std::vector<std::size_t>& key_columns) {
        if (!spec.boundaries.empty()) {
            std::vector<FetchKind> kinds;
            for (const std::size_t col : key_columns) {
                kinds.push_back(map_column(table.columns[col]).kind);
            }
            for (std::size_t pos = 0; pos < spec.boundaries.size(); ++pos) {
                const std::string where =
                    "parallel boundary " + std::to_string(pos) + " of \"" + table.name + "\"";
                if (spec.boundaries[pos].size() != key_columns.size()) {
                    return Status::invalid_argument(where + " needs " +
                                                    std::to_string(key_columns.size()) +
                                                    " value(s), one per key column");
                }
                // Overlapping ranges would read rows twice: boundaries must ascend.
                if (pos > 0 &&
                    compare_keys(spec.boundaries[pos - 1].get<std::vector<std::string>>(),
                                 spec.boundaries[pos].get<std::vector<std::string>>(),
                                 kinds) >= 0) {
                    return Status::invalid_argument(where + " is not above the one before it");
                }
            }
            return spec.boundaries;
        }
        std::lock_guard lock(partition_mutex_);
        const auto found = boundaries_.find(table.name);
        if (found != boundaries_.end()) {
            return found->second;
        }
        FERRY_ASSIGN_OR_RETURN(std::vector<nlohmann::json> bounds,
                               find_boundaries(conn, table, key_columns, spec.partitions));
        boundaries_[table.name] = bounds;
        return bounds;
    }

    SourceConfig config_;
    std::shared_ptr<Environment> env_;
    std::shared_ptr<LookupPool> lookups_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const TableInfo>> tables_;
    std::mutex partition_mutex_; ///< held while the boundaries are found (once per table)
    std::map<std::string, std::vector<nlohmann::json>> boundaries_;
};

} // namespace ferry::odbc

FERRY_DEFINE_PLUGIN(Odbc, ::ferry::odbc::OdbcSource);

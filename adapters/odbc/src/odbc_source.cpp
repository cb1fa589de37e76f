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
#include "keyset.h"
#include "lookup_pool.h"
#include "select_stream.h"
#include "source_config.h"

namespace ferry::odbc {

namespace {

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
            if (query.name == request.dataset) {
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
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, connect());
        const auto inc = config_.incremental.find(table->name);
        const bool incremental =
            request.params.is_object() && request.params.value("incremental", false);
        if (incremental) {
            if (inc == config_.incremental.end()) {
                return Status::invalid_argument("dataset \"" + table->name +
                                                "\" has no \"incremental\" settings");
            }
            return open_incremental(std::move(conn), *table, columns, inc->second, request,
                                    config_);
        }
        return open_table(std::move(conn), *table, columns, request);
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
        if (table.name != name) {
            // A case-insensitive match: dataset names are exact, like discovery reports them.
            return Status::not_found("no dataset \"" + name + "\" (did you mean \"" + table.name +
                                     "\"?)");
        }
        remember(table);
        std::lock_guard lock(mutex_);
        return tables_[name];
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
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, connect());
        FERRY_ASSIGN_OR_RETURN(std::vector<ColumnInfo> columns, describe_query(*conn, query));
        SelectPlan plan;
        plan.columns = map_columns(columns);
        plan.keep_order = true;
        plan.sql = [sql = query.sql](const std::vector<std::size_t>&) { return sql; };
        if (request.resume.is_object()) {
            // A query has no key to seek on: resume re-reads and skips what was read.
            const std::int64_t done = request.resume.value("record_no", std::int64_t{0});
            plan.first_record_no = done + 1;
            plan.skip_rows = done;
        }
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

    Result<std::unique_ptr<plugin::Stream>> open_table(std::unique_ptr<Connection> conn,
                                                       const TableInfo& table,
                                                       const std::vector<ColumnMapping>& columns,
                                                       const plugin::StreamRequest& request) {
        SelectPlan plan;
        plan.columns = columns;
        std::vector<std::size_t> key_columns;
        for (const std::string& key : table.primary_key) {
            key_columns.push_back(*column_index(table.columns, key));
        }
        plan.key_columns = key_columns;
        std::string where;
        if (request.resume.is_object()) {
            const std::int64_t done = request.resume.value("record_no", std::int64_t{0});
            plan.first_record_no = done + 1;
            const nlohmann::json after = request.resume.value("after", nlohmann::json());
            if (!key_columns.empty() && after.is_array() && after.size() == key_columns.size()) {
                FERRY_ASSIGN_OR_RETURN(where,
                                       keyset_after(*conn, table, key_columns, after, plan.params));
            } else if (done > 0) {
                plan.skip_rows = done;
            }
        }
        const std::string from = qualified_name(*conn, table);
        std::string order_by;
        for (const std::size_t key : key_columns) {
            order_by += (order_by.empty() ? " ORDER BY " : ", ") +
                        quote_identifier(*conn, table.columns[key].name);
        }
        const Connection* c = conn.get();
        plan.sql = [c, columns, from, where, order_by](const std::vector<std::size_t>& order) {
            std::string sql = "SELECT ";
            for (std::size_t pos = 0; pos < order.size(); ++pos) {
                sql += (pos ? ", " : "") + quote_identifier(*c, columns[order[pos]].field.name);
            }
            return sql + " FROM " + from + where + order_by;
        };
        FERRY_ASSIGN_OR_RETURN(auto stream, SelectStream::open(std::move(conn), std::move(plan),
                                                               config_.text, config_.rowset_bytes));
        return std::unique_ptr<plugin::Stream>(std::move(stream));
    }

    SourceConfig config_;
    std::shared_ptr<Environment> env_;
    std::shared_ptr<LookupPool> lookups_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const TableInfo>> tables_;
};

} // namespace ferry::odbc

FERRY_DEFINE_PLUGIN(Odbc, ::ferry::odbc::OdbcSource);

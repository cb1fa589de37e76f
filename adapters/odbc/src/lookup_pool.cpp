// SPDX-License-Identifier: Apache-2.0
// lookup_pool.cpp — key lookups through prepared, parameterised statements on pooled connections.
#include "lookup_pool.h"

namespace ferry::odbc {

namespace {

constexpr std::size_t kLookupRowsetBytes = 64 * 1024;

class LookupStream : public plugin::Stream {
public:
    LookupStream(Schema schema,
                 std::shared_ptr<LookupPool> pool,
                 std::unique_ptr<LookupSession> session,
                 PreparedLookup& prepared)
        : plugin::Stream(std::move(schema))
        , pool_(std::move(pool))
        , session_(std::move(session))
        , prepared_(prepared)
        , pump_(*prepared.reader, 1) {}

    ~LookupStream() override {
        prepared_.stmt->close_cursor();
        if (healthy_) {
            pool_->release(std::move(session_));
        }
    }

    Result<bool> fill(BatchBuilder& out) override {
        Result<bool> more = pump_.pump(*prepared_.stmt, out, *this);
        if (!more.ok()) {
            healthy_ = false; // a broken connection is not returned to the pool
            return more.status();
        }
        out.set_checkpoint(nlohmann::json{{"record_no", pump_.next_record_no() - 1}}.dump());
        return *more && !cancelled();
    }

private:
    std::shared_ptr<LookupPool> pool_;
    std::unique_ptr<LookupSession> session_;
    PreparedLookup& prepared_;
    RowPump pump_;
    bool healthy_ = true;
};

} // namespace

Result<std::unique_ptr<LookupSession>> LookupPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            std::unique_ptr<LookupSession> session = std::move(idle_.back());
            idle_.pop_back();
            return session;
        }
    }
    auto session = std::make_unique<LookupSession>();
    FERRY_ASSIGN_OR_RETURN(session->connection, opener_());
    return session;
}

void LookupPool::release(std::unique_ptr<LookupSession> session) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle_) {
        idle_.push_back(std::move(session));
    }
}

Result<std::unique_ptr<plugin::Stream>>
LookupPool::lookup(const std::string& dataset,
                   const TableInfo& table,
                   const std::vector<ColumnMapping>& columns,
                   const std::vector<std::size_t>& key_columns,
                   const std::vector<std::string>& values,
                   const TextEncoding& encoding) {
    FERRY_ASSIGN_OR_RETURN(std::unique_ptr<LookupSession> session, acquire());
    auto found = session->prepared.find(dataset);
    if (found == session->prepared.end()) {
        auto prepared = std::make_unique<PreparedLookup>();
        FERRY_ASSIGN_OR_RETURN(prepared->reader,
                               RowsetReader::create(columns, encoding, kLookupRowsetBytes, false));
        const Connection& conn = *session->connection;
        std::string sql = "SELECT ";
        const auto& order = prepared->reader->select_order();
        for (std::size_t pos = 0; pos < order.size(); ++pos) {
            sql += (pos ? ", " : "") + quote_identifier(conn, columns[order[pos]].field.name);
        }
        sql += " FROM " + qualified_name(conn, table) + " WHERE ";
        for (std::size_t pos = 0; pos < key_columns.size(); ++pos) {
            sql += (pos ? " AND " : "") +
                   quote_identifier(conn, columns[key_columns[pos]].field.name) + " = ?";
            prepared->key_columns.push_back(table.columns[key_columns[pos]]);
        }
        FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(conn));
        prepared->stmt.emplace(std::move(stmt));
        const std::basic_string<SQLWCHAR> wide = to_sqlwchar(sql);
        FERRY_RETURN_IF_ERROR(prepared->stmt->check(
            SQLPrepareW(prepared->stmt->handle(), const_cast<SQLWCHAR*>(wide.data()),
                        static_cast<SQLINTEGER>(wide.size())),
            "SQLPrepare"));
        FERRY_RETURN_IF_ERROR(prepared->reader->bind(*prepared->stmt));
        found = session->prepared.emplace(dataset, std::move(prepared)).first;
    }
    PreparedLookup& prepared = *found->second;
    prepared.params.clear();
    for (std::size_t pos = 0; pos < values.size(); ++pos) {
        prepared.params.push_back(Parameter::of(values[pos], prepared.key_columns[pos]));
    }
    FERRY_RETURN_IF_ERROR(bind_parameters(*prepared.stmt, prepared.params));
    const SQLRETURN rc = SQLExecute(prepared.stmt->handle());
    if (rc != SQL_NO_DATA) {
        FERRY_RETURN_IF_ERROR(prepared.stmt->check(rc, "SQLExecute"));
    }
    return std::unique_ptr<plugin::Stream>(std::make_unique<LookupStream>(
        schema_of(columns), shared_from_this(), std::move(session), prepared));
}

} // namespace ferry::odbc

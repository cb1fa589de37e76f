// SPDX-License-Identifier: Apache-2.0
// lookup_pool.h — a small pool of connections, each with its prepared lookup statements.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ferry/plugin/stream.h"

#include "discovery.h"
#include "select_stream.h"

namespace ferry::odbc {

/// A prepared "SELECT … WHERE k1 = ? AND …" with its bound rowset, reused for every lookup.
struct PreparedLookup {
    std::optional<Statement> stmt;
    std::unique_ptr<RowsetReader> reader;
    std::vector<Parameter> params;
    std::vector<ColumnInfo> key_columns;
};

/// One pooled connection and the lookups prepared on it (destroyed before the connection).
struct LookupSession {
    std::unique_ptr<Connection> connection;
    std::map<std::string, std::unique_ptr<PreparedLookup>> prepared;

    ~LookupSession() { prepared.clear(); }
};

class LookupPool : public std::enable_shared_from_this<LookupPool> {
public:
    using Opener = std::function<Result<std::unique_ptr<Connection>>()>;

    LookupPool(Opener opener, std::size_t max_idle)
        : opener_(std::move(opener))
        , max_idle_(max_idle) {}

    /// An idle session, or a new connection.
    Result<std::unique_ptr<LookupSession>> acquire();
    /// Returns a healthy session for reuse (dropped when the pool is full).
    void release(std::unique_ptr<LookupSession> session);

    /// Runs a lookup of `values` (one per key column, in key order) on `dataset`, preparing the
    /// statement on first use in a session. The stream returns its session on destruction.
    Result<std::unique_ptr<plugin::Stream>> lookup(const std::string& dataset,
                                                   const TableInfo& table,
                                                   const std::vector<ColumnMapping>& columns,
                                                   const std::vector<std::size_t>& key_columns,
                                                   const std::vector<std::string>& values,
                                                   const TextEncoding& encoding);

private:
    Opener opener_;
    std::size_t max_idle_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<LookupSession>> idle_;
};

} // namespace ferry::odbc

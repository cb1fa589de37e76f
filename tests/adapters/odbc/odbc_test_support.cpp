// SPDX-License-Identifier: Apache-2.0
// odbc_test_support.cpp — see odbc_test_support.h.
#include "odbc_test_support.h"

#include <catch2/catch.hpp>

#include "ferry/batch.h"
#include "ferry/batch_reader.h"

extern "C" FerryStatus FerryPluginOdbcInit(std::uint32_t abi_version,
                                           const FerryHostApi* host,
                                           FerryPluginApi* out,
                                           FerryError* error);

namespace ferry::odbc::test {

Status execute_sql(Connection& conn, const std::string& sql) {
    auto stmt = Statement::allocate(conn);
    if (!stmt.ok()) {
        return stmt.status();
    }
    auto wide = to_sqlwchar(sql);
    return stmt->check(
        SQLExecDirectW(stmt->handle(), wide.data(), static_cast<SQLINTEGER>(wide.size())),
        "SQLExecDirect");
}

void run_sql(Connection& conn, const std::string& sql) {
    const Status status = execute_sql(conn, sql);
    INFO(sql << ": " << status.to_string());
    REQUIRE(status.ok());
}

SourceHandle source_for(const nlohmann::json& options) {
    auto source = odbc_plugin().create_source(options);
    INFO(source.status().to_string());
    REQUIRE(source.ok());
    return *source;
}

const PluginLibrary& odbc_plugin() {
    static const PluginLibrary plugin =
        PluginLibrary::from_init(&FerryPluginOdbcInit, "odbc").value();
    return plugin;
}

nlohmann::json estate_options() {
    return {
        {"connection", std::string("Driver=SQLite3;Database=") + FERRY_ESTATE_DB + ";StepAPI=1"},
        {"text_encoding", "UTF-8"}};
}

StreamContents read_stream(const SourceHandle& source,
                           const std::string& dataset,
                           const nlohmann::json& request,
                           std::optional<int> stop_after) {
    StreamContents out;
    Result<BatchReader> reader = source.open_stream(dataset, request);
    INFO(reader.status().to_string());
    REQUIRE(reader.ok());
    for (int batches = 0; batches < 100000; ++batches) {
        if (stop_after && batches >= *stop_after) {
            return out;
        }
        Result<std::optional<Batch>> next = reader->next();
        INFO(next.status().to_string());
        REQUIRE(next.ok());
        if (!next->has_value()) {
            if (reader->reconciliation()) {
                out.verdict = std::string(to_string(reader->reconciliation()->verdict));
                out.reconciliation = reader->reconciliation()->summary();
            }
            return out;
        }
        const Batch& batch = **next;
        out.read += batch.records_read();
        for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
            std::map<std::string, std::string> cells;
            for (std::size_t col = 0; col < batch.schema().size(); ++col) {
                cells[batch.schema().field(col).name] = batch.column(col).value(row).to_string();
            }
            out.rows.push_back(std::move(cells));
            out.record_nos.push_back(batch.record_no(row));
        }
        for (const FerryReject& reject : batch.rejects()) {
            out.rejects.push_back({reject.record_no, reject.field ? reject.field : "",
                                   reject.rule ? reject.rule : "", reject.reason,
                                   reject.location ? reject.location : ""});
        }
        out.checkpoints.emplace_back(batch.checkpoint().value_or(""));
    }
    FAIL("stream did not end within 100000 batches");
    return out;
}

} // namespace ferry::odbc::test

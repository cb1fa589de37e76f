// SPDX-License-Identifier: Apache-2.0
// soap_integration_test.cpp — the SOAP adapter against a real third-party SOAP stack (spyne on
// loopback): WSDL import, paging, lookups, faults, injected failures, resume, SOAP 1.2.
#include <chrono>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "ferry/plugin_library.h"

#include "spyne_peer.h"

using ferry::soap::test::SpynePeer;

namespace {

ferry::PluginLibrary plugin() {
    return ferry::soap::test::soap_plugin();
}

nlohmann::json paged_options(const SpynePeer& peer, int page_size = 300) {
    return {
        {"wsdl", peer.wsdl_url()},
        {"datasets",
         {{"enterprises",
           {{"operation", "list_enterprises"},
            {"paging",
             {{"kind", "page"},
              {"page_param", "page"},
              {"size_param", "page_size"},
              {"size", page_size}}},
            {"lookup", {{"operation", "get_enterprise"}, {"param", "code"}, {"key", "uscc"}}}}}}}};
}

struct Totals {
    std::int64_t read = 0;
    std::int64_t delivered = 0;
    std::int64_t rejected = 0;
    std::vector<std::string> codes;
    std::string last_checkpoint;
};

Totals read_all(ferry::BatchReader& reader, int max_batches = 1'000) {
    Totals totals;
    for (int batch_index = 0; batch_index < max_batches; ++batch_index) {
        auto next = reader.next();
        INFO((next.ok() ? std::string() : next.status().to_string()));
        REQUIRE(next.ok());
        if (!next->has_value()) {
            return totals;
        }
        const ferry::Batch& batch = **next;
        totals.read += batch.records_read();
        totals.delivered += batch.num_rows();
        totals.rejected += static_cast<std::int64_t>(batch.rejects().size());
        const auto column = batch.column(batch.schema().index_of("uscc").value());
        for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
            totals.codes.emplace_back(column.text(row));
        }
        if (batch.checkpoint()) {
            totals.last_checkpoint = std::string(*batch.checkpoint());
        }
    }
    FAIL("stream did not end");
    return totals;
}

std::string code(int number) {
    char text[32];
    std::snprintf(text, sizeof text, "91110105MA%08d", number);
    return text;
}

void check_exactly_once(const Totals& totals, int records) {
    REQUIRE(totals.codes.size() == static_cast<std::size_t>(records));
    for (int number = 1; number <= records; ++number) {
        REQUIRE(totals.codes[static_cast<std::size_t>(number - 1)] == code(number));
    }
}

} // namespace

TEST_CASE("discovery from the peer's WSDL: typed fields, key, candidates", "[soap][integration]") {
    SpynePeer peer;
    auto source = plugin().create_source(paged_options(peer));
    REQUIRE(source.ok());
    auto discovered = source->discover();
    REQUIRE(discovered.ok());
    const auto& datasets = (*discovered)["datasets"];
    REQUIRE(datasets.size() == 4); // list_two_lists is ambiguous: not a candidate
    const auto& enterprises = datasets[0];
    CHECK(enterprises["name"] == "enterprises");
    CHECK(enterprises["key"] == nlohmann::json{"uscc"});
    CHECK(enterprises["capabilities"]["lookup"] == true);
    CHECK(enterprises["extensions"]["record_path"] ==
          "list_enterprisesResponse/list_enterprisesResult/Enterprise");
    std::map<std::string, std::string> types;
    for (const auto& field : enterprises["fields"]) {
        types[field["name"]] = field["type"];
    }
    CHECK(types["uscc"] == "text");
    CHECK(types["registered_capital"] == "decimal(18,2)");
    CHECK(types["established_on"] == "date");
    CHECK(types["updated_at"] == "timestamp");
    CHECK(types["employees"] == "int64");
    std::set<std::string> candidates; // operations with a list result that no dataset configures
    for (std::size_t index = 1; index < datasets.size(); ++index) {
        CHECK(datasets[index]["extensions"]["configured"] == false);
        candidates.insert(datasets[index]["name"].get<std::string>());
    }
    CHECK(candidates ==
          std::set<std::string>{"list_changes", "list_established", "list_enterprise_page"});
}

TEST_CASE("pages through thousands of records, typed and exact", "[soap][integration]") {
    SpynePeer peer;
    auto source = plugin().create_source(paged_options(peer, 300));
    REQUIRE(source.ok());
    auto reader = source->open_stream("enterprises", {{"batch_rows", 1000}});
    REQUIRE(reader.ok());
    auto next = reader->next();
    REQUIRE(next.ok());
    REQUIRE(next->has_value());
    const ferry::Batch& first = **next;
    REQUIRE(first.num_rows() == 1000);
    const ferry::Schema& schema = first.schema();
    // Record 7: legal_rep is nil (every 7th), capital 70 + 12.34, established 1990-01-08.
    CHECK(first.column(schema.index_of("legal_rep").value()).is_null(6));
    CHECK(first.column(schema.index_of("registered_capital").value()).value(6).to_string() ==
          "82.34");
    CHECK(first.column(schema.index_of("established_on").value()).value(6).to_string() ==
          "1990-01-08");
    CHECK(first.column(schema.index_of("name").value()).text(6) == "示例通华科技有限公司 & <7>");
    CHECK(first.record_no(6) == 7);
    Totals rest = read_all(*reader);
    CHECK(rest.delivered == 1500);
    CHECK(rest.rejected == 0);
    CHECK(reader->records_read() == 2500);
}

TEST_CASE("continuation-token paging from the last record's field", "[soap][integration]") {
    SpynePeer peer;
    nlohmann::json options{
        {"wsdl", peer.wsdl_url()},
        {"datasets",
         {{"changes",
           {{"operation", "list_changes"},
            {"paging",
             {{"kind", "token"}, {"token_param", "cursor"}, {"token_field", "uscc"}}}}}}}};
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto reader = source->open_stream("changes", {{"batch_rows", 700}});
    REQUIRE(reader.ok());
    check_exactly_once(read_all(*reader), 2500);
}

TEST_CASE("date-window paging", "[soap][integration]") {
    SpynePeer peer;
    // Records 1..2500 were established on 1990-01-02 .. 1996-11-05, one a day.
    nlohmann::json options{{"wsdl", peer.wsdl_url()},
                           {"datasets",
                            {{"established",
                              {{"operation", "list_established"},
                               {"paging",
                                {{"kind", "date_window"},
                                 {"from_param", "from_date"},
                                 {"to_param", "to_date"},
                                 {"start", "1990-01-01"},
                                 {"end", "1996-12-31"},
                                 {"days", 100}}}}}}}};
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto reader = source->open_stream("established", {{"batch_rows", 600}});
    REQUIRE(reader.ok());
    check_exactly_once(read_all(*reader), 2500);
}

TEST_CASE("key lookups for the real-time query mode", "[soap][integration]") {
    SpynePeer peer;
    auto source = plugin().create_source(paged_options(peer));
    REQUIRE(source.ok());
    auto found = source->open_stream("enterprises", {{"lookup", {{"uscc", code(42)}}}});
    REQUIRE(found.ok());
    Totals one = read_all(*found);
    CHECK(one.codes == std::vector<std::string>{code(42)});

    auto missing = source->open_stream("enterprises", {{"lookup", {{"uscc", code(9999)}}}});
    REQUIRE(missing.ok());
    CHECK(read_all(*missing).read == 0);

    auto bad = source->open_stream("enterprises", {{"lookup", {{"uscc", "not-a-code"}}}});
    REQUIRE(bad.ok());
    auto batch = bad->next();
    REQUIRE_FALSE(batch.ok());
    CHECK(batch.status().code() == ferry::StatusCode::InvalidArgument);
    CHECK_THAT(batch.status().message(), Catch::Contains("SOAP fault Client.BadKey"));
}

TEST_CASE("SOAP faults become clear errors with code, reason and detail", "[soap][integration]") {
    SpynePeer peer;
    nlohmann::json options = paged_options(peer);
    options["datasets"]["bad_page"] = {{"operation", "list_enterprises"},
                                       {"params", {{"page", 0}, {"page_size", 10}}}};
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto reader = source->open_stream("bad_page");
    REQUIRE(reader.ok());
    auto batch = reader->next();
    REQUIRE_FALSE(batch.ok());
    CHECK(batch.status().code() == ferry::StatusCode::InvalidArgument);
    CHECK_THAT(batch.status().message(),
               Catch::Contains("Client.BadPage") && Catch::Contains("page must be >= 1"));
}

TEST_CASE("injected 500s, slow answers and dropped connections: every record exactly once",
          "[soap][integration][faults]") {
    SpynePeer peer(
        {"--fault-every", "3", "--drop-every", "4", "--slow-every", "7", "--slow-seconds", "1.5"});
    nlohmann::json options = paged_options(peer, 250);
    // The slow answers (1.5 s) time out; the others must not, even on a loaded machine, and a
    // page may meet a fault, a drop and a slow answer in a row: room for both.
    options["timeouts"] = {{"receive_ms", 1000}};
    options["retry"] = {{"max_attempts", 10}, {"initial_ms", 5}, {"max_ms", 40}};
    options["circuit_breaker"] = {{"failure_threshold", 50}};
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto reader = source->open_stream("enterprises", {{"batch_rows", 400}});
    REQUIRE(reader.ok());
    const Totals totals = read_all(*reader);
    CHECK(totals.rejected == 0);
    check_exactly_once(totals, 2500);
}

TEST_CASE("resume from a checkpoint continues without loss or repetition", "[soap][integration]") {
    SpynePeer peer;
    auto source = plugin().create_source(paged_options(peer, 300));
    REQUIRE(source.ok());
    auto reader = source->open_stream("enterprises", {{"batch_rows", 450}});
    REQUIRE(reader.ok());
    std::string checkpoint;
    for (int batch_index = 0; batch_index < 2; ++batch_index) {
        auto next = reader->next();
        REQUIRE(next.ok());
        REQUIRE(next->has_value());
        checkpoint = std::string((*next)->checkpoint().value());
    }
    auto resumed = source->open_stream(
        "enterprises", {{"resume", nlohmann::json::parse(checkpoint)}, {"batch_rows", 450}});
    REQUIRE(resumed.ok());
    const Totals rest = read_all(*resumed);
    REQUIRE(rest.codes.size() == 1600);
    CHECK(rest.codes.front() == code(901));
    CHECK(rest.codes.back() == code(2500));
}

TEST_CASE("the circuit breaker fails fast once the endpoint keeps failing", "[soap][integration]") {
    // The fixture WSDL's endpoint is a closed loopback port: every connect is refused.
    nlohmann::json options{
        {"wsdl", std::string(FERRY_SOAP_TEST_DATA) + "/registry.wsdl"},
        {"retry", {{"max_attempts", 5}, {"initial_ms", 1}, {"max_ms", 2}}},
        {"circuit_breaker", {{"failure_threshold", 2}, {"cool_down_ms", 60000}}},
        {"datasets",
         {{"enterprises",
           {{"operation", "ListEnterprises"}, {"params", {{"pageNo", 1}, {"pageSize", 10}}}}}}}};
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto reader = source->open_stream("enterprises");
    REQUIRE(reader.ok());
    const auto started = std::chrono::steady_clock::now();
    auto batch = reader->next();
    REQUIRE_FALSE(batch.ok());
    CHECK(batch.status().code() == ferry::StatusCode::Unavailable);
    CHECK_THAT(batch.status().message(),
               Catch::Contains("circuit breaker open") && Catch::Contains("gave up after 5"));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("SOAP 1.2 binding against a SOAP 1.2 peer", "[soap][integration]") {
    SpynePeer peer({"--soap12"});
    nlohmann::json options = paged_options(peer, 500);
    options["soap_version"] = "1.2";
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto reader = source->open_stream("enterprises", {{"batch_rows", 1000}});
    REQUIRE(reader.ok());
    check_exactly_once(read_all(*reader), 2500);
}

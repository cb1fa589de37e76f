// SPDX-License-Identifier: Apache-2.0
// paged_shape_test.cpp — the most common paged shape (Page{TotalCount, PageNo, PageSize,
// Enterprises/Enterprise*}) from the spyne peer, read with the documented minimal options while
// the peer injects failures; every record compared field by field with the peer's own dump.
// Also: SOAP 1.2 faults by HTTP status, two lists refused, a one-page read of a paged result
// unreconciled, and a read that fails part-way.
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ferry/ndjson.h"
#include "ferry/plugin_library.h"

#include "spyne_peer.h"

using ferry::soap::test::SpynePeer;

namespace {

ferry::PluginLibrary plugin() {
    return ferry::soap::test::soap_plugin();
}

// The minimal configuration docs/adapters/soap.md gives for a paged operation.
nlohmann::json page_options(const SpynePeer& peer, int size) {
    return {{"wsdl", peer.wsdl_url()},
            {"datasets",
             {{"enterprises",
               {{"operation", "list_enterprise_page"},
                {"paging",
                 {{"kind", "page"},
                  {"page_param", "page_no"},
                  {"size_param", "page_size"},
                  {"size", size}}}}}}}};
}

// Every record the peer holds, as its own serialisation carries it (the peer's dump command).
std::vector<nlohmann::json> peer_dump(int records) {
    const std::string command = std::string(FERRY_SYSTEM_PYTHON) + " " + FERRY_SOAP_PEER +
                                " dump --records " + std::to_string(records);
    std::FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string text;
    char buffer[65536];
    for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
        text.append(buffer, got);
    }
    REQUIRE(::pclose(pipe) == 0);
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
}

struct Read {
    std::vector<nlohmann::json> records; ///< Ferry's NDJSON of every delivered record
    std::int64_t rejected = 0;
    std::map<std::string, std::int64_t> retries;
    ferry::Status ended;
    std::string last_checkpoint;
};

Read read_all(ferry::BatchReader& reader) {
    Read read;
    for (int batch_index = 0; batch_index < 10'000; ++batch_index) {
        auto next = reader.next();
        if (!next.ok()) {
            read.ended = next.status();
            break;
        }
        if (!next->has_value()) {
            break;
        }
        const ferry::Batch& batch = **next;
        read.rejected += static_cast<std::int64_t>(batch.rejects().size());
        std::string out;
        ferry::append_ndjson(batch, out);
        std::istringstream lines(out);
        for (std::string line; std::getline(lines, line);) {
            read.records.push_back(nlohmann::json::parse(line));
        }
        if (batch.checkpoint()) {
            read.last_checkpoint = std::string(*batch.checkpoint());
        }
    }
    read.retries = reader.progress().retries;
    return read;
}

// Ferry's record against the peer's: the same members with the same text. An element the peer
// leaves out is a null in Ferry's column (docs/adapters/soap.md).
void check_same_records(const std::vector<nlohmann::json>& ferry,
                        const std::vector<nlohmann::json>& peer) {
    REQUIRE(ferry.size() == peer.size());
    for (std::size_t index = 0; index < peer.size(); ++index) {
        INFO("record " << index + 1);
        for (const auto& [name, value] : ferry[index].items()) {
            INFO("field " << name);
            if (value.is_null()) {
                CHECK_FALSE(peer[index].contains(name));
            } else {
                REQUIRE(peer[index].contains(name));
                CHECK((value.is_string() ? value.get<std::string>() : value.dump()) ==
                      peer[index][name].get<std::string>());
            }
        }
        for (const auto& [name, value] : peer[index].items()) {
            CHECK(ferry[index].contains(name));
        }
    }
}

nlohmann::json peer_stats(const SpynePeer& peer) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(peer.port()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/stats");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    return nlohmann::json::parse(body);
}

std::int64_t sum(const std::map<std::string, std::int64_t>& counts) {
    std::int64_t total = 0;
    for (const auto& [cause, count] : counts) {
        total += count;
    }
    return total;
}

} // namespace

TEST_CASE("the paged shape with the minimal options and 5 % injected failures: every record "
          "once, field by field as the peer's own dump",
          "[soap][integration][paged]") {
    SpynePeer peer(
        {"--records", "5000", "--chaos", "5", "--chaos-seed", "11", "--slow-seconds", "0.3"});
    auto source = plugin().create_source(page_options(peer, 100));
    REQUIRE(source.ok());
    auto reader = source->open_stream("enterprises", {{"batch_rows", 700}});
    REQUIRE(reader.ok());
    const Read read = read_all(*reader);
    REQUIRE(read.ended.ok());
    CHECK(read.rejected == 0);
    REQUIRE(reader->reconciliation());
    CHECK(reader->reconciliation()->verdict == ferry::Verdict::Reconciled);
    check_same_records(read.records, peer_dump(5000));
    // Every failure the peer injected (but the slow answers, which are only slow) was retried,
    // and the stream says so.
    const nlohmann::json injected = peer_stats(peer)["injected"];
    CHECK(sum(read.retries) ==
          injected["http500"].get<std::int64_t>() + injected["server_fault"].get<std::int64_t>() +
              injected["truncated"].get<std::int64_t>() + injected["dropped"].get<std::int64_t>());
}

TEST_CASE("every kind of injected failure is retried by default and shown per cause",
          "[soap][integration][paged]") {
    SpynePeer peer(
        {"--records", "3000", "--chaos", "30", "--chaos-seed", "5", "--slow-seconds", "0.2"});
    nlohmann::json options = page_options(peer, 100);
    options["retry"] = {{"max_attempts", 8}}; // 30 % per request: eight in a row is 1 in 15,000
    options["circuit_breaker"] = {{"failure_threshold", 50}};
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto reader = source->open_stream("enterprises");
    REQUIRE(reader.ok());
    const Read read = read_all(*reader);
    REQUIRE(read.ended.ok());
    CHECK(reader->reconciliation()->verdict == ferry::Verdict::Reconciled);
    check_same_records(read.records, peer_dump(3000));
    const nlohmann::json injected = peer_stats(peer)["injected"];
    for (const char* kind : {"http500", "server_fault", "truncated", "dropped"}) {
        INFO(kind);
        CHECK(injected[kind].get<std::int64_t>() > 0);
    }
    CHECK(read.retries.at("http_500") == injected["http500"].get<std::int64_t>());
    CHECK(read.retries.at("server_fault") == injected["server_fault"].get<std::int64_t>());
    CHECK(read.retries.at("truncated_body") == injected["truncated"].get<std::int64_t>());
    CHECK(read.retries.at("connection") == injected["dropped"].get<std::int64_t>());
}

TEST_CASE("a paged result read as one call is unreconciled, never a quiet first page",
          "[soap][integration][paged]") {
    SpynePeer peer({"--records", "5000"});
    auto source =
        plugin().create_source({{"wsdl", peer.wsdl_url()},
                                {"datasets",
                                 {{"first_page",
                                   {{"operation", "list_enterprise_page"},
                                    {"params", {{"page_no", 1}, {"page_size", 500}}}}}}}});
    REQUIRE(source.ok());
    auto reader = source->open_stream("first_page");
    REQUIRE(reader.ok());
    const Read read = read_all(*reader);
    CHECK(read.records.size() == 500);
    REQUIRE_FALSE(read.ended.ok());
    CHECK(read.ended.code() == ferry::StatusCode::Data);
    CHECK_THAT(read.ended.message(), Catch::Contains("unreconciled") &&
                                         Catch::Contains("TotalCount") && Catch::Contains("5000"));
}

TEST_CASE("discovery on the peer: the page's list is the record, its counts are page metadata, "
          "two lists are refused",
          "[soap][integration][paged]") {
    SpynePeer peer;
    auto source = plugin().create_source(page_options(peer, 500));
    REQUIRE(source.ok());
    auto discovered = source->discover();
    REQUIRE(discovered.ok());
    const nlohmann::json& paged = (*discovered)["datasets"][0];
    CHECK(paged["extensions"]["record_path"] ==
          "list_enterprise_pageResponse/list_enterprise_pageResult/Enterprises/Enterprise");
    CHECK(paged["extensions"]["total_path"] ==
          "list_enterprise_pageResponse/list_enterprise_pageResult/TotalCount");
    CHECK(paged["extensions"]["page_metadata"].size() == 3);
    CHECK(paged["fields"].size() == 8);
    for (const auto& dataset : (*discovered)["datasets"]) {
        CHECK(dataset["name"] != "list_two_lists");
    }

    nlohmann::json options = page_options(peer, 500);
    options["datasets"]["two"] = {{"operation", "list_two_lists"}};
    auto refused = plugin().create_source(options);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.status().message(),
               Catch::Contains("list_two_listsResult/Enterprises/Enterprise") &&
                   Catch::Contains("list_two_listsResult/Branches/Enterprise") &&
                   Catch::Contains("record_path"));
    auto unconfigured = source->open_stream("list_two_lists");
    REQUIRE_FALSE(unconfigured.ok());
    CHECK_THAT(unconfigured.status().message(), Catch::Contains("will not guess"));
}

TEST_CASE("SOAP 1.2: a Sender fault at HTTP 400 keeps its code, subcode, reason and detail; "
          "injected failures are retried",
          "[soap][integration][paged]") {
    SpynePeer peer({"--soap12", "--records", "2000", "--chaos", "20", "--chaos-seed", "3",
                    "--slow-seconds", "0.2"});
    nlohmann::json options = page_options(peer, 200);
    options["soap_version"] = "1.2";
    options["retry"] = {{"max_attempts", 8}};
    options["datasets"]["bad_page"] = {{"operation", "list_enterprise_page"},
                                       {"params", {{"page_no", 0}, {"page_size", 3}}}};
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());

    auto bad = source->open_stream("bad_page");
    REQUIRE(bad.ok());
    // The injected failures before spyne's answer are retried; the Sender fault is not.
    const Read failed = read_all(*bad);
    REQUIRE_FALSE(failed.ended.ok());
    CHECK(failed.ended.code() == ferry::StatusCode::InvalidArgument);
    CHECK_THAT(failed.ended.message(), Catch::Contains("Sender/BadPage") &&
                                           Catch::Contains("page_no must be >= 1") &&
                                           Catch::Contains("page_no=0"));

    auto reader = source->open_stream("enterprises");
    REQUIRE(reader.ok());
    const Read read = read_all(*reader);
    REQUIRE(read.ended.ok());
    check_same_records(read.records, peer_dump(2000));
    CHECK(sum(read.retries) > 0);
}

TEST_CASE("a read that fails part-way delivers the pages it read, with a checkpoint that "
          "resumes at the failed page",
          "[soap][integration][paged]") {
    // list_enterprises: every third call answers 500; one attempt only, so page 3 fails.
    SpynePeer peer({"--fault-every", "3"});
    nlohmann::json options = {{"wsdl", peer.wsdl_url()},
                              {"retry", {{"max_attempts", 1}}},
                              {"datasets",
                               {{"enterprises",
                                 {{"operation", "list_enterprises"},
                                  {"paging",
                                   {{"kind", "page"},
                                    {"page_param", "page"},
                                    {"size_param", "page_size"},
                                    {"size", 300}}}}}}}};
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto reader = source->open_stream("enterprises", {{"batch_rows", 400}});
    REQUIRE(reader.ok());
    const Read read = read_all(*reader);
    REQUIRE_FALSE(read.ended.ok());
    CHECK_THAT(read.ended.message(), Catch::Contains("page 3") && Catch::Contains("HTTP 500"));
    REQUIRE(read.records.size() == 600); // pages 1 and 2, all of them
    CHECK(read.records.back()["uscc"] == "91110105MA00000600");
    const nlohmann::json checkpoint = nlohmann::json::parse(read.last_checkpoint);
    CHECK(checkpoint["page"] == 3);
    CHECK(checkpoint["skip"] == 0);

    auto resumed = source->open_stream("enterprises", {{"resume", checkpoint}});
    REQUIRE(resumed.ok());
    auto next = resumed->next(); // call 4 answers page 3
    REQUIRE(next.ok());
    REQUIRE(next->has_value());
    const ferry::Batch& batch = **next;
    CHECK(batch.column(0).text(0) == "91110105MA00000601");
}

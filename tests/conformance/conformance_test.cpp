// SPDX-License-Identifier: Apache-2.0
// conformance_test.cpp — the suite every adapter runs, through the raw C ABI: version
// negotiation, release exactly once, end of stream, cancel, an error from each call, and reject
// accounting. What an adapter cannot do is declared as a quirk in its config, and printed.
#include <regex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "ferry/batch.h"
#include "ferry/data_type.h"
#include "ferry/json_schema.h"
#include "ferry/plugin_library.h"
#include "ferry/reconciliation.h"

#include "counting_host.h"

using ferry::conformance::Config;
using ferry::conformance::error_has_message;
using ferry::conformance::Ledger;
using ferry::conformance::LoadedPlugin;

namespace {

const Config& config() {
    static const Config loaded = Config::load();
    return loaded;
}

std::string dump_or_null(const nlohmann::json& value) {
    return value.is_null() ? std::string() : value.dump();
}

/// A source, created from `options` (default: the config's), destroyed at scope end.
struct SourceScope {
    LoadedPlugin& plugin;
    FerrySource source = nullptr;

    SourceScope(LoadedPlugin& loaded, const nlohmann::json& options)
        : plugin(loaded) {
        FerryError error{};
        const std::string text = options.dump();
        const FerryStatus code =
            plugin.api().source_create(&plugin.api(), text.c_str(), &source, &error);
        INFO("options " << text);
        REQUIRE(code == FERRY_OK);
        REQUIRE(error.release == nullptr); // written only on failure
    }

    ~SourceScope() { plugin.api().source_destroy(source); }
};

nlohmann::json default_options() {
    return config().raw.value("options", nlohmann::json::object());
}

std::string default_dataset() {
    return config().raw.at("dataset").get<std::string>();
}

nlohmann::json default_request() {
    return config().raw.value("request", nlohmann::json());
}

struct Totals {
    std::int64_t batches = 0, read = 0, delivered = 0, rejected = 0, skipped = 0;
    std::set<std::int64_t> record_nos;
    bool duplicate_record_no = false;
};

/// Reads a stream to its end, checking each batch fully; releases everything through `ledger`.
Totals read_to_end(FerryStream& stream, Ledger& ledger) {
    ArrowSchema arrow{};
    FerryError error{};
    REQUIRE(stream.get_schema(&stream, &arrow, &error) == FERRY_OK);
    ledger.take(arrow);
    auto schema = ferry::Schema::import_from(arrow);
    ledger.release(&arrow);
    INFO(schema.status().to_string());
    REQUIRE(schema.ok());

    Totals totals;
    for (int guard = 0; guard < 1'000'000; ++guard) {
        FerryBatch batch{};
        const FerryStatus code = stream.get_next(&stream, &batch, &error);
        INFO("get_next: " << (error.message ? error.message : ""));
        REQUIRE(code == FERRY_OK);
        if (batch.release == nullptr) {
            return totals;
        }
        ledger.take(batch);
        const ferry::Status valid = validate_batch(batch, *schema, ferry::BatchCheck::Full);
        INFO(valid.to_string());
        CHECK(valid.ok());
        ++totals.batches;
        totals.read += batch.records_read;
        totals.delivered += batch.data.length;
        totals.rejected += batch.n_rejects;
        totals.skipped += batch.records_skipped; // 0 from 1.0 plugins: the host zeroed it
        for (std::int64_t row = 0; row < batch.data.length; ++row) {
            totals.duplicate_record_no |= !totals.record_nos.insert(batch.record_nos[row]).second;
        }
        for (std::int64_t idx = 0; idx < batch.n_rejects; ++idx) {
            const FerryReject& reject = batch.rejects[idx];
            CHECK(reject.reason != nullptr);
            CHECK(reject.code != FERRY_OK);
            totals.duplicate_record_no |= !totals.record_nos.insert(reject.record_no).second;
        }
        ledger.release(&batch);
    }
    FAIL("stream did not end within 1,000,000 batches");
    return totals;
}

FerryStatus try_open(LoadedPlugin& plugin,
                     FerrySource source,
                     const std::string& dataset,
                     const nlohmann::json& request,
                     FerryStream& out,
                     FerryError& error) {
    const std::string text = dump_or_null(request);
    return plugin.api().open_stream(source, dataset.c_str(),
                                    request.is_null() ? nullptr : text.c_str(), &out, &error);
}

void open_ok(LoadedPlugin& plugin,
             FerrySource source,
             const std::string& dataset,
             const nlohmann::json& request,
             FerryStream& out,
             Ledger& ledger) {
    FerryError error{};
    const FerryStatus code = try_open(plugin, source, dataset, request, out, error);
    INFO("open_stream " << dataset << ": " << (error.message ? error.message : ""));
    REQUIRE(code == FERRY_OK);
    ledger.take(out);
}

/// One get_next whose batch, if any, is counted and released at once. `ended` tells whether the
/// call returned the end of stream (decided before the release, which clears `release`).
FerryStatus next_discarding(FerryStream& stream, Ledger& ledger, FerryError& error, bool& ended) {
    FerryBatch batch{};
    const FerryStatus code = stream.get_next(&stream, &batch, &error);
    ended = code == FERRY_OK && batch.release == nullptr;
    if (batch.release != nullptr) {
        ledger.take(batch);
        ledger.release(&batch);
    }
    return code;
}

/// True if `entry` is a case to run; false, with the quirk printed, if the adapter declared
/// {"quirk": "why"} instead. Neither means the config is incomplete: the test fails.
bool runnable(const nlohmann::json& entry, const std::string& what, nlohmann::json& out) {
    out = entry;
    if (out.is_object() && out.contains("quirk")) {
        WARN("quirk: " << what << ": " << out["quirk"].get<std::string>());
        return false;
    }
    INFO("the conformance config has neither a case nor a quirk for " << what);
    REQUIRE(out.is_object());
    return true;
}

bool has_error_case(const char* call, nlohmann::json& out) {
    return runnable(config().error_case(call), std::string(call) + " cannot be made to fail", out);
}

} // namespace

TEST_CASE("conformance: version negotiation", "[conformance]") {
    LoadedPlugin plugin(config().plugin);
    const FerryPluginApi& api = plugin.api();
    CHECK((api.abi_version == FERRY_ABI_VERSION_1_0 || api.abi_version == FERRY_ABI_VERSION_1_1 ||
           api.abi_version == FERRY_ABI_VERSION_1_2));
    CHECK(api.struct_size >= (api.abi_version >= FERRY_ABI_VERSION_1_1 ? 96u : 88u));
    if (api.abi_version >= FERRY_ABI_VERSION_1_1) {
        CHECK(api.list_partitions != nullptr);
    }
    REQUIRE(api.name != nullptr);
    CHECK(std::regex_match(api.name, std::regex("[a-z0-9_]+")));
    CHECK(api.version != nullptr);
    CHECK(api.source_create != nullptr);
    CHECK(api.source_destroy != nullptr);
    CHECK(api.discover != nullptr);
    CHECK(api.open_stream != nullptr);
    REQUIRE(api.options_schema != nullptr);
    CHECK(ferry::JsonSchema::parse_text(api.options_schema, "options_schema").ok());

    for (const std::uint32_t unsupported : {2000000u, 0u, 999000u}) {
        FerryPluginApi refused{};
        FerryError error{};
        INFO("asked for " << unsupported);
        CHECK(plugin.initialise(unsupported, refused, error) == FERRY_E_NOT_IMPLEMENTED);
        CHECK(refused.abi_version != 0u); // names the version it does speak
        CHECK(refused.release == nullptr);
        error_has_message(error);
    }
}

TEST_CASE("conformance: every struct is released exactly once, moves included", "[conformance]") {
    Ledger ledger;
    {
        LoadedPlugin plugin(config().plugin);
        SourceScope scope(plugin, default_options());

        FerryText text{};
        FerryError error{};
        REQUIRE(plugin.api().discover(scope.source, &text, &error) == FERRY_OK);
        ledger.take(text);
        CHECK(text.data[text.size] == '\0');
        ledger.release(&text);

        FerryStream stream{};
        open_ok(plugin, scope.source, default_dataset(), default_request(), stream, ledger);
        const Totals totals = read_to_end(stream, ledger);
        CHECK(totals.read > 0);
        ledger.release(&stream);

        // Move the data out of a batch (Arrow's move: copy, then mark the source released), then
        // a child out of the data; each must stay valid after its former parent is released.
        FerryStream again{};
        open_ok(plugin, scope.source, default_dataset(), default_request(), again, ledger);
        FerryBatch batch{};
        REQUIRE(again.get_next(&again, &batch, &error) == FERRY_OK);
        REQUIRE(batch.release != nullptr);
        ledger.take(batch);
        ArrowArray data = batch.data;
        batch.data.release = nullptr;
        ledger.release(&batch);
        ledger.release(&again); // the moved data outlives its stream too
        REQUIRE(data.n_children > 0);
        const std::int64_t rows = data.length;
        ArrowArray child = *data.children[0];
        data.children[0]->release = nullptr;
        ++ledger.acquired; // data
        ledger.release(&data);
        CHECK(child.length == rows); // still readable after its parent's release
        ++ledger.acquired;           // child
        ledger.release(&child);
    }
    CHECK(ledger.acquired == ledger.released);
}

TEST_CASE("conformance: end of stream is sticky", "[conformance]") {
    Ledger ledger;
    LoadedPlugin plugin(config().plugin);
    SourceScope scope(plugin, default_options());
    FerryStream stream{};
    open_ok(plugin, scope.source, default_dataset(), default_request(), stream, ledger);
    read_to_end(stream, ledger);
    for (int repeat = 0; repeat < 3; ++repeat) {
        FerryBatch batch{};
        FerryError error{};
        CHECK(stream.get_next(&stream, &batch, &error) == FERRY_OK);
        CHECK(batch.release == nullptr);
    }
    ledger.release(&stream);
    CHECK(ledger.acquired == ledger.released);
}

TEST_CASE("conformance: cancel stops a stream, from any thread", "[conformance]") {
    Ledger ledger;
    LoadedPlugin plugin(config().plugin);
    SourceScope scope(plugin, default_options());
    const nlohmann::json request = default_request();

    SECTION("cancel before the first batch") {
        FerryStream stream{};
        open_ok(plugin, scope.source, default_dataset(), request, stream, ledger);
        stream.cancel(&stream);
        stream.cancel(&stream); // twice is fine
        FerryBatch batch{};
        FerryError error{};
        const FerryStatus code = stream.get_next(&stream, &batch, &error);
        CHECK((code == FERRY_E_CANCELLED || (code == FERRY_OK && batch.release == nullptr)));
        error_has_message(error);
        ledger.release(&stream);
    }

    SECTION("cancel from another thread while reading") {
        FerryStream stream{};
        open_ok(plugin, scope.source, default_dataset(), request, stream, ledger);
        std::thread canceller([&stream] { stream.cancel(&stream); });
        canceller.join();
        // After cancel the stream must end or fail with CANCELLED within a few calls.
        bool stopped = false;
        for (int call = 0; call < 3 && !stopped; ++call) {
            FerryError error{};
            bool ended = false;
            const FerryStatus code = next_discarding(stream, ledger, error, ended);
            error_has_message(error);
            stopped = code == FERRY_E_CANCELLED || ended;
        }
        CHECK(stopped);
        ledger.release(&stream);
    }
    CHECK(ledger.acquired == ledger.released);
}

TEST_CASE("conformance: an unknown dataset is NOT_FOUND with a message", "[conformance]") {
    LoadedPlugin plugin(config().plugin);
    SourceScope scope(plugin, default_options());
    FerryStream stream{};
    FerryError error{};
    CHECK(try_open(plugin, scope.source, "ferry_conformance_no_such_dataset", nullptr, stream,
                   error) == FERRY_E_NOT_FOUND);
    CHECK(stream.release == nullptr);
    CHECK(error_has_message(error));
}

TEST_CASE("conformance: each call can fail with a clear error", "[conformance]") {
    LoadedPlugin plugin(config().plugin);
    nlohmann::json spec;

    SECTION("source_create") {
        if (has_error_case("source_create", spec)) {
            FerrySource source = nullptr;
            FerryError error{};
            const std::string text = spec.at("options").dump();
            CHECK(plugin.api().source_create(&plugin.api(), text.c_str(), &source, &error) !=
                  FERRY_OK);
            CHECK(source == nullptr);
            CHECK(error_has_message(error));
        }
    }
    SECTION("discover") {
        if (has_error_case("discover", spec)) {
            SourceScope scope(plugin, spec.at("options"));
            FerryText text{};
            FerryError error{};
            CHECK(plugin.api().discover(scope.source, &text, &error) != FERRY_OK);
            CHECK(text.release == nullptr);
            CHECK(error_has_message(error));
        }
    }
    SECTION("open_stream") {
        if (has_error_case("open_stream", spec)) {
            SourceScope scope(plugin, spec.value("options", default_options()));
            FerryStream stream{};
            FerryError error{};
            CHECK(try_open(plugin, scope.source, spec.value("dataset", default_dataset()),
                           spec.value("request", nlohmann::json()), stream, error) != FERRY_OK);
            CHECK(stream.release == nullptr);
            CHECK(error_has_message(error));
        }
    }
    SECTION("get_next") {
        if (has_error_case("get_next", spec)) {
            Ledger ledger;
            SourceScope scope(plugin, spec.value("options", default_options()));
            FerryStream stream{};
            open_ok(plugin, scope.source, spec.value("dataset", default_dataset()),
                    spec.value("request", nlohmann::json()), stream, ledger);
            FerryStatus code = FERRY_OK;
            FerryError error{};
            bool ended = false;
            for (int call = 0; call < 10000 && code == FERRY_OK && !ended; ++call) {
                code = next_discarding(stream, ledger, error, ended); // ended: no promised error
            }
            CHECK(code != FERRY_OK);
            CHECK(error_has_message(error));
            ledger.release(&stream);
        }
    }
}

TEST_CASE("conformance: read = delivered + rejected, record numbers unique", "[conformance]") {
    nlohmann::json spec;
    if (!runnable(config().raw.value("rejects", nlohmann::json()), "rejects cannot be provoked",
                  spec)) {
        return;
    }
    Ledger ledger;
    LoadedPlugin plugin(config().plugin);
    SourceScope scope(plugin, spec.value("options", default_options()));
    FerryStream stream{};
    open_ok(plugin, scope.source, spec.value("dataset", default_dataset()),
            spec.value("request", nlohmann::json()), stream, ledger);
    const Totals totals = read_to_end(stream, ledger);
    ledger.release(&stream);
    CHECK(totals.delivered + totals.rejected + totals.skipped == totals.read);
    CHECK_FALSE(totals.duplicate_record_no);
    CHECK(static_cast<std::int64_t>(totals.record_nos.size()) + totals.skipped == totals.read);
    CHECK(totals.rejected >= spec.value("min_rejected", std::int64_t{1}));
    if (spec.contains("read")) {
        CHECK(totals.read == spec["read"].get<std::int64_t>());
    }
}

// ---- ABI 1.1: source accounting, skipped records, partitions --------------------------------

namespace {

bool speaks_1_1() {
    LoadedPlugin plugin(config().plugin);
    return plugin.api().abi_version >= FERRY_ABI_VERSION_1_1;
}

/// The config's case for an ABI 1.1 check under `key`: false for a 1.0 plugin (nothing to
/// check) or a quirk (printed), and a failure when the config has neither.
bool case_1_1(const char* key, const std::string& what, nlohmann::json& spec) {
    return speaks_1_1() && runnable(config().raw.value(key, nlohmann::json()), what, spec);
}

/// The stream's report, parsed; fails the test on a malformed one.
ferry::StreamReport report_of(FerryStream& stream, Ledger& ledger) {
    REQUIRE(stream.get_report != nullptr);
    FerryText text{};
    FerryError error{};
    const FerryStatus code = stream.get_report(&stream, &text, &error);
    INFO("get_report: " << (error.message ? error.message : ""));
    REQUIRE(code == FERRY_OK);
    ledger.take(text);
    const std::string json(text.data, text.size);
    ledger.release(&text);
    INFO("report " << json);
    const auto report = ferry::StreamReport::parse(nlohmann::json::parse(json));
    INFO(report.status().to_string());
    REQUIRE(report.ok());
    return *report;
}

/// Reads a dataset to its end through the raw ABI and returns the host's verdict.
ferry::Reconciliation read_and_reconcile(const nlohmann::json& spec, Totals& totals) {
    Ledger ledger;
    LoadedPlugin plugin(config().plugin);
    SourceScope scope(plugin, spec.value("options", default_options()));
    FerryStream stream{};
    open_ok(plugin, scope.source, spec.value("dataset", default_dataset()),
            spec.value("request", default_request()), stream, ledger);
    (void)report_of(stream, ledger); // before the first batch too
    totals = read_to_end(stream, ledger);
    const ferry::StreamReport report = report_of(stream, ledger);
    ledger.release(&stream);
    CHECK(ledger.acquired == ledger.released);
    return ferry::reconcile(report,
                            {totals.read, totals.delivered, totals.rejected, totals.skipped});
}

} // namespace

TEST_CASE("conformance: the stream reports what its source declares (ABI 1.1)", "[conformance]") {
    if (!speaks_1_1()) {
        WARN("a 1.0 plugin: no source accounting, every stream is unverified");
        return;
    }
    nlohmann::json spec;
    if (!case_1_1("accounting", "the default read's verdict", spec)) {
        return;
    }
    Totals totals;
    const ferry::Reconciliation verdict = read_and_reconcile(spec, totals);
    INFO(verdict.to_json().dump());
    CHECK(totals.delivered + totals.rejected + totals.skipped == totals.read);
    CHECK(std::string(ferry::to_string(verdict.verdict)) ==
          spec.value("verdict", std::string("reconciled")));
}

TEST_CASE("conformance: declared figures that disagree are unreconciled in every host",
          "[conformance]") {
    nlohmann::json spec;
    if (!case_1_1("unreconciled", "a source whose declared figures disagree with its records",
                  spec)) {
        return;
    }
    Totals totals;
    const ferry::Reconciliation verdict = read_and_reconcile(spec, totals);
    INFO(verdict.to_json().dump());
    CHECK(verdict.verdict == ferry::Verdict::Unreconciled);
    CHECK_FALSE(verdict.summary().empty());

    // The SDK's host fails such a stream at its end, naming the figures.
    auto library = ferry::PluginLibrary::load(config().plugin);
    REQUIRE(library.ok());
    auto source = library->create_source(spec.value("options", default_options()));
    REQUIRE(source.ok());
    auto reader = source->open_stream(spec.value("dataset", default_dataset()),
                                      spec.value("request", default_request()));
    REQUIRE(reader.ok());
    ferry::Status ended;
    for (;;) {
        auto batch = reader->next();
        if (!batch.ok()) {
            ended = batch.status();
            break;
        }
        if (!*batch) {
            break;
        }
    }
    INFO(ended.to_string());
    CHECK(ended.code() == ferry::StatusCode::Data);
    CHECK(ended.message().find("unreconciled: " + verdict.summary()) != std::string::npos);
    REQUIRE(reader->reconciliation().has_value());
    CHECK(reader->reconciliation()->verdict == ferry::Verdict::Unreconciled);
}

TEST_CASE("conformance: skipped records reconcile", "[conformance]") {
    nlohmann::json spec;
    if (!case_1_1("skipped", "the source has no records to skip", spec)) {
        return;
    }
    Totals totals;
    const ferry::Reconciliation verdict = read_and_reconcile(spec, totals);
    INFO(verdict.to_json().dump());
    CHECK(totals.skipped >= spec.value("min_skipped", std::int64_t{1}));
    CHECK(totals.delivered + totals.rejected + totals.skipped == totals.read);
    CHECK(verdict.verdict != ferry::Verdict::Unreconciled);
    std::int64_t by_reason = 0;
    for (const auto& [reason, count] : verdict.skipped) {
        CHECK_FALSE(reason.empty());
        by_reason += count;
    }
    CHECK(by_reason == totals.skipped);
}

TEST_CASE("conformance: a dataset's partitions hold its records once", "[conformance]") {
    nlohmann::json spec;
    if (!case_1_1("partitions", "partitions", spec)) {
        return;
    }
    auto library = ferry::PluginLibrary::load(config().plugin);
    REQUIRE(library.ok());
    auto source = library->create_source(spec.value("options", default_options()));
    REQUIRE(source.ok());
    const std::string dataset = spec.value("dataset", default_dataset());
    const nlohmann::json request = spec.value("request", default_request());
    auto count = [&](const nlohmann::json& piece_request) {
        auto reader = source->open_stream(dataset, piece_request);
        REQUIRE(reader.ok());
        for (;;) {
            auto batch = reader->next();
            INFO(batch.status().to_string());
            REQUIRE(batch.ok());
            if (!*batch) {
                break;
            }
        }
        return reader->records_read();
    };
    auto pieces = source->list_partitions(dataset, request);
    INFO(pieces.status().to_string());
    REQUIRE(pieces.ok());
    REQUIRE_FALSE(pieces->empty());
    CHECK(pieces->size() >= spec.value("min_pieces", std::size_t{1}));
    std::set<std::string> ids;
    std::int64_t in_pieces = 0;
    for (const ferry::Partition& piece : *pieces) {
        CHECK(ids.insert(piece.id).second);
        in_pieces += count(ferry::merge_request(request, piece.request));
    }
    CHECK(in_pieces == count(request));
}

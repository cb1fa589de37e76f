// SPDX-License-Identifier: Apache-2.0
// plugin_library_test.cpp — the host side: loading, every distinct load error, fenced
// exceptions, options validation, discovery, streams, lookups, resume, limits and cancel.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ferry/plugin_library.h"

extern "C" FerryStatus
FerryPluginSyntheticPersonsInit(std::uint32_t, const FerryHostApi*, FerryPluginApi*, FerryError*);

namespace {

using Catch::Matchers::Contains;

ferry::PluginLibrary load_ok(const std::string& path) {
    auto plugin = ferry::PluginLibrary::load(path);
    INFO(plugin.status().to_string());
    REQUIRE(plugin.ok());
    return *plugin;
}

struct Drained {
    std::vector<std::string> person_ids;
    std::vector<std::int64_t> record_nos;
    std::vector<std::int64_t> reject_record_nos;
    std::string last_checkpoint;
    std::int64_t batches = 0;
};

Drained drain(ferry::BatchReader& reader) {
    Drained out;
    for (;;) {
        auto batch = reader.next();
        INFO(batch.status().to_string());
        REQUIRE(batch.ok());
        if (!batch->has_value()) {
            break;
        }
        const ferry::Batch& b = **batch;
        ++out.batches;
        for (std::int64_t row = 0; row < b.num_rows(); ++row) {
            out.person_ids.emplace_back(b.column(0).text(row));
            out.record_nos.push_back(b.record_no(row));
        }
        for (const FerryReject& reject : b.rejects()) {
            out.reject_record_nos.push_back(reject.record_no);
        }
        if (b.checkpoint()) {
            out.last_checkpoint = std::string(*b.checkpoint());
        }
    }
    return out;
}

} // namespace

TEST_CASE("a missing plugin file is NotFound", "[host]") {
    auto plugin = ferry::PluginLibrary::load("/nonexistent/dir/ferry_adapter_nothing.so");
    REQUIRE_FALSE(plugin.ok());
    CHECK(plugin.status().code() == ferry::StatusCode::NotFound);
    CHECK_THAT(plugin.status().message(), Contains("plugin file not found"));
}

TEST_CASE("a file that is not a shared object is not a Ferry plugin", "[host]") {
    const auto path = std::filesystem::temp_directory_path() / "ferry_test_not_elf.so";
    std::ofstream(path) << "this is text, not ELF\n";
    auto plugin = ferry::PluginLibrary::load(path.string());
    std::filesystem::remove(path);
    REQUIRE_FALSE(plugin.ok());
    CHECK(plugin.status().code() == ferry::StatusCode::InvalidArgument);
    CHECK_THAT(plugin.status().message(), Contains("not a Ferry plugin"));
}

TEST_CASE("a shared object without FerryPluginInit is not a Ferry plugin", "[host]") {
    auto plugin = ferry::PluginLibrary::load(FERRY_FIXTURE_NOT_A_PLUGIN);
    REQUIRE_FALSE(plugin.ok());
    CHECK(plugin.status().code() == ferry::StatusCode::InvalidArgument);
    CHECK_THAT(plugin.status().message(), Contains("does not export FerryPluginInit"));
}

TEST_CASE("an unsupported ABI version names both versions", "[host]") {
    auto plugin = ferry::PluginLibrary::load(FERRY_FIXTURE_FUTURE_ABI);
    REQUIRE_FALSE(plugin.ok());
    CHECK(plugin.status().code() == ferry::StatusCode::NotImplemented);
    CHECK_THAT(plugin.status().message(), Contains("requires Ferry plugin ABI 2.0"));
    CHECK_THAT(plugin.status().message(), Contains("this host supports 1.2, 1.1, 1.0"));
}

TEST_CASE("an init failure carries the plugin's own message and code", "[host]") {
    auto plugin = ferry::PluginLibrary::load(FERRY_FIXTURE_INIT_FAILS);
    REQUIRE_FALSE(plugin.ok());
    CHECK(plugin.status().code() == ferry::StatusCode::Unavailable);
    CHECK_THAT(plugin.status().message(), Contains("failed to initialise"));
    CHECK_THAT(plugin.status().message(), Contains("licence file /etc/example.lic is missing"));
}

TEST_CASE("exceptions thrown by plugin code become Internal errors", "[host]") {
    const ferry::PluginLibrary plugin = load_ok(FERRY_FIXTURE_THROWING);

    auto created = plugin.create_source({{"throw_in", "create"}});
    REQUIRE_FALSE(created.ok());
    CHECK(created.status().code() == ferry::StatusCode::Internal);
    CHECK_THAT(created.status().message(), Contains("plugin threw: boom in create"));

    auto discovering = plugin.create_source({{"throw_in", "discover"}});
    REQUIRE(discovering.ok());
    auto catalog = discovering->discover();
    REQUIRE_FALSE(catalog.ok());
    CHECK_THAT(catalog.status().message(), Contains("boom in discover"));

    auto opening = plugin.create_source({{"throw_in", "open_stream"}});
    REQUIRE(opening.ok());
    auto stream = opening->open_stream("t");
    REQUIRE_FALSE(stream.ok());
    CHECK_THAT(stream.status().message(), Contains("boom in open_stream"));

    auto filling = plugin.create_source({{"throw_in", "fill"}});
    REQUIRE(filling.ok());
    auto reader = filling->open_stream("t");
    REQUIRE(reader.ok());
    auto batch = reader->next();
    REQUIRE_FALSE(batch.ok());
    CHECK(batch.status().code() == ferry::StatusCode::Internal);
    CHECK_THAT(batch.status().message(), Contains("non-standard exception"));
}

TEST_CASE("a plain C plugin built against the frozen 1.0 headers still loads", "[host][compat]") {
    const ferry::PluginLibrary plugin = load_ok(FERRY_FIXTURE_C_MINIMAL);
    CHECK(plugin.name() == "c_minimal");
    CHECK(plugin.abi_version() == FERRY_ABI_VERSION_1_0);
    auto source = plugin.create_source(nlohmann::json::object());
    REQUIRE(source.ok());
    auto reader = source->open_stream("numbers");
    REQUIRE(reader.ok());
    auto batch = reader->next();
    REQUIRE(batch.ok());
    REQUIRE(batch->has_value());
    REQUIRE((*batch)->num_rows() == 3);
    CHECK((*batch)->column(0).int64(2) == 3);
    CHECK((*batch)->record_no(2) == 4);
    REQUIRE((*batch)->rejects().size() == 1);
    CHECK((*batch)->rejects()[0].record_no == 3);
    auto end = reader->next();
    REQUIRE(end.ok());
    CHECK_FALSE(end->has_value());
    CHECK(reader->records_read() == 4);
    // ABI 1.1 services degrade to what a 1.0 plugin can say: nothing declared, no skips, and
    // the whole dataset as its one partition.
    CHECK(reader->records_skipped() == 0);
    REQUIRE(reader->reconciliation().has_value());
    CHECK(reader->reconciliation()->verdict == ferry::Verdict::Unverified);
    auto pieces = source->list_partitions("numbers");
    REQUIRE(pieces.ok());
    REQUIRE(pieces->size() == 1);
    CHECK((*pieces)[0].request == nlohmann::json::object());
}

TEST_CASE("a 1.1 plugin asked for 1.0 never writes past the 1.0 structs", "[host][compat]") {
    // What an older host sees: the 1.0 table, 1.0 streams and batches whose records_read
    // leaves skipped records out, so the 1.0 invariant read = delivered + rejected holds.
    FerryHostApi host{};
    host.abi_version = FERRY_ABI_VERSION_1_0;
    host.struct_size = offsetof(FerryHostApi, log) + sizeof host.log;
    FerryPluginApi api{};
    FerryError error{};
    REQUIRE(FerryPluginSyntheticPersonsInit(FERRY_ABI_VERSION_1_0, &host, &api, &error) ==
            FERRY_OK);
    CHECK(api.abi_version == FERRY_ABI_VERSION_1_0);
    CHECK(api.struct_size == offsetof(FerryPluginApi, list_partitions));
    CHECK(api.list_partitions == nullptr);
    FerrySource source = nullptr;
    REQUIRE(api.source_create(&api, R"({"count": 20, "vacant_every": 5, "dirty_every": 7})",
                              &source, &error) == FERRY_OK);
    FerryStream stream{};
    std::memset(static_cast<void*>(&stream.get_report), 0xAB, sizeof stream.get_report);
    REQUIRE(api.open_stream(source, "persons", nullptr, &stream, &error) == FERRY_OK);
    void* untouched = nullptr;
    std::memset(static_cast<void*>(&untouched), 0xAB, sizeof untouched);
    CHECK(std::memcmp(&stream.get_report, &untouched, sizeof untouched) == 0);
    std::int64_t read = 0, delivered = 0, rejected = 0;
    for (;;) {
        FerryBatch batch{};
        batch.records_skipped = -77; // a 1.0 host's struct ends before it
        REQUIRE(stream.get_next(&stream, &batch, &error) == FERRY_OK);
        if (batch.release == nullptr) {
            break;
        }
        CHECK(batch.records_skipped == -77);
        CHECK(batch.data.length + batch.n_rejects == batch.records_read);
        read += batch.records_read;
        delivered += batch.data.length;
        rejected += batch.n_rejects;
        batch.release(&batch);
    }
    CHECK(read == 16); // 20 slots, 4 of them vacant
    CHECK(delivered == 14);
    CHECK(rejected == 2);
    stream.release(&stream);
    api.source_destroy(source);
    api.release(&api);
}

TEST_CASE("a 1.2 plugin asked for 1.1 never writes the 1.2 batch field", "[host][compat]") {
    FerryHostApi host{};
    host.abi_version = FERRY_ABI_VERSION_1_1;
    host.struct_size = sizeof host;
    FerryPluginApi api{};
    FerryError error{};
    REQUIRE(FerryPluginSyntheticPersonsInit(FERRY_ABI_VERSION_1_1, &host, &api, &error) ==
            FERRY_OK);
    CHECK(api.abi_version == FERRY_ABI_VERSION_1_1);
    FerrySource source = nullptr;
    REQUIRE(api.source_create(&api, R"({"count": 10})", &source, &error) == FERRY_OK);
    FerryStream stream{};
    REQUIRE(api.open_stream(source, "persons", nullptr, &stream, &error) == FERRY_OK);
    const std::uint8_t* const sentinel[] = {nullptr};
    FerryBatch batch{};
    batch.absent = sentinel; // a 1.1 host's struct ends before it
    REQUIRE(stream.get_next(&stream, &batch, &error) == FERRY_OK);
    REQUIRE(batch.release != nullptr);
    CHECK(batch.absent == sentinel);
    CHECK(batch.records_read == 10);
    batch.release(&batch);
    stream.release(&stream);
    api.source_destroy(source);
    api.release(&api);
}

TEST_CASE("options are validated against the plugin's options schema", "[host]") {
    const ferry::PluginLibrary plugin = load_ok(FERRY_PLUGIN_SYNTHETIC_PERSONS);
    auto source = plugin.create_source({{"count", -5}, {"colour", "blue"}});
    REQUIRE_FALSE(source.ok());
    CHECK(source.status().code() == ferry::StatusCode::InvalidArgument);
    CHECK_THAT(source.status().message(),
               Contains("options do not match plugin synthetic_persons"));
    CHECK_THAT(source.status().message(), Contains("/count"));
}

TEST_CASE("the example adapter streams, reconciles, looks up and resumes", "[host]") {
    const ferry::PluginLibrary plugin = load_ok(FERRY_PLUGIN_SYNTHETIC_PERSONS);
    CHECK(plugin.name() == "synthetic_persons");
    auto source = plugin.create_source({{"count", 1000}, {"dirty_every", 7}});
    REQUIRE(source.ok());

    auto catalog = source->discover();
    REQUIRE(catalog.ok());
    CHECK((*catalog)["datasets"][0]["name"] == "persons");

    auto reader = source->open_stream("persons", {{"batch_rows", 128}});
    REQUIRE(reader.ok());
    const Drained all = drain(*reader);
    CHECK(reader->records_read() == 1000);
    CHECK(reader->records_rejected() == 1000 / 7);
    CHECK(reader->records_delivered() + reader->records_rejected() == reader->records_read());
    CHECK(all.batches == 8); // ceil(1000 / 128)
    CHECK(all.reject_record_nos.front() == 7);

    SECTION("a lookup returns exactly the record a full read returned") {
        auto one = source->open_stream("persons", {{"lookup", {{"person_id", "P00000043"}}}});
        REQUIRE(one.ok());
        const Drained found = drain(*one);
        REQUIRE(found.person_ids == std::vector<std::string>{"P00000043"});
        const auto row = std::find(all.person_ids.begin(), all.person_ids.end(), "P00000043");
        CHECK(row != all.person_ids.end());

        // Record 42 is dirty (42 % 7 == 0): its lookup answers with the reject, not a record.
        auto dirty = source->open_stream("persons", {{"lookup", {{"person_id", "P00000042"}}}});
        REQUIRE(dirty.ok());
        const Drained rejected = drain(*dirty);
        CHECK(rejected.person_ids.empty());
        CHECK(rejected.reject_record_nos == std::vector<std::int64_t>{42});
    }

    SECTION("resuming from any checkpoint delivers the rest exactly once") {
        auto first = source->open_stream("persons", {{"batch_rows", 300}, {"limit", 300}});
        REQUIRE(first.ok());
        const Drained head = drain(*first);
        REQUIRE_FALSE(head.last_checkpoint.empty());
        auto rest = source->open_stream("persons",
                                        {{"resume", nlohmann::json::parse(head.last_checkpoint)}});
        REQUIRE(rest.ok());
        const Drained tail = drain(*rest);
        std::vector<std::string> joined = head.person_ids;
        joined.insert(joined.end(), tail.person_ids.begin(), tail.person_ids.end());
        CHECK(joined == all.person_ids);
    }

    SECTION("an unknown dataset is NotFound and names the dataset") {
        auto missing = source->open_stream("pensions");
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.status().code() == ferry::StatusCode::NotFound);
        CHECK_THAT(missing.status().message(), Contains("pensions"));
    }

    SECTION("an unknown request key is InvalidArgument") {
        auto bad = source->open_stream("persons", {{"limt", 5}});
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.status().code() == ferry::StatusCode::InvalidArgument);
        CHECK_THAT(bad.status().message(), Contains("unknown request key \"limt\""));
    }
}

TEST_CASE("cancel stops a stream promptly", "[host]") {
    const ferry::PluginLibrary plugin = load_ok(FERRY_PLUGIN_SYNTHETIC_PERSONS);
    auto source = plugin.create_source({{"count", 1000000}});
    REQUIRE(source.ok());
    auto reader = source->open_stream("persons", {{"batch_rows", 100}});
    REQUIRE(reader.ok());
    auto first = reader->next();
    REQUIRE(first.ok());
    reader->cancel();
    auto after = reader->next();
    REQUIRE_FALSE(after.ok());
    CHECK(after.status().code() == ferry::StatusCode::Cancelled);
}

TEST_CASE("a statically linked adapter works through from_init", "[host]") {
    std::vector<std::string> logged;
    auto plugin = ferry::PluginLibrary::from_init(&FerryPluginSyntheticPersonsInit, "static");
    REQUIRE(plugin.ok());
    auto source = plugin->create_source({{"count", 3}});
    REQUIRE(source.ok());
    auto reader = source->open_stream("persons");
    REQUIRE(reader.ok());
    CHECK(drain(*reader).person_ids.size() == 3);
}

TEST_CASE("batches and streams may outlive the handles that made them", "[host]") {
    std::optional<ferry::Batch> kept;
    {
        const ferry::PluginLibrary plugin = load_ok(FERRY_PLUGIN_SYNTHETIC_PERSONS);
        auto source = plugin.create_source({{"count", 5}});
        REQUIRE(source.ok());
        auto reader = source->open_stream("persons");
        REQUIRE(reader.ok());
        auto batch = reader->next();
        REQUIRE(batch.ok());
        kept = std::move(**batch);
    } // library, source and stream handles are gone; the batch keeps the plugin loaded
    REQUIRE(kept->num_rows() == 5);
    CHECK(kept->column(0).text(4) == "P00000005");
}

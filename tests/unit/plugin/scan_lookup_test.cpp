// SPDX-License-Identifier: Apache-2.0
// scan_lookup_test.cpp — filter_by_key over a scan: typed key comparison, rejects carried over,
// batch capacity, checkpoints, unique keys, cancel, and bad lookups.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ferry/batch.h"
#include "ferry/plugin/scan_lookup.h"

namespace {

using ferry::BatchBuilder;
using ferry::Value;
using ferry::plugin::Stream;

ferry::Schema people_schema() {
    return ferry::Schema({
        {"id", ferry::DataType::utf8(), false},
        {"n", ferry::DataType::int64(), false},
        {"amount", ferry::DataType::decimal128(10, 2).value(), true},
        {"born", ferry::DataType::date32(), true},
    });
}

/// What a scan of `count` records holds: record n has id "P<n>", n, amount n × 1.5 and born
/// 2020-01-01 + n days; every record whose number is in `dirty` is a reject instead. It sets the
/// checkpoint {"next": n} after each batch and counts the records it read in `read`.
struct Scan {
    std::int64_t count = 10;
    std::vector<std::int64_t> dirty = {3, 7};
    std::shared_ptr<std::int64_t> read = std::make_shared<std::int64_t>(0);
    std::shared_ptr<bool> cancelled = std::make_shared<bool>(false);

    std::unique_ptr<Stream> open() const {
        return ferry::plugin::make_stream(
            people_schema(),
            [*this, next = std::int64_t{1}](BatchBuilder& out,
                                            const Stream& self) mutable -> ferry::Result<bool> {
                *cancelled = self.cancelled();
                while (next <= count && !out.full() && !self.cancelled()) {
                    const std::int64_t record_no = next++;
                    ++*read;
                    if (std::find(dirty.begin(), dirty.end(), record_no) != dirty.end()) {
                        FERRY_RETURN_IF_ERROR(out.reject(
                            record_no, {"amount", "number", "offset 2: not a digit",
                                        "scan.dat:" + std::to_string(record_no), "12a4"}));
                        continue;
                    }
                    const Value values[] = {
                        Value::text("P" + std::to_string(record_no)).value(),
                        Value::int64(record_no),
                        Value::decimal(ferry::Decimal::from_unscaled(record_no * 150, 2).value()),
                        Value::date(
                            ferry::Date::from_days(18262 + static_cast<std::int32_t>(record_no))),
                    };
                    FERRY_RETURN_IF_ERROR(out.append_record(record_no, values));
                }
                out.set_checkpoint(std::string("{\"next\":") + std::to_string(next) + "}");
                return next <= count;
            });
    }
};

/// Everything a stream delivers, read through batches of `capacity` records.
struct Drained {
    std::vector<std::int64_t> delivered;
    std::vector<std::int64_t> rejected;
    std::vector<ferry::Reject> rejects;
    std::vector<std::vector<Value>> rows;
    std::vector<std::string> checkpoints;
    std::int64_t read = 0;
    std::int64_t largest_batch = 0;
};

Drained drain(Stream& stream, std::int64_t capacity) {
    const auto schema = std::make_shared<const ferry::Schema>(stream.schema());
    BatchBuilder out(stream.schema(), capacity);
    Drained drained;
    for (bool more = true; more;) {
        const ferry::Result<bool> filled = stream.fill(out);
        INFO(filled.status().to_string());
        REQUIRE(filled.ok());
        more = *filled;
        if (out.empty()) {
            continue;
        }
        FerryBatch raw{};
        REQUIRE(out.finish(&raw).ok());
        const ferry::Batch batch(std::move(raw), schema, nullptr);
        const ferry::Status valid =
            ferry::validate_batch(batch.raw(), *schema, ferry::BatchCheck::Full);
        INFO(valid.to_string());
        REQUIRE(valid.ok());
        drained.read += batch.records_read();
        drained.largest_batch = std::max(drained.largest_batch, batch.records_read());
        for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
            drained.delivered.push_back(batch.record_no(row));
            std::vector<Value> values;
            for (std::size_t column = 0; column < schema->size(); ++column) {
                values.push_back(batch.column(column).value(row));
            }
            drained.rows.push_back(std::move(values));
        }
        for (const FerryReject& reject : batch.rejects()) {
            drained.rejected.push_back(reject.record_no);
            drained.rejects.emplace_back(reject.field, reject.rule, reject.reason,
                                         reject.location == nullptr ? "" : reject.location,
                                         std::string(static_cast<const char*>(reject.raw),
                                                     static_cast<std::size_t>(reject.raw_size)),
                                         static_cast<ferry::StatusCode>(reject.code));
        }
        if (const auto checkpoint = batch.checkpoint()) {
            drained.checkpoints.emplace_back(*checkpoint);
        }
    }
    return drained;
}

std::unique_ptr<Stream> filtered(const Scan& scan,
                                 const nlohmann::json& lookup,
                                 ferry::plugin::ScanLookupOptions options = {}) {
    auto stream = ferry::plugin::filter_by_key(scan.open(), lookup, options);
    INFO(stream.status().to_string());
    REQUIRE(stream.ok());
    return std::move(stream).value();
}

ferry::Status lookup_error(const nlohmann::json& lookup) {
    return ferry::plugin::filter_by_key(Scan().open(), lookup).status();
}

} // namespace

TEST_CASE("filter_by_key delivers the matching record and carries every reject over",
          "[scan_lookup]") {
    const Scan scan;
    auto stream = filtered(scan, {{"id", "P5"}});
    CHECK(stream->schema() == people_schema());
    const Drained drained = drain(*stream, 4096);
    CHECK(drained.delivered == std::vector<std::int64_t>{5});
    REQUIRE(drained.rows.size() == 1);
    CHECK(drained.rows[0][1] == Value::int64(5));
    CHECK(drained.rows[0][2].to_string() == "7.50");
    // A rejected record's key is unknown: it may have been the one sought, so it is reported.
    CHECK(drained.rejected == std::vector<std::int64_t>{3, 7});
    CHECK(drained.read == 3); // delivered + rejected; the 7 non-matching records are not counted
    CHECK(*scan.read == 10);  // it scanned everything
    REQUIRE(drained.rejects.size() == 2);
    CHECK(drained.rejects[0].field == "amount");
    CHECK(drained.rejects[0].rule == "number");
    CHECK(drained.rejects[0].reason == "offset 2: not a digit");
    CHECK(drained.rejects[0].location == "scan.dat:3");
    CHECK(drained.rejects[0].raw == std::optional<std::string>("12a4"));
    CHECK(drained.rejects[0].code == ferry::StatusCode::Data);
}

TEST_CASE("filter_by_key compares keys by the field's type", "[scan_lookup]") {
    const Scan scan;
    CHECK(drain(*filtered(scan, {{"n", 6}}), 100).delivered == std::vector<std::int64_t>{6});
    CHECK(drain(*filtered(scan, {{"n", "6"}}), 100).delivered == std::vector<std::int64_t>{6});
    // Decimals compare numerically: 9.0, "9.00" and 9 are the same amount (record 6).
    CHECK(drain(*filtered(scan, {{"amount", "9.0"}}), 100).delivered ==
          std::vector<std::int64_t>{6});
    CHECK(drain(*filtered(scan, {{"amount", 9}}), 100).delivered == std::vector<std::int64_t>{6});
    CHECK(drain(*filtered(scan, {{"amount", 12.0}}), 100).delivered ==
          std::vector<std::int64_t>{8});
    CHECK(drain(*filtered(scan, {{"born", "2020-01-09"}}), 100).delivered ==
          std::vector<std::int64_t>{8});
    // Field names match case-insensitively, as Schema::index_of does; all keys must match.
    CHECK(drain(*filtered(scan, {{"ID", "P8"}, {"n", 8}}), 100).delivered ==
          std::vector<std::int64_t>{8});
    CHECK(drain(*filtered(scan, {{"id", "P8"}, {"n", 9}}), 100).delivered.empty());
    // Text compares exactly: no trimming, no case folding.
    CHECK(drain(*filtered(scan, {{"id", "p8"}}), 100).delivered.empty());
    CHECK(drain(*filtered(scan, {{"id", "P8 "}}), 100).delivered.empty());
}

TEST_CASE("filter_by_key never overfills a batch and passes checkpoints on", "[scan_lookup]") {
    Scan scan;
    scan.count = 50;
    scan.dirty = {2, 4, 6, 8, 10, 12};
    const Drained drained = drain(*filtered(scan, {{"n", 11}}), 2);
    CHECK(drained.delivered == std::vector<std::int64_t>{11});
    CHECK(drained.rejected == scan.dirty);
    CHECK(drained.read == 7);
    CHECK(drained.largest_batch <= 2);
    REQUIRE_FALSE(drained.checkpoints.empty());
    CHECK(drained.checkpoints.back() == "{\"next\":51}");
}

TEST_CASE("filter_by_key with a unique key stops scanning after the batch of the match",
          "[scan_lookup]") {
    Scan scan;
    scan.count = 1000;
    ferry::plugin::ScanLookupOptions unique;
    unique.unique_key = true;
    const Drained drained = drain(*filtered(scan, {{"id", "P20"}}, unique), 10);
    CHECK(drained.delivered == std::vector<std::int64_t>{20});
    CHECK(*scan.read < 1000);
    Scan whole;
    whole.count = 1000;
    drain(*filtered(whole, {{"id", "P20"}}), 10);
    CHECK(*whole.read == 1000);
}

TEST_CASE("filter_by_key passes a cancel on to the scan", "[scan_lookup]") {
    const Scan scan;
    auto stream = filtered(scan, {{"id", "P5"}});
    stream->cancel();
    BatchBuilder out(stream->schema(), 10);
    const ferry::Result<bool> more = stream->fill(out);
    REQUIRE(more.ok());
    CHECK(out.empty());
    CHECK(*scan.read == 0);
}

TEST_CASE("filter_by_key refuses lookups it cannot compare", "[scan_lookup]") {
    const ferry::Status unknown = lookup_error({{"idd", "P5"}});
    CHECK(unknown.code() == ferry::StatusCode::InvalidArgument);
    CHECK(unknown.message() == "lookup names no field of the dataset: \"idd\" (did you mean "
                               "\"id\"?)");
    CHECK(lookup_error({{"n", "five"}}).message() ==
          "lookup \"n\": the field is int64: give an integer in the int64 range, or its digits "
          "as a string");
    CHECK(lookup_error({{"n", 9223372036854775808ULL}}).code() ==
          ferry::StatusCode::InvalidArgument);
    CHECK(lookup_error({{"id", 5}}).message() == "lookup \"id\": the field is text: give a string");
    CHECK(lookup_error({{"amount", "12a4"}})
              .message()
              .starts_with("lookup \"amount\": not a decimal(10,2): "));
    CHECK(lookup_error({{"born", "2020-13-01"}})
              .message()
              .starts_with("lookup \"born\": not a date: "));
    CHECK(lookup_error({{"born", nullptr}}).message() ==
          "lookup \"born\": is null; a key lookup needs a value");
    CHECK(lookup_error({{"born", nullptr}}).field() == "born");
    CHECK(lookup_error(nlohmann::json::object()).code() == ferry::StatusCode::InvalidArgument);
    CHECK(lookup_error(nlohmann::json::array({"P5"})).code() == ferry::StatusCode::InvalidArgument);
    CHECK(ferry::plugin::filter_by_key(nullptr, {{"id", "P5"}}).status().code() ==
          ferry::StatusCode::Internal);
}

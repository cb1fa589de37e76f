// SPDX-License-Identifier: Apache-2.0
// batch_builder_test.cpp — the record protocol, every column type through the Arrow layout and
// back, and validate_batch catching broken batches.
#include <catch2/catch.hpp>

#include "ferry/batch.h"
#include "ferry/batch_builder.h"

namespace {

ferry::Schema all_types() {
    return ferry::Schema({
        {"flag", ferry::DataType::boolean(), true},
        {"count", ferry::DataType::int64(), true},
        {"amount", ferry::DataType::decimal128(14, 2).value(), true},
        {"day", ferry::DataType::date32(), true},
        {"at", ferry::DataType::timestamp_micros(), true},
        {"name", ferry::DataType::utf8(), true},
        {"raw", ferry::DataType::binary(), true},
        {"address",
         ferry::DataType::struct_of(
             {{"city", ferry::DataType::utf8(), true}, {"zip", ferry::DataType::int64(), true}}),
         true},
    });
}

ferry::Batch finish(ferry::BatchBuilder& builder) {
    FerryBatch raw{};
    REQUIRE(builder.finish(&raw).ok());
    auto schema = std::make_shared<const ferry::Schema>(builder.schema());
    REQUIRE(ferry::validate_batch(raw, *schema, ferry::BatchCheck::Full).ok());
    return ferry::Batch(std::move(raw), schema, nullptr);
}

} // namespace

TEST_CASE("every column type survives the Arrow layout", "[batch]") {
    ferry::BatchBuilder builder(all_types());
    const auto amount = ferry::Decimal::parse("-4129.90").value();
    const auto day = ferry::Date::from_ymd(2000, 2, 29).value();
    const auto at = ferry::Timestamp::parse_iso("2023-01-05T08:30:00.000250").value();

    REQUIRE(builder.begin_record(1).ok());
    builder.column(0).append_bool(true);
    builder.column(1).append_int64(-42);
    REQUIRE(builder.column(2).append_decimal(amount).ok());
    builder.column(3).append_date(day);
    builder.column(4).append_timestamp(at);
    REQUIRE(builder.column(5).append_text("王伟").ok());
    builder.column(6).append_bytes(std::string("\xd6\xd0\x00", 3));
    builder.column(7).append_struct();
    REQUIRE(builder.column(7).child(0).append_text("北京").ok());
    builder.column(7).child(1).append_int64(100000);
    REQUIRE(builder.commit_record().ok());

    REQUIRE(builder.begin_record(2).ok());
    for (std::size_t col = 0; col < 8; ++col) {
        builder.column(col).append_null();
    }
    REQUIRE(builder.commit_record().ok());

    const ferry::Batch batch = finish(builder);
    REQUIRE(batch.num_rows() == 2);
    CHECK(batch.records_read() == 2);
    CHECK(batch.record_no(1) == 2);
    CHECK(batch.column(0).boolean(0));
    CHECK(batch.column(1).int64(0) == -42);
    CHECK(batch.column(2).decimal(0) == amount);
    CHECK(batch.column(2).decimal(0).to_string() == "-4129.90");
    CHECK(batch.column(3).date(0) == day);
    CHECK(batch.column(4).timestamp(0) == at);
    CHECK(batch.column(5).text(0) == "王伟");
    CHECK(batch.column(6).text(0) == std::string_view("\xd6\xd0\x00", 3));
    CHECK(batch.column(7).child(0).text(0) == "北京");
    CHECK(batch.column(7).child(1).int64(0) == 100000);
    for (std::size_t col = 0; col < 8; ++col) {
        CHECK_FALSE(batch.column(col).is_null(0));
        CHECK(batch.column(col).is_null(1));
        CHECK(batch.column(col).null_count() == 1);
    }
    CHECK(batch.column(2).value(0) == ferry::Value::decimal(amount));
    CHECK(batch.column(5).value(1).is_null());
}

TEST_CASE("a schema exports to ArrowSchema and imports back unchanged", "[batch]") {
    const ferry::Schema schema = all_types();
    ArrowSchema arrow{};
    schema.export_to(&arrow);
    CHECK(std::string(arrow.format) == "+s");
    CHECK(std::string(arrow.children[2]->format) == "d:14,2");
    CHECK(std::string(arrow.children[4]->format) == "tsu:");
    auto back = ferry::Schema::import_from(arrow);
    arrow.release(&arrow);
    CHECK(arrow.release == nullptr);
    REQUIRE(back.ok());
    CHECK(*back == schema);
}

TEST_CASE("a rejected record leaves no cells behind and still counts as read", "[batch]") {
    ferry::BatchBuilder builder(all_types());
    REQUIRE(builder.begin_record(7).ok());
    builder.column(0).append_bool(false);
    builder.column(1).append_null();
    REQUIRE(builder.column(5).append_text("half a record").ok());
    builder.reject_record({"id_number", "check_digit", "check digit mismatch", "people.dat:7",
                           std::string("raw line")});
    REQUIRE(builder.reject(8, {"", "ragged_row", "3 fields, expected 8"}).ok());

    const std::vector<ferry::Value> row(8, ferry::Value::null());
    const ferry::Status appended = builder.append_record(9, row);
    INFO(appended.to_string());
    REQUIRE(appended.ok());

    CHECK(builder.records_read() == 3);
    const ferry::Batch batch = finish(builder);
    CHECK(batch.num_rows() == 1);
    CHECK(batch.record_no(0) == 9);
    CHECK(batch.column(0).null_count() == 1);
    REQUIRE(batch.rejects().size() == 2);
    const FerryReject& first = batch.rejects()[0];
    CHECK(first.record_no == 7);
    CHECK(std::string(first.field) == "id_number");
    CHECK(std::string(first.rule) == "check_digit");
    CHECK(std::string(first.location) == "people.dat:7");
    CHECK(std::string(static_cast<const char*>(first.raw), 8) == "raw line");
    CHECK(first.code == FERRY_E_DATA);
    CHECK(batch.rejects()[1].field == nullptr);
    CHECK(batch.rejects()[1].raw == nullptr);
}

TEST_CASE("the record protocol refuses to lose a record", "[batch]") {
    ferry::BatchBuilder builder(ferry::Schema({{"n", ferry::DataType::int64(), true}}));

    SECTION("a record neither committed nor rejected") {
        REQUIRE(builder.begin_record(1).ok());
        CHECK(builder.begin_record(2).code() == ferry::StatusCode::Internal);
        FerryBatch raw{};
        CHECK_FALSE(builder.finish(&raw).ok());
    }
    SECTION("a column without a cell") {
        REQUIRE(builder.begin_record(1).ok());
        const ferry::Status status = builder.commit_record();
        CHECK(status.code() == ferry::StatusCode::Internal);
        CHECK(status.field() == "n");
        CHECK(builder.records_read() == 0); // rolled back: the caller may now reject it
    }
    SECTION("a value that does not fit rolls the record back") {
        ferry::BatchBuilder money(
            ferry::Schema({{"m", ferry::DataType::decimal128(5, 2).value(), true}}));
        const ferry::Value too_big[] = {
            ferry::Value::decimal(ferry::Decimal::parse("12345.67").value())};
        const ferry::Status status = money.append_record(1, too_big);
        CHECK(status.code() == ferry::StatusCode::Data);
        CHECK(status.field() == "m");
        CHECK(status.record_no() == 1);
        const ferry::Value needs_rounding[] = {
            ferry::Value::decimal(ferry::Decimal::parse("1.005").value())};
        CHECK_FALSE(money.append_record(2, needs_rounding).ok());
        CHECK(money.records_read() == 0);
    }
    SECTION("invalid UTF-8 is refused in a text column") {
        ferry::BatchBuilder text(ferry::Schema({{"t", ferry::DataType::utf8(), true}}));
        REQUIRE(text.begin_record(1).ok());
        CHECK(text.column(0).append_text("\xd6\xd0").code() == ferry::StatusCode::Data);
    }
}

TEST_CASE("validate_batch catches what a broken plugin might send", "[batch]") {
    ferry::BatchBuilder builder(ferry::Schema({{"t", ferry::DataType::utf8(), true}}));
    REQUIRE(builder.begin_record(1).ok());
    REQUIRE(builder.column(0).append_text("ok").ok());
    REQUIRE(builder.commit_record().ok());
    REQUIRE(builder.reject(2, {"t", "x", "bad"}).ok());
    FerryBatch raw{};
    REQUIRE(builder.finish(&raw).ok());
    const ferry::Schema schema = builder.schema();
    REQUIRE(ferry::validate_batch(raw, schema, ferry::BatchCheck::Full).ok());

    SECTION("a lost record") {
        raw.records_read = 3;
        const ferry::Status status =
            ferry::validate_batch(raw, schema, ferry::BatchCheck::Structure);
        CHECK(status.code() == ferry::StatusCode::Internal);
        CHECK(status.message().find("lost records") != std::string::npos);
        raw.records_read = 2;
    }
    SECTION("a schema mismatch") {
        const ferry::Schema other({{"t", ferry::DataType::int64(), true}});
        CHECK_FALSE(ferry::validate_batch(raw, other, ferry::BatchCheck::Structure).ok());
    }
    SECTION("invalid UTF-8 smuggled into a text column") {
        auto* data = const_cast<char*>(static_cast<const char*>(raw.data.children[0]->buffers[2]));
        data[0] = '\xff';
        CHECK_FALSE(ferry::validate_batch(raw, schema, ferry::BatchCheck::Full).ok());
        CHECK(ferry::validate_batch(raw, schema, ferry::BatchCheck::Structure).ok());
    }
    raw.release(&raw);
    CHECK(raw.release == nullptr);
}

TEST_CASE("a builder is reusable and carries checkpoints per batch", "[batch]") {
    ferry::BatchBuilder builder(ferry::Schema({{"n", ferry::DataType::int64(), false}}), 2);
    for (int round = 0; round < 3; ++round) {
        for (std::int64_t rec = 1; rec <= 2; ++rec) {
            const ferry::Value row[] = {ferry::Value::int64(rec * 10 + round)};
            REQUIRE(builder.append_record(rec, row).ok());
        }
        CHECK(builder.full());
        builder.set_checkpoint("{\"round\":" + std::to_string(round) + "}");
        const ferry::Batch batch = finish(builder);
        CHECK(batch.num_rows() == 2);
        CHECK(batch.column(0).int64(1) == 20 + round);
        REQUIRE(batch.checkpoint());
        CHECK(*batch.checkpoint() == "{\"round\":" + std::to_string(round) + "}");
        CHECK(builder.empty());
    }
}

TEST_CASE("unscaled decimals append exactly and refuse what exceeds the precision", "[batch]") {
    ferry::BatchBuilder builder(
        ferry::Schema({{"amount", ferry::DataType::decimal128(7, 2).value(), true}}));
    REQUIRE(builder.begin_record(1).ok());
    CHECK(builder.column(0).append_decimal_unscaled(-9999999)); // -99999.99: 7 digits fit
    REQUIRE(builder.commit_record().ok());
    REQUIRE(builder.begin_record(2).ok());
    CHECK_FALSE(builder.column(0).append_decimal_unscaled(10000000)); // 8 digits do not
    CHECK(builder.column(0).length() == 1); // record 1's cell only: nothing was appended
    builder.reject_record({"amount", "range", "too many digits", "test:2"});
    const ferry::Batch batch = finish(builder);
    REQUIRE(batch.num_rows() == 1);
    CHECK(batch.column(0).decimal(0).to_string() == "-99999.99");
    CHECK(ferry::Decimal::fits_precision(-999, 3));
    CHECK_FALSE(ferry::Decimal::fits_precision(1000, 3));
}

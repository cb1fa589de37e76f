// SPDX-License-Identifier: Apache-2.0
// ndjson_fuzzer.cpp — the text helpers and the NDJSON writer on any bytes. find_invalid_utf8 is
// compared with an independent decoder; a JSON string literal, and a one-record batch written as
// NDJSON (text, bytes, decimal, date, timestamp and int64 cells made from the input), must parse
// back with nlohmann to exactly the values that went in; messages stay printable UTF-8.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/batch.h"
#include "ferry/batch_builder.h"
#include "ferry/date.h"
#include "ferry/decimal.h"
#include "ferry/ndjson.h"
#include "ferry/text.h"

#include "fuzz_support.h"

namespace {

using ferry::fuzz::fail;

/// RFC 3629 from its table: the offset of the first byte that starts no valid sequence.
std::size_t reference_invalid_utf8(std::string_view bytes) {
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const auto lead = static_cast<unsigned char>(bytes[pos]);
        std::size_t length = 0;
        unsigned char low = 0x80; // the range of the second byte
        unsigned char high = 0xBF;
        if (lead < 0x80) {
            length = 1;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            low = lead == 0xE0 ? 0xA0 : 0x80;
            high = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return pos;
        }
        if (pos + length > bytes.size()) {
            return pos;
        }
        for (std::size_t idx = 1; idx < length; ++idx) {
            const auto byte = static_cast<unsigned char>(bytes[pos + idx]);
            const unsigned char min = idx == 1 ? low : 0x80;
            const unsigned char max = idx == 1 ? high : 0xBF;
            if (byte < min || byte > max) {
                return pos;
            }
        }
        pos += length;
    }
    return ferry::kAllValid;
}

void check_printable(const std::string& message, std::string_view input) {
    ferry::fuzz::check_message(message, input);
    for (const char ch : message) {
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) {
            fail("control character in a message: " + ferry::to_hex(message), input);
        }
    }
}

/// One record of seven columns, each made from the input, through BatchBuilder and
/// append_ndjson; every cell must come back as written.
void check_ndjson(std::string_view input, bool valid_utf8) {
    const ferry::Result<ferry::Decimal> decimal = ferry::Decimal::parse(input);
    const std::int32_t scale = decimal.ok() ? decimal->scale() : 0;
    std::int32_t days = 0;
    std::int64_t micros = 0;
    std::memcpy(&days, input.data(), std::min(input.size(), sizeof days));
    std::memcpy(&micros, input.data(), std::min(input.size(), sizeof micros));
    const ferry::Schema schema({{"text", ferry::DataType::utf8(), true},
                                {"bytes", ferry::DataType::binary(), true},
                                {"decimal", ferry::DataType::decimal128(38, scale).value(), true},
                                {"date", ferry::DataType::date32(), true},
                                {"timestamp", ferry::DataType::timestamp_micros(), true},
                                {"int64", ferry::DataType::int64(), true},
                                {"null", ferry::DataType::utf8(), true}});
    const std::vector<ferry::Value> values = {
        valid_utf8 ? ferry::Value::text(std::string(input)).value() : ferry::Value::null(),
        ferry::Value::bytes(std::string(input)),
        decimal.ok() ? ferry::Value::decimal(*decimal) : ferry::Value::null(),
        ferry::Value::date(ferry::Date::from_days(days)),
        ferry::Value::timestamp(ferry::Timestamp::from_micros(micros)),
        ferry::Value::int64(micros),
        ferry::Value::null()};
    ferry::BatchBuilder builder(schema, 1);
    if (const ferry::Status status = builder.append_record(7, values); !status.ok()) {
        fail("a record of valid values was refused: " + status.to_string(), input);
    }
    FerryBatch raw{};
    if (const ferry::Status status = builder.finish(&raw); !status.ok()) {
        fail("finish failed: " + status.to_string(), input);
    }
    const ferry::Batch batch(std::move(raw), std::make_shared<const ferry::Schema>(schema),
                             nullptr);
    std::string out;
    ferry::append_ndjson(batch, out, {true});
    if (out.empty() || out.back() != '\n' || out.find('\n') != out.size() - 1) {
        fail("NDJSON of one record is not one line", input);
    }
    nlohmann::json line;
    try {
        line = nlohmann::json::parse(out);
    } catch (const nlohmann::json::exception& bad) {
        fail(std::string("NDJSON does not parse: ") + bad.what() + ": " + out, input);
    }
    const bool ok =
        line.at("_record_no") == 7 &&
        (valid_utf8 ? line.at("text") == std::string(input) : line.at("text").is_null()) &&
        line.at("bytes").is_string() &&
        (decimal.ok() ? line.at("decimal") == decimal->to_string()
                      : line.at("decimal").is_null()) &&
        line.at("date") == ferry::Date::from_days(days).to_string() &&
        line.at("timestamp") == ferry::Timestamp::from_micros(micros).to_string() &&
        line.at("int64") == micros && line.at("null").is_null();
    if (!ok) {
        fail("NDJSON does not hold the values written: " + out, input);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = ferry::fuzz::as_text(data, size);
    const std::size_t invalid = ferry::find_invalid_utf8(input);
    if (invalid != reference_invalid_utf8(input)) {
        fail("find_invalid_utf8 says " + std::to_string(invalid) + ", the reference " +
                 std::to_string(reference_invalid_utf8(input)),
             input);
    }
    const bool valid = invalid == ferry::kAllValid;
    if (valid != ferry::validate_utf8(input).ok() ||
        valid != ferry::Value::text(std::string(input)).ok()) {
        fail("UTF-8 validators disagree", input);
    }
    if (!valid) {
        check_printable(ferry::validate_utf8(input).message(), input);
    }
    check_printable(ferry::quote_for_message(input), input);
    check_printable(ferry::to_hex(input), input);
    if (valid) {
        std::string literal;
        ferry::append_json_string(input, literal);
        if (nlohmann::json::parse(literal) != std::string(input)) {
            fail("JSON string literal does not parse back: " + literal, input);
        }
    }
    check_ndjson(input, valid);
    return 0;
}

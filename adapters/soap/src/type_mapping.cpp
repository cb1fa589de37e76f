// SPDX-License-Identifier: Apache-2.0
// type_mapping.cpp — XSD types to columns; lexical forms (XSD Part 2) to cells.
#include "type_mapping.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <sstream>

#include <Poco/Base64Decoder.h>
#include <Poco/HexBinaryDecoder.h>

#include "ferry/date.h"
#include "ferry/decimal.h"

namespace ferry::soap {

namespace {

constexpr std::array kIntegerTypes{"integer",
                                   "long",
                                   "int",
                                   "short",
                                   "byte",
                                   "unsignedLong",
                                   "unsignedInt",
                                   "unsignedShort",
                                   "unsignedByte",
                                   "nonNegativeInteger",
                                   "positiveInteger",
                                   "nonPositiveInteger",
                                   "negativeInteger"};

std::string_view trim(std::string_view text) {
    // xs:whiteSpace collapse applies to every non-string built-in type.
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

// "+08:00" / "-05:30" / "Z" at the end of a date or dateTime: returns the offset in minutes and
// shortens `text`; nullopt when there is none.
std::optional<int> strip_zone(std::string_view& text, std::size_t min_length) {
    if (text.size() > min_length && text.back() == 'Z') {
        text.remove_suffix(1);
        return 0;
    }
    if (text.size() >= min_length + 6) {
        const std::string_view zone = text.substr(text.size() - 6);
        if ((zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
            int hours = 0;
            int minutes = 0;
            std::from_chars(zone.data() + 1, zone.data() + 3, hours);
            std::from_chars(zone.data() + 4, zone.data() + 6, minutes);
            text.remove_suffix(6);
            return (zone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
        }
    }
    return std::nullopt;
}

void read_all(std::istream& in, std::string& out) {
    char buffer[4096];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        out.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
}

} // namespace

void map_builtin_type(std::string_view xsd_local, const Facets& facets, RecordField& field) {
    field.source_type = "xs:" + std::string(xsd_local);
    field.kind = ValueKind::Text;
    field.type = DataType::utf8();
    if (xsd_local == "decimal") {
        const int precision = std::clamp(facets.total_digits.value_or(38), 1, 38);
        const int scale =
            std::clamp(facets.fraction_digits.value_or(facets.total_digits ? 0 : 10), 0, precision);
        field.type = DataType::decimal128(precision, scale).value();
        field.kind = ValueKind::Decimal;
        if (facets.total_digits || facets.fraction_digits) {
            field.source_type +=
                "(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
        }
    } else if (std::find(kIntegerTypes.begin(), kIntegerTypes.end(), xsd_local) !=
               kIntegerTypes.end()) {
        field.type = DataType::int64();
        field.kind = ValueKind::Int64;
    } else if (xsd_local == "boolean") {
        field.type = DataType::boolean();
        field.kind = ValueKind::Bool;
    } else if (xsd_local == "date") {
        field.type = DataType::date32();
        field.kind = ValueKind::Date;
    } else if (xsd_local == "dateTime") {
        field.type = DataType::timestamp_micros();
        field.kind = ValueKind::DateTime;
    } else if (xsd_local == "base64Binary") {
        field.type = DataType::binary();
        field.kind = ValueKind::Base64;
    } else if (xsd_local == "hexBinary") {
        field.type = DataType::binary();
        field.kind = ValueKind::Hex;
    }
}

Status override_type(std::string_view type_text, RecordField& field) {
    FERRY_ASSIGN_OR_RETURN(DataType type, DataType::parse(type_text));
    switch (type.kind()) {
    case TypeKind::Bool:
        field.kind = ValueKind::Bool;
        break;
    case TypeKind::Int64:
        field.kind = ValueKind::Int64;
        break;
    case TypeKind::Decimal128:
        field.kind = ValueKind::Decimal;
        break;
    case TypeKind::Date32:
        field.kind = ValueKind::Date;
        break;
    case TypeKind::TimestampMicros:
        field.kind = ValueKind::DateTime;
        break;
    case TypeKind::Utf8:
        field.kind = ValueKind::Text;
        break;
    case TypeKind::Binary:
        field.kind = field.kind == ValueKind::Hex ? ValueKind::Hex : ValueKind::Base64;
        break;
    case TypeKind::Struct:
        return Status::invalid_argument("field \"" + field.name + "\": cannot be a struct");
    }
    field.type = type;
    return Status();
}

std::optional<std::string>
append_cell(ColumnBuilder& column, ValueKind kind, std::string_view raw) {
    if (kind == ValueKind::Text) {
        // The XML parser already produced valid UTF-8.
        column.append_text_unchecked(raw);
        return std::nullopt;
    }
    std::string_view text = trim(raw);
    switch (kind) {
    case ValueKind::Text:
        break;
    case ValueKind::Bool:
        if (text == "true" || text == "1") {
            column.append_bool(true);
        } else if (text == "false" || text == "0") {
            column.append_bool(false);
        } else {
            return std::string("not an xs:boolean (true, false, 1 or 0)");
        }
        return std::nullopt;
    case ValueKind::Int64: {
        std::int64_t value = 0;
        if (!text.empty() && text.front() == '+') {
            text.remove_prefix(1);
        }
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
            return std::string(error == std::errc::result_out_of_range
                                   ? "integer outside the 64-bit range"
                                   : "not an integer");
        }
        column.append_int64(value);
        return std::nullopt;
    }
    case ValueKind::Decimal: {
        auto value = Decimal::parse(text);
        if (!value.ok()) {
            return std::string("not an xs:decimal");
        }
        if (Status status = column.append_decimal(*value); !status.ok()) {
            return "does not fit " + column.type().to_string() + " exactly";
        }
        return std::nullopt;
    }
    case ValueKind::Date: {
        strip_zone(text, 10);
        auto value = Date::parse_iso(text);
        if (!value.ok()) {
            return std::string("not an xs:date (YYYY-MM-DD)");
        }
        column.append_date(*value);
        return std::nullopt;
    }
    case ValueKind::DateTime: {
        const std::optional<int> offset = strip_zone(text, 19);
        auto value = Timestamp::parse_iso(text);
        if (!value.ok()) {
            return std::string("not an xs:dateTime (YYYY-MM-DDTHH:MM:SS[.ffffff][zone])");
        }
        // A value with a zone is normalised to UTC; one without is the source's wall time.
        const std::int64_t shift = std::int64_t{offset.value_or(0)} * 60 * 1'000'000;
        column.append_timestamp(Timestamp::from_micros(value->micros_since_epoch() - shift));
        return std::nullopt;
    }
    case ValueKind::Base64:
    case ValueKind::Hex: {
        std::istringstream in{std::string(text)};
        std::string bytes;
        try {
            if (kind == ValueKind::Base64) {
                Poco::Base64Decoder decoder(in);
                read_all(decoder, bytes);
            } else {
                Poco::HexBinaryDecoder decoder(in);
                read_all(decoder, bytes);
            }
        } catch (const std::exception&) {
            return std::string(kind == ValueKind::Base64 ? "not xs:base64Binary"
                                                         : "not xs:hexBinary");
        }
        column.append_bytes(bytes);
        return std::nullopt;
    }
    }
    return std::nullopt;
}

} // namespace ferry::soap

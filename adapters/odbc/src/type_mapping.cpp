// SPDX-License-Identifier: Apache-2.0
// type_mapping.cpp — SQL types (and declared type names) to Ferry types.
#include "type_mapping.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>

namespace ferry::odbc {

namespace {

struct DeclaredType {
    std::string base;              ///< upper case, no arguments: "NUMBER"
    std::optional<std::int32_t> p; ///< first argument
    std::optional<std::int32_t> s; ///< second argument
};

std::optional<std::int32_t> parse_int(std::string_view text) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    std::int32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// "NUMBER(14, 2)" -> {NUMBER, 14, 2}; "numeric" -> {NUMERIC}.
DeclaredType parse_declared(std::string_view name) {
    DeclaredType out;
    const std::size_t open = name.find('(');
    std::string_view base = name.substr(0, open);
    while (!base.empty() && base.back() == ' ') {
        base.remove_suffix(1);
    }
    out.base.reserve(base.size());
    for (const char ch : base) {
        out.base.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    }
    if (open != std::string_view::npos) {
        const std::size_t close = name.find(')', open);
        if (close != std::string_view::npos) {
            const std::string_view args = name.substr(open + 1, close - open - 1);
            const std::size_t comma = args.find(',');
            out.p = parse_int(args.substr(0, comma));
            if (comma != std::string_view::npos) {
                out.s = parse_int(args.substr(comma + 1));
            }
        }
    }
    return out;
}

bool is_decimal_name(const std::string& base) {
    return base == "NUMBER" || base == "NUMERIC" || base == "DECIMAL" || base == "DEC";
}

DataType decimal_type(std::int64_t precision, std::int64_t scale) {
    const auto p = static_cast<std::int32_t>(std::clamp<std::int64_t>(precision, 1, 38));
    const auto s = static_cast<std::int32_t>(std::clamp<std::int64_t>(scale, 0, p));
    return DataType::decimal128(p, s).value();
}

ColumnMapping text_mapping(Field field, std::int64_t chars) {
    ColumnMapping out{std::move(field), FetchKind::Text, chars, false, {}};
    if (chars <= 0 || chars > kMaxBoundChars) {
        out.width = 0;
        out.long_data = true;
    }
    return out;
}

} // namespace

ColumnMapping map_column(const ColumnInfo& info) {
    Field field{info.name, DataType::utf8(), info.nullable};
    const DeclaredType declared = parse_declared(info.type_name);
    ColumnMapping out;

    if (is_decimal_name(declared.base) && declared.p) {
        // Trust the declaration: the SQLite driver reports NUMBER(14,2) as VARCHAR of size 2.
        const std::int32_t scale = declared.s.value_or(0);
        if (*declared.p >= 1 && *declared.p <= 38 && scale >= 0 && scale <= *declared.p) {
            field.type = decimal_type(*declared.p, scale);
            out = ColumnMapping{std::move(field), FetchKind::Decimal, 48, false, {}};
        } else {
            out = text_mapping(std::move(field), 64);
        }
    } else {
        switch (info.sql_type) {
        case SQL_BIT:
            field.type = DataType::boolean();
            out = ColumnMapping{std::move(field), FetchKind::Bool, 1, false, {}};
            break;
        case SQL_TINYINT:
        case SQL_SMALLINT:
        case SQL_INTEGER:
        case SQL_BIGINT:
            field.type = DataType::int64();
            out = ColumnMapping{std::move(field), FetchKind::Int64, 24, false, {}};
            break;
        case SQL_DECIMAL:
        case SQL_NUMERIC:
            if (info.column_size > 38 || info.column_size <= 0) {
                // Unconstrained NUMBER: the widest exact decimal that keeps the reported scale.
                field.type = decimal_type(38, std::min<std::int64_t>(info.decimal_digits, 38));
            } else {
                field.type = decimal_type(info.column_size, info.decimal_digits);
            }
            out = ColumnMapping{std::move(field), FetchKind::Decimal, 48, false, {}};
            break;
        case SQL_TYPE_DATE:
        case SQL_DATE:
            field.type = DataType::date32();
            out = ColumnMapping{std::move(field), FetchKind::Date, 32, false, {}};
            break;
        case SQL_TYPE_TIMESTAMP:
        case SQL_TIMESTAMP:
            field.type = DataType::timestamp_micros();
            out = ColumnMapping{std::move(field), FetchKind::Timestamp, 40, false, {}};
            break;
        case SQL_BINARY:
        case SQL_VARBINARY:
        case SQL_LONGVARBINARY:
            field.type = DataType::binary();
            out = ColumnMapping{std::move(field), FetchKind::Bytes, info.column_size, false, {}};
            if (info.sql_type == SQL_LONGVARBINARY || info.column_size <= 0 ||
                info.column_size > kMaxBoundChars) {
                out.width = 0;
                out.long_data = true;
            }
            break;
        case SQL_CHAR:
        case SQL_VARCHAR:
        case SQL_WCHAR:
        case SQL_WVARCHAR:
            out = text_mapping(std::move(field), info.column_size);
            break;
        case SQL_GUID:
            out = text_mapping(std::move(field), 36);
            break;
        case SQL_REAL:
        case SQL_FLOAT:
        case SQL_DOUBLE:
            out = text_mapping(std::move(field), 32);
            break;
        case SQL_TYPE_TIME:
        case SQL_TIME:
            out = text_mapping(std::move(field), 32);
            break;
        default: // SQL_LONGVARCHAR, SQL_WLONGVARCHAR, intervals, driver-specific types
            out = text_mapping(std::move(field), 0);
            break;
        }
    }

    out.source_type = info.type_name;
    if (info.type_name.find('(') == std::string::npos) {
        if (out.kind == FetchKind::Decimal) {
            out.source_type += "(" + std::to_string(out.field.type.precision()) + "," +
                               std::to_string(out.field.type.scale()) + ")";
        } else if (out.kind == FetchKind::Text && info.column_size > 0 &&
                   (info.sql_type == SQL_CHAR || info.sql_type == SQL_VARCHAR ||
                    info.sql_type == SQL_WCHAR || info.sql_type == SQL_WVARCHAR)) {
            out.source_type += "(" + std::to_string(info.column_size) + ")";
        }
    }
    return out;
}

} // namespace ferry::odbc

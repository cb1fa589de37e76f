// SPDX-License-Identifier: Apache-2.0
// dates.cpp — date, datetime, period and format_date: legacy date text and numbers to typed
// dates and back, through the pattern language of date_pattern.h.
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/date.h"
#include "ferry/decimal.h"

#include "builtin.h"
#include "date_pattern.h"
#include "support.h"

namespace ferry::transforms {

namespace {

using date_pattern::append_padded;
using date_pattern::kDefaultPivot;
using date_pattern::Parts;
using date_pattern::Pattern;
using date_pattern::to_date;
using date_pattern::to_timestamp;
using date_pattern::Use;

/// trim_ascii_spaces without its per-character memchr: most cells have nothing to trim.
std::string_view trim_spaces(std::string_view text) {
    const auto is_space = [](char ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    };
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

/// How text and numbers are read: the pattern plus the sentinels that mean "no date".
struct Reader {
    Pattern pattern;
    std::vector<std::string> null_values;

    bool is_null_value(std::string_view text) const {
        for (const std::string& sentinel : null_values) {
            if (text == sentinel) {
                return true;
            }
        }
        return false;
    }

    /// Parses text, int64 or decimal cell `row` into `parts`; sets `null` for a sentinel.
    std::optional<CellFailure>
    read(const Column& in, std::int64_t row, Parts& parts, bool& null) const {
        if (in.type().kind() == TypeKind::Utf8) {
            const std::string_view text = trim_spaces(in.text(row));
            // Blank is null, as in the number parsers: fixed-width files pad absent values.
            null = text.empty() || is_null_value(text);
            return null ? std::nullopt : pattern.parse(text, parts);
        }
        // Numbers: their decimal digits, right-aligned so zero padding can go in front.
        char buffer[48];
        char* const end = buffer + sizeof buffer;
        char* begin = end;
        Int128 number = 0;
        if (in.type().kind() == TypeKind::Int64) {
            number = in.int64(row);
        } else {
            const Decimal& decimal = in.decimal(row);
            number = decimal.unscaled();
            for (std::int32_t k = 0; k < decimal.scale(); ++k) {
                if (number % 10 != 0) {
                    return pattern.fail("has a fractional part");
                }
                number /= 10;
            }
        }
        if (number < 0) {
            return pattern.fail("is negative");
        }
        do {
            *--begin = static_cast<char>('0' + static_cast<int>(number % 10));
            number /= 10;
        } while (number != 0);
        if (is_null_value(std::string_view(begin, static_cast<std::size_t>(end - begin)))) {
            null = true;
            return std::nullopt;
        }
        while (static_cast<std::size_t>(end - begin) < pattern.digit_width() && begin > buffer) {
            *--begin = '0';
        }
        const std::string_view digits(begin, static_cast<std::size_t>(end - begin));
        null = is_null_value(digits);
        return null ? std::nullopt : pattern.parse(digits, parts);
    }
};

bool is_textual_or_numeric(TypeKind kind) {
    return kind == TypeKind::Utf8 || kind == TypeKind::Int64 || kind == TypeKind::Decimal128;
}

/// Input types shared by date, datetime and period; decimals must be whole numbers.
Status check_inputs(const TransformSetup& setup,
                    std::string_view op,
                    std::initializer_list<TypeKind> kinds,
                    std::string_view wanted) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, op, kinds, wanted));
    for (const DataType& type : setup.input_types) {
        if (type.kind() == TypeKind::Decimal128 && type.scale() != 0) {
            return Status::invalid_argument(std::string(op) + " needs " + std::string(wanted) +
                                            " input, got " + type.to_string());
        }
    }
    return {};
}

Result<Reader> make_reader(const TransformSetup& setup,
                           std::string_view op,
                           Use use,
                           const std::string& default_format) {
    const auto pivot = arg_or<std::int32_t>(setup.args, "pivot_year", kDefaultPivot);
    const auto format = arg_or<std::string>(setup.args, "format", default_format);
    if (format.empty() && is_textual_or_numeric(setup.input_types.front().kind())) {
        return bad_argument(op, "format", "is required for text and numeric input");
    }
    auto null_values = arg_or<std::vector<std::string>>(setup.args, "null_values", {});
    if (format.empty()) { // date or timestamp input to `date`: nothing to parse
        return Reader{Pattern(), std::move(null_values)};
    }
    FERRY_ASSIGN_OR_RETURN(Pattern pattern, Pattern::compile(op, format, use, pivot));
    return Reader{std::move(pattern), std::move(null_values)};
}

Result<std::optional<Date>> date_limit(const TransformSetup& setup, const char* name) {
    const auto text = arg_or<std::string>(setup.args, name, "");
    if (text.empty()) {
        return std::optional<Date>();
    }
    Result<Date> date = Date::parse_iso(text);
    if (!date.ok()) {
        return bad_argument("date", name, "is not a date YYYY-MM-DD: " + date.status().message());
    }
    return std::optional<Date>(*date);
}

Result<BoundTransform> create_date(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(check_inputs(setup, "date",
                                       {TypeKind::Utf8, TypeKind::Int64, TypeKind::Decimal128,
                                        TypeKind::Date32, TypeKind::TimestampMicros},
                                       "text, int64, decimal(p,0), date or timestamp"));
    FERRY_ASSIGN_OR_RETURN(Reader reader, make_reader(setup, "date", Use::Date, ""));
    FERRY_ASSIGN_OR_RETURN(std::optional<Date> min, date_limit(setup, "min"));
    FERRY_ASSIGN_OR_RETURN(std::optional<Date> max, date_limit(setup, "max"));
    if (min && max && *max < *min) {
        return bad_argument("date", "max", "is before min");
    }
    auto fn = [reader = std::move(reader), min, max](const Column& in, std::int64_t row,
                                                     Column& out) -> std::optional<CellFailure> {
        Date date;
        switch (in.type().kind()) {
        case TypeKind::Date32:
            date = in.date(row);
            break;
        case TypeKind::TimestampMicros:
            date = in.timestamp(row).date();
            break;
        default: {
            Parts parts;
            bool null = false;
            if (auto failure = reader.read(in, row, parts, null)) {
                return failure;
            }
            if (null) {
                out.append_null();
                return std::nullopt;
            }
            date = to_date(parts);
        }
        }
        if (min && date < *min) {
            return CellFailure{"date", "is before the minimum " + min->to_string()};
        }
        if (max && date > *max) {
            return CellFailure{"date", "is after the maximum " + max->to_string()};
        }
        out.append_date(date);
        return std::nullopt;
    };
    return BoundTransform{make_cell_transform(std::move(fn)), DataType::date32()};
}

Result<BoundTransform> create_datetime(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(check_inputs(setup, "datetime",
                                       {TypeKind::Utf8, TypeKind::Int64, TypeKind::Decimal128,
                                        TypeKind::Date32, TypeKind::TimestampMicros},
                                       "text, int64, decimal(p,0), date or timestamp"));
    FERRY_ASSIGN_OR_RETURN(Reader reader,
                           make_reader(setup, "datetime", Use::DateTime, "yyyy-MM-dd HH:mm:ss"));
    auto fn = [reader = std::move(reader)](const Column& in, std::int64_t row,
                                           Column& out) -> std::optional<CellFailure> {
        switch (in.type().kind()) {
        case TypeKind::Date32:
            out.append_timestamp(
                Timestamp::from_micros(in.date(row).days_since_epoch() * Timestamp::kMicrosPerDay));
            return std::nullopt;
        case TypeKind::TimestampMicros:
            out.append_timestamp(in.timestamp(row));
            return std::nullopt;
        default:
            break;
        }
        Parts parts;
        bool null = false;
        if (auto failure = reader.read(in, row, parts, null)) {
            return failure;
        }
        if (null) {
            out.append_null();
        } else {
            out.append_timestamp(to_timestamp(parts));
        }
        return std::nullopt;
    };
    return BoundTransform{make_cell_transform(std::move(fn)), DataType::timestamp_micros()};
}

/// "YYYY-MM" as year * 12 + month - 1, or nothing when the argument is absent.
Result<std::optional<std::int32_t>> period_limit(const TransformSetup& setup, const char* name) {
    const auto text = arg_or<std::string>(setup.args, name, "");
    if (text.empty()) {
        return std::optional<std::int32_t>();
    }
    std::int32_t year = 0;
    std::int32_t month = 0;
    const bool shaped =
        text.size() == 7 && text[4] == '-' &&
        std::from_chars(text.data(), text.data() + 4, year).ptr == text.data() + 4 &&
        std::from_chars(text.data() + 5, text.data() + 7, month).ptr == text.data() + 7;
    if (!shaped || year < 1 || month < 1 || month > 12) {
        return bad_argument("period", name, "is not a year-month YYYY-MM");
    }
    return std::optional<std::int32_t>(year * 12 + month - 1);
}

Result<BoundTransform> create_period(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(check_inputs(setup, "period",
                                       {TypeKind::Utf8, TypeKind::Int64, TypeKind::Decimal128},
                                       "text, int64 or decimal(p,0)"));
    FERRY_ASSIGN_OR_RETURN(Reader reader, make_reader(setup, "period", Use::Period, "yyyyMM"));
    FERRY_ASSIGN_OR_RETURN(std::optional<std::int32_t> min, period_limit(setup, "min"));
    FERRY_ASSIGN_OR_RETURN(std::optional<std::int32_t> max, period_limit(setup, "max"));
    if (min && max && *max < *min) {
        return bad_argument("period", "max", "is before min");
    }
    auto fn = [reader = std::move(reader), min, max,
               min_text = arg_or<std::string>(setup.args, "min", ""),
               max_text = arg_or<std::string>(setup.args, "max", "")](
                  const Column& in, std::int64_t row, Column& out) -> std::optional<CellFailure> {
        Parts parts;
        bool null = false;
        if (auto failure = reader.read(in, row, parts, null)) {
            return failure;
        }
        if (null) {
            out.append_null();
            return std::nullopt;
        }
        const std::int32_t index = parts.year * 12 + parts.month - 1;
        if (min && index < *min) {
            return CellFailure{"period", "is before the minimum " + min_text};
        }
        if (max && index > *max) {
            return CellFailure{"period", "is after the maximum " + max_text};
        }
        std::string& cell = out.open_cell();
        append_padded(cell, parts.year, 4);
        cell.push_back('-');
        append_padded(cell, parts.month, 2);
        out.close_cell();
        return std::nullopt;
    };
    return BoundTransform{make_cell_transform(std::move(fn)), DataType::utf8()};
}

Result<BoundTransform> create_format_date(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(
        setup, "format_date", {TypeKind::Date32, TypeKind::TimestampMicros}, "date or timestamp"));
    const auto format = arg_or<std::string>(setup.args, "format", "");
    FERRY_ASSIGN_OR_RETURN(Pattern pattern,
                           Pattern::compile("format_date", format, Use::Format, kDefaultPivot));
    if (pattern.has_time() && setup.input_types.front().kind() == TypeKind::Date32) {
        return bad_argument("format_date", "format",
                            "has time fields (HH, mm, ss, S) but the input is a date");
    }
    auto fn = [pattern = std::move(pattern)](const Column& in, std::int64_t row,
                                             Column& out) -> std::optional<CellFailure> {
        Parts parts;
        Date date;
        if (in.type().kind() == TypeKind::Date32) {
            date = in.date(row);
        } else {
            const Timestamp timestamp = in.timestamp(row);
            date = timestamp.date();
            const std::int64_t micros = timestamp.micros_of_day();
            const std::int64_t seconds = micros / Timestamp::kMicrosPerSecond;
            parts.hour = static_cast<std::int32_t>(seconds / 3600);
            parts.minute = static_cast<std::int32_t>(seconds / 60 % 60);
            parts.second = static_cast<std::int32_t>(seconds % 60);
            parts.micros = static_cast<std::int32_t>(micros % Timestamp::kMicrosPerSecond);
        }
        parts.year = date.year();
        if (parts.year < 1 || parts.year > 9999) {
            return pattern.fail("year is outside 0001..9999");
        }
        parts.month = date.month();
        parts.day = date.day();
        pattern.format(parts, out.open_cell());
        out.close_cell();
        return std::nullopt;
    };
    return BoundTransform{make_cell_transform(std::move(fn)), DataType::utf8()};
}

/// A draft-07 schema of an arguments object: `properties` maps each name to its schema.
std::string args_schema(nlohmann::json properties, std::vector<std::string> required = {}) {
    nlohmann::json schema = {
        {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
    if (!required.empty()) {
        schema["required"] = std::move(required);
    }
    return schema.dump();
}

nlohmann::json described(nlohmann::json schema, const char* description) {
    schema["description"] = description;
    return schema;
}

nlohmann::json string_schema() {
    return {{"type", "string"}};
}

nlohmann::json pivot_schema() {
    return described({{"type", "integer"}, {"minimum", 1}, {"maximum", 9900}},
                     "for yy: the first year of the 100-year window (default 1950: 50..99 are "
                     "1950..1999, 00..49 are 2000..2049)");
}

nlohmann::json null_values_schema() {
    return described({{"type", "array"}, {"items", string_schema()}},
                     "values that mean no date and become null, compared after trimming (for a "
                     "number: its digits), e.g. \"00000000\", \"99991231\"");
}

} // namespace

void register_dates(TransformRegistry& registry) {
    must_add(registry,
             {"date", "reads a legacy date (text, number or timestamp) into a date",
              args_schema(
                  {{"format", described(string_schema(), "layout of text or numeric input: yyyy yy "
                                                         "MM M MMM dd d, any other character is "
                                                         "literal (yyyyMMdd, yyyy年M月d日)")},
                   {"pivot_year", pivot_schema()},
                   {"null_values", null_values_schema()},
                   {"min", described(string_schema(), "earliest accepted date, YYYY-MM-DD")},
                   {"max", described(string_schema(), "latest accepted date, YYYY-MM-DD")}}),
              1, 1, Protection::None, create_date});
    must_add(
        registry,
        {"datetime", "reads a legacy date-time (text, number, date or timestamp) into a timestamp",
         args_schema({{"format", described(string_schema(), "layout of text or numeric input: the "
                                                            "date fields plus HH mm ss and S to "
                                                            "SSSSSS; default yyyy-MM-dd HH:mm:ss")},
                      {"pivot_year", pivot_schema()},
                      {"null_values", null_values_schema()}}),
         1, 1, Protection::None, create_datetime});
    must_add(
        registry,
        {"period", "reads a yyyymm accounting period into ISO year-month text (2018-02)",
         args_schema({{"format", described({{"enum", {"yyyyMM", "yyyy-MM", "yyyy年M月", "yyMM"}}},
                                           "layout of the input; default yyyyMM")},
                      {"pivot_year", pivot_schema()},
                      {"null_values", null_values_schema()},
                      {"min", described(string_schema(), "earliest accepted period, YYYY-MM")},
                      {"max", described(string_schema(), "latest accepted period, YYYY-MM")}}),
         1, 1, Protection::None, create_period});
    must_add(registry,
             {"format_date", "writes a date or timestamp as text in a legacy layout",
              args_schema({{"format", described({{"type", "string"}, {"minLength", 1}},
                                                "output layout: yyyy yy MM M MMM dd d HH mm ss S "
                                                "to SSSSSS, any other character is literal")}},
                          {"format"}),
              1, 1, Protection::None, create_format_date});
}

} // namespace ferry::transforms

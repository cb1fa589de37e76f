// SPDX-License-Identifier: Apache-2.0
// text_cells.cpp — field text to typed cells: exact decimals, dates, code pages, never guesses.
#include "text_cells.h"

#include <charconv>

#include "ferry/date.h"
#include "ferry/decimal.h"
#include "ferry/text.h"

namespace ferry::flatfile {

namespace {

std::string_view trim_text(std::string_view text, std::string_view mode) {
    if (mode == "none") {
        return text;
    }
    std::size_t end = text.size();
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\0')) {
        --end;
    }
    std::size_t begin = 0;
    if (mode == "both") {
        while (begin < end && text[begin] == ' ') {
            ++begin;
        }
    }
    return text.substr(begin, end - begin);
}

bool all_of(std::string_view text, char ch) {
    return !text.empty() && text.find_first_not_of(ch) == std::string_view::npos;
}

} // namespace

Result<TextField> parse_text_field(const nlohmann::json& spec, bool fixed_width) {
    TextField field;
    if (spec.is_string()) {
        field.name = spec.get<std::string>();
        field.source_type = "text";
        return field;
    }
    field.name = spec.at("name").get<std::string>();
    const std::string type = spec.value("type", std::string("text"));
    FERRY_ASSIGN_OR_RETURN(field.type, DataType::parse(type));
    switch (field.type.kind()) {
    case TypeKind::Utf8:
    case TypeKind::Int64:
    case TypeKind::Decimal128:
    case TypeKind::Date32:
        break;
    default:
        return Status::invalid_argument("field \"" + field.name + "\": type " + type +
                                        " is not read from text (text, int64, decimal, date)");
    }
    field.nullable = spec.value("nullable", true);
    field.implied_decimals = spec.value("implied_decimals", false);
    field.date_format = spec.value("date_format", std::string("yyyyMMdd"));
    field.trim = spec.value("trim", std::string(fixed_width ? "right" : "none"));
    if (field.type.kind() != TypeKind::Utf8 && !spec.contains("trim")) {
        field.trim = "both";
    }
    if (spec.contains("encoding")) {
        field.code_page = spec["encoding"].get<std::string>();
    }
    if (fixed_width) {
        const auto start = spec.at("start").get<std::int64_t>();
        const auto length = spec.at("length").get<std::int64_t>();
        if (start < 1 || length < 1) {
            return Status::invalid_argument("field \"" + field.name +
                                            "\": start and length must be at least 1");
        }
        field.start = static_cast<std::size_t>(start - 1);
        field.length = static_cast<std::size_t>(length);
        field.source_type = type + " @" + std::to_string(start) + "+" + std::to_string(length);
    } else {
        field.source_type = type;
    }
    return field;
}

std::optional<FieldProblem> parse_decimal_text(std::string_view text,
                                               const DataType& type,
                                               bool implied_decimals,
                                               Decimal& out) {
    const bool has_point = text.find('.') != std::string_view::npos;
    Result<Decimal> parsed = Decimal::parse(text);
    if (!parsed.ok()) {
        return FieldProblem{"decimal", "not a decimal number"};
    }
    Decimal value = *parsed;
    if (implied_decimals && !has_point) {
        auto scaled = Decimal::from_unscaled(value.unscaled(), type.scale());
        if (!scaled.ok()) {
            return FieldProblem{"decimal", "implied decimals out of range"};
        }
        value = *scaled;
    }
    auto fitted = value.to_type(type.precision(), type.scale(), RoundingMode::Unnecessary);
    if (!fitted.ok()) {
        return FieldProblem{"decimal", "value does not fit " + type.to_string() + " exactly"};
    }
    out = *fitted;
    return std::nullopt;
}

std::optional<FieldProblem>
parse_date_text(std::string_view text, std::string_view format, Date& out) {
    if (text.size() != format.size()) {
        return FieldProblem{"date", "does not match date format " + std::string(format)};
    }
    std::int32_t year = 0, month = 0, day = 0;
    for (std::size_t idx = 0; idx < format.size(); ++idx) {
        const char want = format[idx];
        const char have = text[idx];
        std::int32_t* part = want == 'y'   ? &year
                             : want == 'M' ? &month
                             : want == 'd' ? &day
                                           : nullptr;
        if (part == nullptr) {
            if (have != want) {
                return FieldProblem{"date", "does not match date format " + std::string(format)};
            }
            continue;
        }
        if (have < '0' || have > '9') {
            return FieldProblem{"date", "does not match date format " + std::string(format)};
        }
        *part = *part * 10 + (have - '0');
    }
    auto date = Date::from_ymd(year, month, day);
    if (!date.ok()) {
        return FieldProblem{"date", "not a calendar date"};
    }
    out = *date;
    return std::nullopt;
}

std::optional<FieldProblem> append_text_cell(const TextField& field,
                                             std::string_view raw,
                                             CodePage& code_page,
                                             ColumnBuilder& column,
                                             std::string& scratch,
                                             bool valid_utf8) {
    std::string_view decoded = raw;
    if (!valid_utf8) {
        if (auto failure = code_page.decode_view(raw, scratch, decoded)) {
            // The reason names the byte, counted from 1 within the field.
            return FieldProblem{"code_page",
                                "does not decode as " + code_page.name() + ": " + failure->reason};
        }
    }
    const std::string_view text = trim_text(decoded, field.trim);
    if (field.type.kind() == TypeKind::Utf8) {
        column.append_text_unchecked(text);
        return std::nullopt;
    }
    if (text.empty() || (field.type.kind() == TypeKind::Date32 && all_of(text, '0'))) {
        if (!field.nullable) {
            return FieldProblem{"required", "empty, and the field is not nullable"};
        }
        column.append_null();
        return std::nullopt;
    }
    switch (field.type.kind()) {
    case TypeKind::Int64: {
        std::int64_t value = 0;
        const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
        const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size()) {
            return FieldProblem{"integer", "not a whole number"};
        }
        column.append_int64(value);
        return std::nullopt;
    }
    case TypeKind::Decimal128: {
        Decimal value;
        if (auto problem = parse_decimal_text(text, field.type, field.implied_decimals, value)) {
            return problem;
        }
        if (!column.append_decimal(value).ok()) {
            return FieldProblem{"decimal", "value does not fit " + field.type.to_string()};
        }
        return std::nullopt;
    }
    case TypeKind::Date32: {
        Date value;
        if (auto problem = parse_date_text(text, field.date_format, value)) {
            return problem;
        }
        column.append_date(value);
        return std::nullopt;
    }
    default:
        return FieldProblem{"type", "unsupported type " + field.type.to_string()};
    }
}

} // namespace ferry::flatfile

// SPDX-License-Identifier: Apache-2.0
// legacy_cells.cpp — legacy text cells into Values: dates through Date::from_ymd and the shared
// two-digit-year window, numbers through the number_text parser the mapping's `decimal` uses.
#include "ferry/legacy_cells.h"

#include <array>
#include <utility>

#include "ferry/text.h"

#include "number_text_internal.h"

namespace ferry {

namespace {

constexpr std::array<std::string_view, 5> kRules = {"date", "number", "logical", "charset", "utf8"};

/// The Data Status every helper fails with: `<rule>: offset <N>: <why>`.
Status cell_failure(std::string_view rule, std::size_t offset, std::string_view why) {
    return Status::data(std::string(rule) + ": offset " + std::to_string(offset) + ": " +
                        std::string(why));
}

bool is_pad(char ch) noexcept {
    return ch == ' ' || ch == '\0';
}

/// `cell` without the spaces and NULs that pad it at the end (and at the start if asked).
std::string_view trim_pad(std::string_view cell, bool leading) noexcept {
    while (!cell.empty() && is_pad(cell.back())) {
        cell.remove_suffix(1);
    }
    while (leading && !cell.empty() && is_pad(cell.front())) {
        cell.remove_prefix(1);
    }
    return cell;
}

/// Byte offset of `part` (a view into `cell`) in `cell`.
std::size_t offset_in(std::string_view cell, std::string_view part) noexcept {
    return static_cast<std::size_t>(part.data() - cell.data());
}

/// YYYYMMDD (`year_digits` 4) or YYMMDD (2).
Result<Value>
parse_date_digits(std::string_view cell, std::size_t year_digits, const DateCellOptions& options) {
    constexpr std::string_view kRule = "date";
    if (options.pivot_year < 1 || options.pivot_year > 9900) {
        return Status::invalid_argument("pivot_year " + std::to_string(options.pivot_year) +
                                        " is outside 1..9900");
    }
    const std::string_view digits = trim_pad(cell, true);
    if (digits.empty()) {
        return Value::null();
    }
    const std::size_t base = offset_in(cell, digits);
    const std::size_t width = year_digits + 4;
    std::array<std::int32_t, 3> parts{}; // year, month, day
    const std::array<std::size_t, 3> starts{0, year_digits, year_digits + 2};
    for (std::size_t pos = 0; pos < digits.size(); ++pos) {
        if (digits[pos] < '0' || digits[pos] > '9') {
            return cell_failure(kRule, base + pos, "not a digit");
        }
        if (pos >= width) {
            return cell_failure(kRule, base + pos,
                                "more than " + std::to_string(width) + " digits");
        }
        const std::size_t part = pos < starts[1] ? 0 : pos < starts[2] ? 1 : 2;
        parts[part] = parts[part] * 10 + (digits[pos] - '0');
    }
    if (digits.size() < width) {
        return cell_failure(kRule, base + digits.size(),
                            "ends after " + std::to_string(digits.size()) + " digits, expected " +
                                std::to_string(width));
    }
    if (parts[0] == 0 && parts[1] == 0 && parts[2] == 0) {
        if (options.zeros == ZeroDate::Null) {
            return Value::null();
        }
        return cell_failure(kRule, base, "all zeros (no date)");
    }
    if (year_digits == 2) {
        parts[0] = expand_two_digit_year(parts[0], options.pivot_year);
    }
    Result<Date> date = Date::from_ymd(parts[0], parts[1], parts[2]);
    if (date.ok()) {
        return Value::date(*date);
    }
    // Date::from_ymd quotes the date; a reject reason must not, so say which part is wrong.
    if (parts[0] < 1 || parts[0] > 9999) {
        return cell_failure(kRule, base + starts[0], "year is outside 0001..9999");
    }
    if (parts[1] < 1 || parts[1] > 12) {
        return cell_failure(kRule, base + starts[1], "month is outside 01..12");
    }
    return cell_failure(kRule, base + starts[2],
                        parts[2] == 0 ? "day is 00" : "day is outside the month");
}

std::string_view problem_text(detail::NumberProblem problem) noexcept {
    switch (problem) {
    case detail::NumberProblem::NotADigit:
        return "not a digit";
    case detail::NumberProblem::MisplacedSeparator:
        return "misplaced thousands separator";
    case detail::NumberProblem::NoDigits:
        return "no digits";
    case detail::NumberProblem::SignAtBothEnds:
        return "a sign at both ends";
    case detail::NumberProblem::PointAndImplied:
        return "a decimal point, but the number has implied decimals";
    case detail::NumberProblem::TooManyDigits:
    case detail::NumberProblem::NeedsRounding:
        break;
    }
    return {};
}

} // namespace

Result<Value> parse_yyyymmdd(std::string_view cell, const DateCellOptions& options) {
    return parse_date_digits(cell, 4, options);
}

Result<Value> parse_yymmdd(std::string_view cell, const DateCellOptions& options) {
    return parse_date_digits(cell, 2, options);
}

Result<Value> parse_number_cell(std::string_view cell, const NumberCellOptions& options) {
    constexpr std::string_view kRule = "number";
    if (options.precision < 1 || options.precision > Decimal::kMaxPrecision ||
        (options.scale != kTextScale && (options.scale < 0 || options.scale > options.precision)) ||
        options.implied_decimals < 0 || options.implied_decimals > Decimal::kMaxScale) {
        return Status::invalid_argument(
            "number cell options: precision must be 1..38, scale 0..precision (or kTextScale) "
            "and implied_decimals 0..38");
    }
    if (options.thousands != '\0' &&
        std::string_view("0123456789.+- ").find(options.thousands) != std::string_view::npos) {
        return Status::invalid_argument(
            "number cell options: the thousands separator must not be a digit, a point, a sign "
            "or a space");
    }
    // NULs pad like spaces; the tabs and line ends number_text ignores go too.
    const auto is_number_pad = [](char ch) {
        return is_pad(ch) || ch == '\t' || ch == '\r' || ch == '\n';
    };
    std::string_view text = cell;
    while (!text.empty() && is_number_pad(text.back())) {
        text.remove_suffix(1);
    }
    while (!text.empty() && is_number_pad(text.front())) {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        if (options.blank_is_null) {
            return Value::null();
        }
        return cell_failure(kRule, 0, "blank");
    }
    detail::NumberSyntax syntax;
    syntax.thousands =
        options.thousands == '\0' ? std::string() : std::string(1, options.thousands);
    syntax.trailing_sign = options.trailing_sign;
    syntax.implied_scale = options.implied_decimals;
    const detail::NumberTarget target{
        options.precision, options.scale == kTextScale ? detail::kNaturalScale : options.scale,
        options.rounding};
    Decimal number;
    bool is_null = false;
    const auto error = detail::parse_number_text(text, syntax, target, number, is_null);
    if (!error) { // not null either: the text is not blank
        return Value::decimal(number);
    }
    const std::size_t at = offset_in(cell, text) + error->offset;
    switch (error->problem) {
    case detail::NumberProblem::TooManyDigits:
        return cell_failure(kRule, at,
                            "needs " + std::to_string(error->integer_digits + error->scale) +
                                " digits at scale " + std::to_string(error->scale) +
                                ", the precision is " + std::to_string(options.precision));
    case detail::NumberProblem::NeedsRounding:
        return cell_failure(kRule, at,
                            "has more than " + std::to_string(error->scale) +
                                " decimals (rounding is unnecessary)");
    default:
        return cell_failure(kRule, at, problem_text(error->problem));
    }
}

Result<Value> parse_logical_cell(std::string_view cell) {
    const std::string_view flag = trim_pad(cell, true);
    if (flag.empty() || flag == "?") {
        return Value::null();
    }
    for (const std::string_view yes : {"T", "t", "Y", "y", "1", "是"}) {
        if (flag == yes) {
            return Value::boolean(true);
        }
    }
    for (const std::string_view no : {"F", "f", "N", "n", "0", "否"}) {
        if (flag == no) {
            return Value::boolean(false);
        }
    }
    return cell_failure("logical", offset_in(cell, flag),
                        "not a logical (T, F, Y, N, 1, 0, 是, 否, ? or blank)");
}

Result<Value> parse_text_cell(std::string_view cell, const TextCellOptions& options) {
    std::string decoded;
    std::string_view text = cell;
    if (options.code_page != nullptr) {
        if (auto failure = options.code_page->decode_view(cell, decoded, text)) {
            return cell_failure("charset", failure->offset, failure->reason);
        }
    } else if (const std::size_t bad = find_invalid_utf8(cell); bad != kAllValid) {
        return cell_failure("utf8", bad, "not valid UTF-8");
    }
    text = trim_pad(text, options.trim_leading);
    if (text.empty() && options.blank_is_null) {
        return Value::null();
    }
    return Value::text(std::string(text));
}

Reject cell_reject(std::string field, const Status& failure, std::optional<std::string> raw) {
    const std::string& message = failure.message();
    const std::size_t colon = message.find(": ");
    std::string rule;
    std::string reason = message;
    if (colon != std::string::npos) {
        const std::string_view prefix(message.data(), colon);
        for (const std::string_view known : kRules) {
            if (prefix == known) {
                rule = std::string(prefix);
                reason = message.substr(colon + 2);
            }
        }
    }
    return Reject(std::move(field), std::move(rule), std::move(reason), {}, std::move(raw),
                  failure.ok() ? StatusCode::Data : failure.code());
}

} // namespace ferry

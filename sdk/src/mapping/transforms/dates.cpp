// SPDX-License-Identifier: Apache-2.0
// dates.cpp — date, datetime, period and format_date: legacy date text and numbers to typed
// dates and back, through one small pattern language (yyyy yy MM M MMM dd d HH mm ss S…).
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
#include "support.h"

namespace ferry::transforms {

namespace {

constexpr std::string_view kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::int32_t kDefaultPivot = 1950;

bool is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}

/// Characters (code points) in the first `bytes` bytes: reasons count characters from 1.
std::size_t chars_before(std::string_view value, std::size_t bytes) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < bytes && i < value.size(); ++i) {
        if ((static_cast<unsigned char>(value[i]) & 0xC0U) != 0x80U) {
            ++count;
        }
    }
    return count;
}

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

void append_padded(std::string& out, std::int64_t number, int width) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    for (auto n = static_cast<int>(end - digits); n < width; ++n) {
        out.push_back('0');
    }
    out.append(digits, end);
}

/// What a pattern is compiled for: which fields it may hold and which it must hold.
enum class Use { Date, DateTime, Period, Format };

/// The fields a pattern read; fields the pattern lacks keep these defaults.
struct Parts {
    std::int32_t year = 1970;
    std::int32_t month = 1;
    std::int32_t day = 1;
    std::int32_t hour = 0;
    std::int32_t minute = 0;
    std::int32_t second = 0;
    std::int32_t micros = 0;
};

enum class Kind : std::uint8_t {
    Literal,
    Digits,   ///< exactly `width` digits: yyyy MM dd HH mm ss
    Flexible, ///< one or two digits: M d
    Year2,    ///< yy, placed in the pivot window
    MonthName,
    Fraction, ///< S…: `width` digits of the second
};

struct Token {
    Kind kind;
    std::uint8_t width;
    std::uint8_t bit; ///< the field's bit, to find repeated and missing fields
    std::int32_t Parts::*field;
    std::uint32_t begin; ///< the token's bytes in Pattern::text_ (a literal's text)
    std::uint32_t length;
};

// Field bits; a finer time field needs the coarser one before it (bit >> 1).
constexpr std::uint8_t kYear = 1;
constexpr std::uint8_t kMonth = 2;
constexpr std::uint8_t kDay = 4;
constexpr std::uint8_t kHour = 8;
constexpr std::uint8_t kMinute = 16;
constexpr std::uint8_t kSecond = 32;
constexpr std::uint8_t kFraction = 64;
constexpr std::uint8_t kTime = kHour | kMinute | kSecond | kFraction;

/// A pattern letter: its field, and the token kind for each run length 1..6 (Literal: none).
struct Letter {
    char letter;
    std::uint8_t bit;
    std::int32_t Parts::*field;
    Kind by_run[6];
};

constexpr Kind kNo = Kind::Literal;
constexpr Kind kD = Kind::Digits;
constexpr Kind kF = Kind::Fraction;
constexpr Letter kLetters[] = {
    {'y', kYear, &Parts::year, {kNo, Kind::Year2, kNo, kD, kNo, kNo}},
    {'M', kMonth, &Parts::month, {Kind::Flexible, kD, Kind::MonthName, kNo, kNo, kNo}},
    {'d', kDay, &Parts::day, {Kind::Flexible, kD, kNo, kNo, kNo, kNo}},
    {'H', kHour, &Parts::hour, {kNo, kD, kNo, kNo, kNo, kNo}},
    {'m', kMinute, &Parts::minute, {kNo, kD, kNo, kNo, kNo, kNo}},
    {'s', kSecond, &Parts::second, {kNo, kD, kNo, kNo, kNo, kNo}},
    {'S', kFraction, &Parts::micros, {kF, kF, kF, kF, kF, kF}},
};

/// The token for `run` repetitions of pattern letter `letter`, or nothing if there is none.
std::optional<Token> field_token(const Letter& letter, std::size_t run) {
    if (run > 6 || letter.by_run[run - 1] == Kind::Literal) {
        return std::nullopt;
    }
    return Token{
        letter.by_run[run - 1], static_cast<std::uint8_t>(run), letter.bit, letter.field, 0, 0};
}

class Pattern {
public:
    static Result<Pattern>
    compile(std::string_view op, const std::string& text, Use use, std::int32_t pivot) {
        Pattern pattern;
        pattern.text_ = text;
        pattern.rule_ = std::string(op);
        pattern.pivot_ = pivot;
        std::uint8_t seen = 0;
        std::size_t i = 0;
        while (i < text.size()) {
            const char letter = text[i];
            std::size_t run = 1;
            const Letter* rule = nullptr;
            for (const Letter& candidate : kLetters) {
                rule = candidate.letter == letter ? &candidate : rule;
            }
            if (rule == nullptr) {
                // A literal: one whole UTF-8 character, merged with the literal before it.
                while (i + run < text.size() &&
                       (static_cast<unsigned char>(text[i + run]) & 0xC0U) == 0x80U) {
                    ++run;
                }
                if (!pattern.tokens_.empty() && pattern.tokens_.back().kind == Kind::Literal) {
                    pattern.tokens_.back().length += static_cast<std::uint32_t>(run);
                } else {
                    pattern.tokens_.push_back(Token{Kind::Literal, 0, 0, nullptr,
                                                    static_cast<std::uint32_t>(i),
                                                    static_cast<std::uint32_t>(run)});
                }
                i += run;
                continue;
            }
            while (i + run < text.size() && text[i + run] == letter) {
                ++run;
            }
            const std::string letters(run, letter);
            std::optional<Token> token = field_token(*rule, run);
            if (!token) {
                return bad_argument(op, "format",
                                    "\"" + letters +
                                        "\" is not a pattern field (use yyyy, yy, MM, M, MMM, dd, "
                                        "d, HH, mm, ss or S to SSSSSS)");
            }
            if ((token->bit & kTime) != 0 && (use == Use::Date || use == Use::Period)) {
                return bad_argument(op, "format",
                                    "\"" + letters + "\" is a time field; " + std::string(op) +
                                        " takes only y, M" + (use == Use::Date ? " and d" : ""));
            }
            if (token->bit == kDay && use == Use::Period) {
                return bad_argument(op, "format", "a period has no day field");
            }
            if (use != Use::Format && (seen & token->bit) != 0) {
                return bad_argument(op, "format", "\"" + letters + "\" repeats a field");
            }
            seen = static_cast<std::uint8_t>(seen | token->bit);
            token->begin = static_cast<std::uint32_t>(i);
            token->length = static_cast<std::uint32_t>(run);
            pattern.tokens_.push_back(*token);
            i += run;
        }
        if (use != Use::Format) {
            const std::uint8_t needed = use == Use::Period ? kYear | kMonth : kYear | kMonth | kDay;
            if ((seen & needed) != needed) {
                return bad_argument(op, "format",
                                    use == Use::Period ? "needs a year (yyyy or yy) and a month"
                                                       : "needs a year (yyyy or yy), a month "
                                                         "and a day");
            }
            // mm without HH is nearly always a typo for MM.
            for (const std::uint8_t bit : {kMinute, kSecond, kFraction}) {
                if ((seen & bit) != 0 && (seen & (bit >> 1U)) == 0) {
                    return bad_argument(op, "format",
                                        bit == kMinute   ? "mm (minutes) needs HH; months are MM"
                                        : bit == kSecond ? "ss needs mm"
                                                         : "S (fraction) needs ss");
                }
            }
        }
        pattern.has_time_ = (seen & kTime) != 0;
        for (const Token& token : pattern.tokens_) {
            if (token.kind != Kind::Digits && token.kind != Kind::Year2 &&
                token.kind != Kind::Fraction) {
                pattern.digit_width_ = 0;
                break;
            }
            pattern.digit_width_ += token.width;
        }
        return pattern;
    }

    bool has_time() const noexcept { return has_time_; }

    /// The total width when the pattern is only fixed-width numbers ("yyMMdd": 6), else 0.
    /// Numeric input is zero-padded to it, since NUMBER columns drop leading zeros.
    std::size_t digit_width() const noexcept { return digit_width_; }

    /// Reads `value` (already trimmed). The failure never quotes the value.
    std::optional<CellFailure> parse(std::string_view value, Parts& parts) const {
        if (value.empty()) {
            return fail("is empty");
        }
        std::size_t pos = 0;
        for (const Token& token : tokens_) {
            if (token.kind == Kind::Literal) {
                const std::string_view literal = source(token);
                if (value.compare(pos, literal.size(), literal) != 0) {
                    return mismatch(value, pos, "'" + std::string(literal) + "'");
                }
                pos += literal.size();
                continue;
            }
            if (token.kind == Kind::MonthName) {
                std::int32_t month = 0;
                for (std::int32_t m = 0; m < 12 && pos + 3 <= value.size(); ++m) {
                    bool same = true;
                    for (std::size_t k = 0; k < 3; ++k) { // ASCII upper-casing
                        same = same && (value[pos + k] & ~0x20) == kMonthNames[m][k];
                    }
                    month = same ? m + 1 : month;
                }
                if (month == 0) {
                    return mismatch(value, pos, "a month abbreviation JAN..DEC (MMM)");
                }
                parts.month = month;
                pos += 3;
                continue;
            }
            const std::size_t most = token.kind == Kind::Flexible ? 2 : token.width;
            const std::size_t least = token.kind == Kind::Flexible ? 1 : token.width;
            std::int32_t number = 0;
            std::size_t digits = 0;
            while (digits < most && pos < value.size() && is_digit(value[pos])) {
                number = number * 10 + (value[pos] - '0');
                ++digits;
                ++pos;
            }
            if (digits < least) {
                return mismatch(value, pos, "a digit (" + std::string(source(token)) + ")");
            }
            if (token.kind == Kind::Year2) { // the century that puts it in [pivot, pivot + 99]
                number = pivot_ + ((number - pivot_ % 100) % 100 + 100) % 100;
            }
            for (std::size_t k = token.kind == Kind::Fraction ? digits : 6; k < 6; ++k) {
                number *= 10;
            }
            parts.*token.field = number;
        }
        if (pos < value.size()) {
            return fail("does not match " + text_ + ": unexpected characters from character " +
                        std::to_string(chars_before(value, pos) + 1));
        }
        return check(parts);
    }

    /// Writes `parts` (a valid date, year 1..9999) in this pattern's layout.
    void format(const Parts& parts, std::string& out) const {
        for (const Token& token : tokens_) {
            switch (token.kind) {
            case Kind::Literal:
                out.append(source(token));
                break;
            case Kind::MonthName:
                out.append(kMonthNames[parts.month - 1]);
                break;
            case Kind::Year2:
                append_padded(out, parts.year % 100, 2);
                break;
            case Kind::Fraction: {
                std::int32_t fraction = parts.micros;
                for (int k = token.width; k < 6; ++k) {
                    fraction /= 10;
                }
                append_padded(out, fraction, token.width);
                break;
            }
            case Kind::Digits:
            case Kind::Flexible:
                append_padded(out, parts.*token.field, token.width);
                break;
            }
        }
    }

    CellFailure fail(std::string reason) const { return CellFailure{rule_, std::move(reason)}; }

private:
    std::string_view source(const Token& token) const {
        return std::string_view(text_).substr(token.begin, token.length);
    }

    CellFailure
    mismatch(std::string_view value, std::size_t pos, const std::string& expected) const {
        if (pos >= value.size()) {
            return fail("does not match " + text_ + ": ends after " +
                        std::to_string(chars_before(value, pos)) + " characters, expected " +
                        expected);
        }
        return fail("does not match " + text_ + ": expected " + expected + " at character " +
                    std::to_string(chars_before(value, pos) + 1));
    }

    std::optional<CellFailure> check(const Parts& parts) const {
        if (parts.year < 1 || parts.year > 9999) {
            return fail("year is outside 0001..9999");
        }
        if (parts.month < 1 || parts.month > 12) {
            return fail("month is outside 01..12");
        }
        if (parts.day < 1 || parts.day > days_in_month(parts.year, parts.month)) {
            return fail(parts.day < 1 ? "day is 00" : "day is outside the month");
        }
        if (parts.hour > 23) {
            return fail("hour is outside 00..23");
        }
        if (parts.minute > 59) {
            return fail("minute is outside 00..59");
        }
        if (parts.second > 59) {
            return fail("second is outside 00..59");
        }
        return std::nullopt;
    }

    std::vector<Token> tokens_;
    std::string text_;
    std::string rule_;
    std::int32_t pivot_ = kDefaultPivot;
    std::size_t digit_width_ = 0;
    bool has_time_ = false;
};

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

/// Days since 1970-01-01 of checked parts (years 1..9999), by H. Hinnant's days_from_civil:
/// Date::from_ymd would check the parts a second time on the hot path.
Date to_date(const Parts& parts) {
    const std::int32_t year = parts.year - (parts.month <= 2 ? 1 : 0);
    const std::int32_t era = year / 400;
    const std::int32_t year_of_era = year - era * 400;
    const std::int32_t day_of_year =
        (153 * (parts.month > 2 ? parts.month - 3 : parts.month + 9) + 2) / 5 + parts.day - 1;
    const std::int32_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return Date::from_days(era * 146097 + day_of_era - 719468);
}

Timestamp to_timestamp(const Parts& parts) {
    const std::int64_t seconds = (parts.hour * 60 + parts.minute) * 60 + parts.second;
    return Timestamp::from_micros(to_date(parts).days_since_epoch() * Timestamp::kMicrosPerDay +
                                  seconds * Timestamp::kMicrosPerSecond + parts.micros);
}

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

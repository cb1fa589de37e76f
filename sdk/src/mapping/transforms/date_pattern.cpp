// SPDX-License-Identifier: Apache-2.0
// date_pattern.cpp — compiling date patterns, and reading and writing cells through them.
#include "date_pattern.h"

#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support.h"

namespace ferry::transforms::date_pattern {

namespace {

constexpr std::string_view kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

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

} // namespace

void append_padded(std::string& out, std::int64_t number, int width) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    for (auto n = static_cast<int>(end - digits); n < width; ++n) {
        out.push_back('0');
    }
    out.append(digits, end);
}

Result<Pattern>
Pattern::compile(std::string_view op, const std::string& text, Use use, std::int32_t pivot) {
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

std::optional<CellFailure> Pattern::parse(std::string_view value, Parts& parts) const {
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
            number = expand_two_digit_year(number, pivot_);
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

void Pattern::format(const Parts& parts, std::string& out) const {
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

CellFailure
Pattern::mismatch(std::string_view value, std::size_t pos, const std::string& expected) const {
    if (pos >= value.size()) {
        return fail("does not match " + text_ + ": ends after " +
                    std::to_string(chars_before(value, pos)) + " characters, expected " + expected);
    }
    return fail("does not match " + text_ + ": expected " + expected + " at character " +
                std::to_string(chars_before(value, pos) + 1));
}

std::optional<CellFailure> Pattern::check(const Parts& parts) const {
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

} // namespace ferry::transforms::date_pattern

// SPDX-License-Identifier: Apache-2.0
// date.cpp — civil-date arithmetic (Howard Hinnant's algorithms), ISO 8601 parsing and formatting.
#include "ferry/date.h"

#include <algorithm>
#include <charconv>

#include "ferry/text.h"

namespace ferry {

namespace {

constexpr std::int32_t kMinYear = 1;
constexpr std::int32_t kMaxYear = 9999;

constexpr const char* kMonthNames[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

struct CivilDate {
    std::int64_t year;
    std::int32_t month;
    std::int32_t day;
};

// Hinnant, "chrono-Compatible Low-Level Date Algorithms": eras of 400 years (146097 days) starting
// on March 1st, so the leap day is the last day of its year. int64 keeps `days + 719468` from
// overflowing for any int32 day count.
std::int64_t days_from_civil(std::int64_t year, std::int32_t month, std::int32_t day) noexcept {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const std::int64_t year_of_era = year - era * 400;
    const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

CivilDate civil_from_days(std::int64_t days) noexcept {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t day_of_era = days - era * 146097;
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
    const auto day = static_cast<std::int32_t>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    const auto month = static_cast<std::int32_t>(month_from_march < 10 ? month_from_march + 3
                                                                       : month_from_march - 9);
    return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

/// Writes |value| zero-padded to `width` at `out`, with a '-' for negatives; returns the end.
/// Dates and timestamps are formatted in a stack buffer: no allocation, one copy at the end.
char* put_padded(char* out, std::int64_t value, std::size_t width) {
    constexpr std::int64_t kWidthLimit[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (value >= 0 && width > 0 && width < std::size(kWidthLimit) && value < kWidthLimit[width]) {
        // The common case, a field of a date or time: its digits from the right, in place.
        for (std::size_t at = width; at-- > 0; value /= 10) {
            out[at] = static_cast<char>('0' + value % 10);
        }
        return out + width;
    }
    if (value < 0) {
        *out++ = '-';
    }
    char digits[20];
    const auto [end, failed] = std::to_chars(
        digits, digits + sizeof digits, static_cast<std::uint64_t>(value < 0 ? -value : value));
    (void)failed; // 20 digits always fit
    const auto size = static_cast<std::size_t>(end - digits);
    for (; width > size; --width) {
        *out++ = '0';
    }
    return std::copy(digits, end, out);
}

// Longest form: "+" or "-", 19 year digits, "-MM-DD", "THH:MM:SS.ffffff".
constexpr std::size_t kFormattedMax = 48;

char* put_ymd(char* out, std::int64_t year, std::int64_t month, std::int64_t day) {
    if (year > 9999) {
        *out++ = '+'; // ISO 8601 expanded year
    }
    out = put_padded(out, year, 4);
    *out++ = '-';
    out = put_padded(out, month, 2);
    *out++ = '-';
    return put_padded(out, day, 2);
}

std::string format_ymd(std::int64_t year, std::int64_t month, std::int64_t day) {
    char buffer[kFormattedMax];
    return std::string(buffer, put_ymd(buffer, year, month, day));
}

/// Why (year, month, day) is not a valid date, or "" when it is.
std::string date_problem(std::int32_t year, std::int32_t month, std::int32_t day) {
    if (year < kMinYear || year > kMaxYear) {
        return "year " + std::to_string(year) + " is outside 1..9999";
    }
    if (month < 1 || month > 12) {
        return "month " + std::to_string(month) + " is outside 1..12";
    }
    const std::int32_t month_days = days_in_month(year, month);
    if (day < 1 || day > month_days) {
        return std::string(kMonthNames[month - 1]) + " " + std::to_string(year) + " has " +
               std::to_string(month_days) + " days";
    }
    return {};
}

/// Why the time of day is invalid, or "" when it is fine. Leap seconds (:60) are not accepted:
/// Arrow timestamps cannot represent them.
std::string time_problem(std::int32_t hour,
                         std::int32_t minute,
                         std::int32_t second,
                         std::int32_t microsecond) {
    if (hour < 0 || hour > 23) {
        return "hour " + std::to_string(hour) + " is outside 0..23";
    }
    if (minute < 0 || minute > 59) {
        return "minute " + std::to_string(minute) + " is outside 0..59";
    }
    if (second < 0 || second > 59) {
        return "second " + std::to_string(second) + " is outside 0..59";
    }
    if (microsecond < 0 || microsecond > 999'999) {
        return "microsecond " + std::to_string(microsecond) + " is outside 0..999999";
    }
    return {};
}

/// Reads `count` digits at `pos`. Returns the offset of the first non-digit (or of the end of
/// the text), or std::string_view::npos on success.
std::size_t
read_digits(std::string_view text, std::size_t pos, std::size_t count, std::int32_t& out) noexcept {
    out = 0;
    for (std::size_t idx = pos; idx < pos + count; ++idx) {
        if (idx >= text.size() || text[idx] < '0' || text[idx] > '9') {
            return idx;
        }
        out = out * 10 + (text[idx] - '0');
    }
    return std::string_view::npos;
}

/// "unexpected 'x' at offset N (expected …)" or "unexpected end at offset N (expected …)".
std::string unexpected_at(std::string_view text, std::size_t pos, const char* expected) {
    std::string what = pos < text.size() ? "unexpected " + describe_char(text[pos])
                                         : std::string("unexpected end");
    return what + " at offset " + std::to_string(pos) + " (expected " + expected + ")";
}

/// Parses "YYYY-MM-DD" at the start of `text`; on failure returns why, else "".
std::string parse_date_prefix(std::string_view text, Date& out) {
    std::int32_t year = 0;
    std::int32_t month = 0;
    std::int32_t day = 0;

    const struct {
        std::size_t pos;
        std::size_t count;
        std::int32_t* target;
    } fields[] = {{0, 4, &year}, {5, 2, &month}, {8, 2, &day}};

    for (const auto& field : fields) {
        const std::size_t bad = read_digits(text, field.pos, field.count, *field.target);
        if (bad != std::string_view::npos) {
            return unexpected_at(text, bad, "a digit of YYYY-MM-DD");
        }
        const std::size_t dash = field.pos + field.count;
        if (dash < 8 && (dash >= text.size() || text[dash] != '-')) {
            return unexpected_at(text, dash, "'-' of YYYY-MM-DD");
        }
    }
    std::string problem = date_problem(year, month, day);
    if (problem.empty()) {
        out = Date::from_days(static_cast<std::int32_t>(days_from_civil(year, month, day)));
    }
    return problem;
}

} // namespace

bool is_leap_year(std::int32_t year) noexcept {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

std::int32_t days_in_month(std::int32_t year, std::int32_t month) noexcept {
    constexpr std::int32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) {
        return 0;
    }
    return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

std::int32_t expand_two_digit_year(std::int32_t two_digits, std::int32_t pivot_year) noexcept {
    return pivot_year + ((two_digits - pivot_year % 100) % 100 + 100) % 100;
}

Result<Date> Date::from_ymd(std::int32_t year, std::int32_t month, std::int32_t day) {
    const std::string problem = date_problem(year, month, day);
    if (!problem.empty()) {
        return Status::data("invalid date " + format_ymd(year, month, day) + ": " + problem);
    }
    // Years 1..9999 span about ±2.9 million days: well inside int32.
    return Date(static_cast<std::int32_t>(days_from_civil(year, month, day)));
}

Result<Date> Date::parse_iso(std::string_view text) {
    Date date;
    std::string problem = parse_date_prefix(text, date);
    if (problem.empty() && text.size() != 10) {
        problem = unexpected_at(text, 10, "end of text after YYYY-MM-DD");
    }
    if (!problem.empty()) {
        return Status::data("invalid date " + quote_for_message(text) + ": " + problem);
    }
    return date;
}

std::int32_t Date::year() const noexcept {
    // Any int32 day count lands within ±5.9 million years: fits int32.
    return static_cast<std::int32_t>(civil_from_days(days_).year);
}

std::int32_t Date::month() const noexcept {
    return civil_from_days(days_).month;
}

std::int32_t Date::day() const noexcept {
    return civil_from_days(days_).day;
}

std::string Date::to_string() const {
    const CivilDate civil = civil_from_days(days_);
    return format_ymd(civil.year, civil.month, civil.day);
}

Result<Timestamp> Timestamp::from_parts(Date date,
                                        std::int32_t hour,
                                        std::int32_t minute,
                                        std::int32_t second,
                                        std::int32_t microsecond) {
    if (std::string problem = time_problem(hour, minute, second, microsecond); !problem.empty()) {
        return Status::data("invalid time of day on " + date.to_string() + ": " + problem);
    }
    const std::int64_t time_of_day =
        ((std::int64_t{hour} * 60 + minute) * 60 + second) * kMicrosPerSecond + microsecond;
    std::int64_t micros = 0;
    if (__builtin_mul_overflow(std::int64_t{date.days_since_epoch()}, kMicrosPerDay, &micros) ||
        __builtin_add_overflow(micros, time_of_day, &micros)) {
        return Status::data("timestamp on " + date.to_string() +
                            " is outside the int64 microsecond range");
    }
    return Timestamp(micros);
}

Result<Timestamp> Timestamp::parse_iso(std::string_view text) {
    const auto fail = [text](const std::string& why) {
        return Status::data("invalid timestamp " + quote_for_message(text) + ": " + why);
    };
    Date date;
    if (std::string problem = parse_date_prefix(text, date); !problem.empty()) {
        return fail(problem);
    }
    if (text.size() <= 10 || (text[10] != 'T' && text[10] != ' ')) {
        return fail(unexpected_at(text, 10, "'T' or ' ' before the time"));
    }
    std::int32_t parts[3] = {0, 0, 0}; // hour, minute, second
    for (std::size_t idx = 0; idx < 3; ++idx) {
        const std::size_t pos = 11 + idx * 3;
        const std::size_t bad = read_digits(text, pos, 2, parts[idx]);
        if (bad != std::string_view::npos) {
            return fail(unexpected_at(text, bad, "a digit of HH:MM:SS"));
        }
        if (idx < 2 && (pos + 2 >= text.size() || text[pos + 2] != ':')) {
            return fail(unexpected_at(text, pos + 2, "':' of HH:MM:SS"));
        }
    }
    std::size_t pos = 19;
    std::int32_t microsecond = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        std::int32_t digits = 0;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
            if (++digits > 6) {
                return fail("more than 6 fraction digits at offset " + std::to_string(pos));
            }
            microsecond = microsecond * 10 + (text[pos] - '0');
        }
        if (digits == 0) {
            return fail(unexpected_at(text, pos, "a fraction digit"));
        }
        for (; digits < 6; ++digits) {
            microsecond *= 10; // ".5" means 500000 microseconds
        }
    }
    if (pos < text.size() && text[pos] == 'Z') {
        ++pos;
    }
    if (pos < text.size()) {
        return fail(unexpected_at(text, pos, "end of text"));
    }
    if (std::string problem = time_problem(parts[0], parts[1], parts[2], microsecond);
        !problem.empty()) {
        return fail(problem);
    }
    // A year 1..9999 date is at most ~3.2e17 microseconds from the epoch: from_parts cannot fail.
    return from_parts(date, parts[0], parts[1], parts[2], microsecond);
}

Date Timestamp::date() const noexcept {
    // Floor division: -1 us belongs to 1969-12-31. |micros| / kMicrosPerDay < 2^31, fits int32.
    std::int64_t days = micros_ / kMicrosPerDay;
    if (micros_ % kMicrosPerDay < 0) {
        --days;
    }
    return Date::from_days(static_cast<std::int32_t>(days));
}

std::int64_t Timestamp::micros_of_day() const noexcept {
    const std::int64_t rest = micros_ % kMicrosPerDay;
    return rest < 0 ? rest + kMicrosPerDay : rest;
}

std::string Timestamp::to_string() const {
    const std::int64_t time_of_day = micros_of_day();
    const std::int64_t seconds = time_of_day / kMicrosPerSecond;
    const CivilDate civil = civil_from_days(date().days_since_epoch());
    char buffer[kFormattedMax];
    char* out = put_ymd(buffer, civil.year, civil.month, civil.day);
    *out++ = 'T';
    out = put_padded(out, seconds / 3600, 2);
    *out++ = ':';
    out = put_padded(out, seconds / 60 % 60, 2);
    *out++ = ':';
    out = put_padded(out, seconds % 60, 2);
    if (const std::int64_t fraction = time_of_day % kMicrosPerSecond; fraction != 0) {
        *out++ = '.';
        out = put_padded(out, fraction, 6);
    }
    return std::string(buffer, out);
}

} // namespace ferry

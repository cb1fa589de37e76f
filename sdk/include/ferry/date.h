// SPDX-License-Identifier: Apache-2.0
// ferry/date.h — Date (Arrow date32) and Timestamp (Arrow timestamp[us]), proleptic Gregorian.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "ferry/result.h"

namespace ferry {

/// True for years divisible by 4, except centuries not divisible by 400 (1900 no, 2000 yes).
bool is_leap_year(std::int32_t year) noexcept;

/// 28..31, or 0 when `month` is outside 1..12.
std::int32_t days_in_month(std::int32_t year, std::int32_t month) noexcept;

/// The usual century window for two-digit years: 50..99 are 1950..1999, 00..49 are 2000..2049.
inline constexpr std::int32_t kDefaultPivotYear = 1950;

/// The year in [pivot_year, pivot_year + 99] that ends in `two_digits` (0..99): the century
/// window of yy dates. With pivot 1950, 68 is 1968 and 23 is 2023; with pivot 1900, 23 is 1923.
std::int32_t expand_two_digit_year(std::int32_t two_digits, std::int32_t pivot_year) noexcept;

/// A calendar day, stored as days since 1970-01-01 (negative before), exactly like Arrow date32.
/// Validated constructors accept years 1..9999; from_days accepts any int32 (Arrow data).
class Date {
public:
    /// 1970-01-01.
    Date() = default;

    /// Data error for an impossible date, with a message such as
    /// `invalid date 1990-02-30: February 1990 has 28 days`.
    static Result<Date> from_ymd(std::int32_t year, std::int32_t month, std::int32_t day);

    static Date from_days(std::int32_t days_since_epoch) noexcept { return Date(days_since_epoch); }

    /// Exactly "YYYY-MM-DD"; Data error naming the offending offset or calendar rule.
    static Result<Date> parse_iso(std::string_view text);

    std::int32_t days_since_epoch() const noexcept { return days_; }

    std::int32_t year() const noexcept;
    std::int32_t month() const noexcept;
    std::int32_t day() const noexcept;

    /// "YYYY-MM-DD"; a year outside 0..9999 gets a sign and as many digits as it needs
    /// ("+12345-01-01", "-0001-12-31"), as ISO 8601 expanded years do.
    std::string to_string() const;

    friend auto operator<=>(const Date&, const Date&) = default;
    friend bool operator==(const Date&, const Date&) = default;

private:
    explicit Date(std::int32_t days) noexcept
        : days_(days) {}

    std::int32_t days_ = 0;
};

/// An instant in microseconds since 1970-01-01T00:00:00 UTC (negative before), exactly like Arrow
/// timestamp[us]. It carries no time zone: legacy wall-clock times are stored as if UTC.
class Timestamp {
public:
    static constexpr std::int64_t kMicrosPerSecond = 1'000'000;
    static constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

    /// 1970-01-01T00:00:00.
    Timestamp() = default;

    /// Data error unless hour 0..23, minute 0..59, second 0..59 (no leap seconds) and
    /// microsecond 0..999999, or when the instant does not fit int64 microseconds.
    static Result<Timestamp> from_parts(Date date,
                                        std::int32_t hour,
                                        std::int32_t minute,
                                        std::int32_t second,
                                        std::int32_t microsecond);

    static Timestamp from_micros(std::int64_t micros_since_epoch) noexcept {
        return Timestamp(micros_since_epoch);
    }

    /// "YYYY-MM-DDTHH:MM:SS" with 'T' or ' ' between date and time, an optional fraction of 1 to 6
    /// digits (".5" is 500000 us) and an optional trailing "Z". Data error naming the offset.
    static Result<Timestamp> parse_iso(std::string_view text);

    std::int64_t micros_since_epoch() const noexcept { return micros_; }

    /// The calendar day; floors for instants before 1970 (-1 us is 1969-12-31).
    Date date() const noexcept;

    /// Microseconds since midnight of date(): 0 .. kMicrosPerDay - 1.
    std::int64_t micros_of_day() const noexcept;

    /// "YYYY-MM-DDTHH:MM:SS", plus ".ffffff" (always 6 digits) only when the fraction is nonzero.
    std::string to_string() const;

    friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
    friend bool operator==(const Timestamp&, const Timestamp&) = default;

private:
    explicit Timestamp(std::int64_t micros) noexcept
        : micros_(micros) {}

    std::int64_t micros_ = 0;
};

} // namespace ferry

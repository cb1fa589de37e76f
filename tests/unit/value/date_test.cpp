// SPDX-License-Identifier: Apache-2.0
// date_test.cpp — Date and Timestamp: calendar rules, pre-1970 values, ISO parsing and formatting.
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "ferry/date.h"

namespace Catch {
template <>
struct StringMaker<ferry::Date> {
    static std::string convert(const ferry::Date& value) { return value.to_string(); }
};

template <>
struct StringMaker<ferry::Timestamp> {
    static std::string convert(const ferry::Timestamp& value) { return value.to_string(); }
};
} // namespace Catch

namespace {

using ferry::Date;
using ferry::StatusCode;
using ferry::Timestamp;

Date ymd(std::int32_t year, std::int32_t month, std::int32_t day) {
    auto date = Date::from_ymd(year, month, day);
    INFO(date.status().to_string());
    REQUIRE(date.ok());
    return *date;
}

/// std::chrono as an independent oracle for days since the epoch.
std::int32_t chrono_days(int year, unsigned month, unsigned day) {
    const std::chrono::sys_days days{std::chrono::year{year} / std::chrono::month{month} /
                                     std::chrono::day{day}};
    return static_cast<std::int32_t>(days.time_since_epoch().count());
}

std::string parse_error(std::string_view text) {
    const auto parsed = Date::parse_iso(text);
    return parsed.ok() ? "parsed " + parsed->to_string() : parsed.status().message();
}

std::string timestamp_error(std::string_view text) {
    const auto parsed = Timestamp::parse_iso(text);
    return parsed.ok() ? "parsed " + parsed->to_string() : parsed.status().message();
}

} // namespace

TEST_CASE("Leap years follow the Gregorian rule", "[date]") {
    CHECK(ferry::is_leap_year(2000));
    CHECK(ferry::is_leap_year(2024));
    CHECK(ferry::is_leap_year(2400));
    CHECK_FALSE(ferry::is_leap_year(1900));
    CHECK_FALSE(ferry::is_leap_year(2100));
    CHECK_FALSE(ferry::is_leap_year(2023));

    CHECK(ferry::days_in_month(2000, 2) == 29);
    CHECK(ferry::days_in_month(1900, 2) == 28);
    CHECK(ferry::days_in_month(2023, 4) == 30);
    CHECK(ferry::days_in_month(2023, 12) == 31);
    CHECK(ferry::days_in_month(2023, 0) == 0);
    CHECK(ferry::days_in_month(2023, 13) == 0);
}

TEST_CASE("Date::from_ymd counts days from 1970-01-01", "[date]") {
    CHECK(Date().days_since_epoch() == 0);
    CHECK(Date().to_string() == "1970-01-01");
    CHECK(ymd(1970, 1, 1).days_since_epoch() == 0);
    CHECK(ymd(2000, 1, 1).days_since_epoch() == 10957);
    CHECK(ymd(2000, 2, 29).days_since_epoch() == 11016);
    CHECK(ymd(2024, 3, 15).days_since_epoch() == 19797);
    CHECK(ymd(1969, 12, 31).days_since_epoch() == -1);
    CHECK(ymd(1900, 1, 1).days_since_epoch() == -25567);
    CHECK(ymd(1, 1, 1).days_since_epoch() == -719162);
    CHECK(ymd(9999, 12, 31).days_since_epoch() == 2932896);
    CHECK(ymd(1600, 2, 29).days_since_epoch() == chrono_days(1600, 2, 29));
    CHECK(ymd(1, 1, 1).to_string() == "0001-01-01");
}

TEST_CASE("Date::from_ymd rejects impossible dates with a clear message", "[date]") {
    struct Case {
        std::int32_t year;
        std::int32_t month;
        std::int32_t day;
        const char* message;
    };

    const Case cases[] = {
        {1990, 2, 30, "invalid date 1990-02-30: February 1990 has 28 days"},
        {1900, 2, 29, "invalid date 1900-02-29: February 1900 has 28 days"},
        {2023, 4, 31, "invalid date 2023-04-31: April 2023 has 30 days"},
        {2023, 1, 0, "invalid date 2023-01-00: January 2023 has 31 days"},
        {2023, 13, 1, "invalid date 2023-13-01: month 13 is outside 1..12"},
        {2023, 0, 1, "invalid date 2023-00-01: month 0 is outside 1..12"},
        {0, 1, 1, "invalid date 0000-01-01: year 0 is outside 1..9999"},
        {10000, 1, 1, "invalid date +10000-01-01: year 10000 is outside 1..9999"},
    };
    for (const Case& expected : cases) {
        CAPTURE(expected.year, expected.month, expected.day);
        const auto date = Date::from_ymd(expected.year, expected.month, expected.day);
        REQUIRE_FALSE(date.ok());
        CHECK(date.status().code() == StatusCode::Data);
        CHECK(date.status().message() == expected.message);
    }
}

TEST_CASE("Date round-trips every day of years 1 to 9999", "[date]") {
    // Walks the calendar one day at a time with days_in_month and checks both directions.
    std::int32_t expected_days = -719162; // 0001-01-01
    std::int64_t mismatches = 0;
    std::string first_mismatch;
    for (std::int32_t year = 1; year <= 9999; ++year) {
        for (std::int32_t month = 1; month <= 12; ++month) {
            for (std::int32_t day = 1; day <= ferry::days_in_month(year, month); ++day) {
                const auto date = Date::from_ymd(year, month, day);
                const Date back = Date::from_days(expected_days);
                const bool good = date.ok() && date->days_since_epoch() == expected_days &&
                                  back.year() == year && back.month() == month && back.day() == day;
                if (!good && mismatches++ == 0) {
                    first_mismatch = std::to_string(year) + "-" + std::to_string(month) + "-" +
                                     std::to_string(day);
                }
                ++expected_days;
            }
        }
    }
    CAPTURE(first_mismatch);
    CHECK(mismatches == 0);
    CHECK(expected_days == 2932897); // one past 9999-12-31
}

TEST_CASE("Date agrees with std::chrono before and after 1970", "[date]") {
    for (std::int32_t days = -800'000; days <= 3'000'000; days += 997) {
        const Date date = Date::from_days(days);
        CAPTURE(days);
        REQUIRE(chrono_days(date.year(), static_cast<unsigned>(date.month()),
                            static_cast<unsigned>(date.day())) == days);
        const auto reparsed = Date::parse_iso(date.to_string());
        if (date.year() >= 1 && date.year() <= 9999) {
            REQUIRE(reparsed.ok());
            REQUIRE(*reparsed == date);
        }
    }
}

TEST_CASE("Date formats any int32 day count", "[date]") {
    CHECK(Date::from_days(-1).to_string() == "1969-12-31");
    CHECK(Date::from_days(-719163).to_string() == "0000-12-31");
    CHECK(Date::from_days(-719529).to_string() == "-0001-12-31");
    // The extremes of Arrow date32.
    CHECK(Date::from_days(std::numeric_limits<std::int32_t>::max()).to_string() ==
          "+5881580-07-11");
    CHECK(Date::from_days(std::numeric_limits<std::int32_t>::min()).to_string() ==
          "-5877641-06-23");
}

TEST_CASE("Date::parse_iso accepts exactly YYYY-MM-DD", "[date]") {
    CHECK(Date::parse_iso("2000-02-29").value() == ymd(2000, 2, 29));
    CHECK(Date::parse_iso("1969-07-20").value().days_since_epoch() == chrono_days(1969, 7, 20));
    CHECK(Date::parse_iso("0001-01-01").value().days_since_epoch() == -719162);

    CHECK(parse_error("1990-02-30") == "invalid date \"1990-02-30\": February 1990 has 28 days");
    CHECK(parse_error("1900-02-29") == "invalid date \"1900-02-29\": February 1900 has 28 days");
    CHECK(parse_error("2024-1-05") ==
          "invalid date \"2024-1-05\": unexpected '-' at offset 6 (expected a digit of "
          "YYYY-MM-DD)");
    CHECK(parse_error("2024/01/05") ==
          "invalid date \"2024/01/05\": unexpected '/' at offset 4 (expected '-' of YYYY-MM-DD)");
    CHECK(parse_error("2024-01-05T00") ==
          "invalid date \"2024-01-05T00\": unexpected 'T' at offset 10 (expected end of text "
          "after YYYY-MM-DD)");
    CHECK(parse_error("") ==
          "invalid date \"\": unexpected end at offset 0 (expected a digit of YYYY-MM-DD)");
    CHECK(parse_error("2024-01") ==
          "invalid date \"2024-01\": unexpected end at offset 7 (expected '-' of YYYY-MM-DD)");
    CHECK(parse_error("0000-01-01") == "invalid date \"0000-01-01\": year 0 is outside 1..9999");
    CHECK(parse_error("2024-13-01") == "invalid date \"2024-13-01\": month 13 is outside 1..12");
    CHECK(parse_error(" 2024-01-05").find("unexpected ' ' at offset 0") != std::string::npos);
    CHECK(Date::parse_iso("2024-01-0x").status().code() == StatusCode::Data);
}

TEST_CASE("Dates compare by day", "[date]") {
    CHECK(ymd(1969, 12, 31) < ymd(1970, 1, 1));
    CHECK(ymd(2024, 2, 29) == Date::from_days(19782));
    CHECK(ymd(2024, 3, 1) > ymd(2024, 2, 29));
    CHECK(ymd(2024, 3, 1) != ymd(2023, 3, 1));
}

TEST_CASE("Timestamp::from_parts combines a date and a time of day", "[timestamp]") {
    CHECK(Timestamp().micros_since_epoch() == 0);
    CHECK(Timestamp().to_string() == "1970-01-01T00:00:00");

    const auto ts = Timestamp::from_parts(ymd(2024, 3, 15), 13, 45, 30, 123456);
    REQUIRE(ts.ok());
    CHECK(ts->micros_since_epoch() == 1710510330123456);
    CHECK(ts->to_string() == "2024-03-15T13:45:30.123456");
    CHECK(ts->date() == ymd(2024, 3, 15));
    CHECK(ts->micros_of_day() == ((13 * 60 + 45) * 60 + 30) * 1'000'000LL + 123456);

    const auto end_of_day = Timestamp::from_parts(ymd(1999, 12, 31), 23, 59, 59, 999999);
    REQUIRE(end_of_day.ok());
    CHECK(end_of_day->to_string() == "1999-12-31T23:59:59.999999");

    CHECK(Timestamp::from_parts(ymd(2024, 1, 1), 24, 0, 0, 0).status().message() ==
          "invalid time of day on 2024-01-01: hour 24 is outside 0..23");
    CHECK(Timestamp::from_parts(ymd(2024, 1, 1), 0, 60, 0, 0).status().code() == StatusCode::Data);
    CHECK_FALSE(Timestamp::from_parts(ymd(2024, 1, 1), 0, 0, 60, 0).ok());
    CHECK_FALSE(Timestamp::from_parts(ymd(2024, 1, 1), 0, 0, 0, 1'000'000).ok());
    CHECK_FALSE(Timestamp::from_parts(ymd(2024, 1, 1), -1, 0, 0, 0).ok());
    // 2^31 days is beyond the int64 microsecond range (about ±292,000 years).
    const auto far = Timestamp::from_parts(
        Date::from_days(std::numeric_limits<std::int32_t>::max()), 0, 0, 0, 0);
    REQUIRE_FALSE(far.ok());
    CHECK_THAT(far.status().message(), Catch::Contains("outside the int64 microsecond range"));
}

TEST_CASE("Timestamps before 1970 floor to the previous day", "[timestamp]") {
    const Timestamp just_before = Timestamp::from_micros(-1);
    CHECK(just_before.date() == Date::from_days(-1));
    CHECK(just_before.micros_of_day() == 86'399'999'999);
    CHECK(just_before.to_string() == "1969-12-31T23:59:59.999999");
    CHECK(Timestamp::from_micros(-86'400'000'000).to_string() == "1969-12-31T00:00:00");
    CHECK(Timestamp::from_micros(-86'400'000'001).to_string() == "1969-12-30T23:59:59.999999");
    CHECK(Timestamp::from_micros(-2'208'988'800'000'000).to_string() == "1900-01-01T00:00:00");
    CHECK(Timestamp::from_micros(std::numeric_limits<std::int64_t>::max()).to_string() ==
          "+294247-01-10T04:00:54.775807");
    CHECK(Timestamp::from_micros(std::numeric_limits<std::int64_t>::min()).to_string() ==
          "-290308-12-21T19:59:05.224192");
}

TEST_CASE("Timestamp::parse_iso reads ISO 8601 local date-times", "[timestamp]") {
    struct Case {
        const char* text;
        std::int64_t micros;
        const char* formatted;
    };

    const Case cases[] = {
        {"2024-03-15T13:45:30", 1710510330000000, "2024-03-15T13:45:30"},
        {"2024-03-15 13:45:30", 1710510330000000, "2024-03-15T13:45:30"},
        {"2024-03-15T13:45:30Z", 1710510330000000, "2024-03-15T13:45:30"},
        {"2024-03-15T13:45:30.5", 1710510330500000, "2024-03-15T13:45:30.500000"},
        {"2024-03-15T13:45:30.000", 1710510330000000, "2024-03-15T13:45:30"},
        {"2024-03-15T13:45:30.123456Z", 1710510330123456, "2024-03-15T13:45:30.123456"},
        {"2024-03-15T13:45:30.000001", 1710510330000001, "2024-03-15T13:45:30.000001"},
        {"1969-12-31T23:59:59.999999", -1, "1969-12-31T23:59:59.999999"},
        {"1900-01-01T00:00:00", -2208988800000000, "1900-01-01T00:00:00"},
        {"0001-01-01T00:00:00", -62135596800000000, "0001-01-01T00:00:00"},
    };
    for (const Case& expected : cases) {
        CAPTURE(expected.text);
        const auto parsed = Timestamp::parse_iso(expected.text);
        REQUIRE(parsed.ok());
        CHECK(parsed->micros_since_epoch() == expected.micros);
        CHECK(parsed->to_string() == expected.formatted);
    }
}

TEST_CASE("Timestamp::parse_iso rejects malformed text", "[timestamp]") {
    CHECK(timestamp_error("2024-03-15T13:45") ==
          "invalid timestamp \"2024-03-15T13:45\": unexpected end at offset 16 (expected ':' of "
          "HH:MM:SS)");
    CHECK(timestamp_error("2024-03-15") ==
          "invalid timestamp \"2024-03-15\": unexpected end at offset 10 (expected 'T' or ' ' "
          "before the time)");
    CHECK(timestamp_error("2024-03-15t13:45:30").find("unexpected 't' at offset 10") !=
          std::string::npos);
    CHECK(timestamp_error("2024-03-15T25:00:00") ==
          "invalid timestamp \"2024-03-15T25:00:00\": hour 25 is outside 0..23");
    CHECK(timestamp_error("2024-03-15T23:59:60") ==
          "invalid timestamp \"2024-03-15T23:59:60\": second 60 is outside 0..59");
    CHECK(timestamp_error("2023-02-29T00:00:00") ==
          "invalid timestamp \"2023-02-29T00:00:00\": February 2023 has 28 days");
    CHECK(timestamp_error("2024-03-15T13:45:30.") ==
          "invalid timestamp \"2024-03-15T13:45:30.\": unexpected end at offset 20 (expected a "
          "fraction digit)");
    CHECK(timestamp_error("2024-03-15T13:45:30.1234567") ==
          "invalid timestamp \"2024-03-15T13:45:30.1234567\": more than 6 fraction digits at "
          "offset 26");
    CHECK(timestamp_error("2024-03-15T13:45:30+08:00") ==
          "invalid timestamp \"2024-03-15T13:45:30+08:00\": unexpected '+' at offset 19 "
          "(expected end of text)");
    CHECK(timestamp_error("2024-03-15T13:45:30ZZ").find("unexpected 'Z' at offset 20") !=
          std::string::npos);
    CHECK(timestamp_error("2024-03-15T1:45:30").find("unexpected ':' at offset 12") !=
          std::string::npos);
    CHECK(Timestamp::parse_iso("").status().code() == StatusCode::Data);
}

TEST_CASE("Timestamp round-trips through its text form", "[timestamp]") {
    // Step by a prime number of microseconds so fractions, seconds and days all vary.
    constexpr std::int64_t kStep = 7'919'000'003'317;
    std::int64_t checked = 0;
    for (std::int64_t micros = -62'135'596'800'000'000; micros < 253'402'300'800'000'000;
         micros += kStep) {
        const Timestamp ts = Timestamp::from_micros(micros);
        const auto parsed = Timestamp::parse_iso(ts.to_string());
        const auto midnight_days = (micros - ts.micros_of_day()) / Timestamp::kMicrosPerDay;
        if (!parsed.ok() || *parsed != ts || ts.date().days_since_epoch() != midnight_days) {
            FAIL("round trip failed for " << micros << " (" << ts.to_string() << ")");
        }
        ++checked;
    }
    CHECK(checked > 30'000);
    CHECK(Timestamp::from_micros(1) > Timestamp::from_micros(-1));
    CHECK(Timestamp::from_micros(5) == Timestamp::from_micros(5));
}

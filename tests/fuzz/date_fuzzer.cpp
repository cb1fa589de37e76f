// SPDX-License-Identifier: Apache-2.0
// date_fuzzer.cpp — Date::parse_iso and Timestamp::parse_iso on any text, checked against an
// independent reading of the same text; and the input's first bytes as raw day and microsecond
// counts (Arrow data), whose formatting must parse back to the same instant.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ferry/date.h"

#include "fuzz_support.h"

namespace {

using ferry::Date;
using ferry::Timestamp;
using ferry::fuzz::fail;

std::string_view g_input; // for failure messages

bool digits_at(std::string_view text, std::size_t pos, std::size_t count, std::int32_t& out) {
    out = 0;
    for (std::size_t idx = pos; idx < pos + count; ++idx) {
        if (idx >= text.size() || text[idx] < '0' || text[idx] > '9') {
            return false;
        }
        out = out * 10 + (text[idx] - '0');
    }
    return true;
}

/// The calendar from first principles, not through ferry::days_in_month.
bool valid_ymd(std::int32_t year, std::int32_t month, std::int32_t day) {
    constexpr std::int32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) {
        return false;
    }
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

/// "YYYY-MM-DD" at the start of `text` and a real day of years 1..9999.
bool date_prefix_ok(std::string_view text) {
    std::int32_t year = 0;
    std::int32_t month = 0;
    std::int32_t day = 0;
    return text.size() >= 10 && digits_at(text, 0, 4, year) && text[4] == '-' &&
           digits_at(text, 5, 2, month) && text[7] == '-' && digits_at(text, 8, 2, day) &&
           valid_ymd(year, month, day);
}

void check_date_text(std::string_view text) {
    const ferry::Result<Date> date = Date::parse_iso(text);
    const bool expected = text.size() == 10 && date_prefix_ok(text);
    if (date.ok() != expected) {
        fail(std::string("Date::parse_iso ") + (date.ok() ? "accepted" : "rejected") + " it",
             g_input);
    }
    if (!date.ok()) {
        ferry::fuzz::check_message(date.status().message(), g_input);
        return;
    }
    if (date->to_string() != text) {
        fail("Date formats back as " + date->to_string(), g_input);
    }
    const ferry::Result<Date> rebuilt = Date::from_ymd(date->year(), date->month(), date->day());
    if (!rebuilt.ok() || !(*rebuilt == *date)) {
        fail("year/month/day do not rebuild the date", g_input);
    }
}

/// What Timestamp::to_string must print for an accepted text: 'T', no 'Z', the fraction padded
/// to six digits, or left out when it is zero. Empty when the text is not of that grammar.
std::string canonical_timestamp(std::string_view text) {
    std::int32_t part = 0;
    if (!date_prefix_ok(text) || text.size() < 19 || (text[10] != 'T' && text[10] != ' ') ||
        !digits_at(text, 11, 2, part) || part > 23 || text[13] != ':' ||
        !digits_at(text, 14, 2, part) || part > 59 || text[16] != ':' ||
        !digits_at(text, 17, 2, part) || part > 59) {
        return {};
    }
    std::string out = std::string(text.substr(0, 10)) + "T" + std::string(text.substr(11, 8));
    std::string_view rest = text.substr(19);
    if (!rest.empty() && rest[0] == '.') {
        std::size_t count = 1;
        while (count < rest.size() && rest[count] >= '0' && rest[count] <= '9') {
            ++count;
        }
        std::string fraction(rest.substr(1, count - 1));
        if (fraction.empty() || fraction.size() > 6) {
            return {};
        }
        fraction.append(6 - fraction.size(), '0');
        if (fraction != "000000") {
            out += "." + fraction;
        }
        rest.remove_prefix(count);
    }
    if (!rest.empty() && rest[0] == 'Z') {
        rest.remove_prefix(1);
    }
    return rest.empty() ? out : std::string();
}

void check_timestamp_text(std::string_view text) {
    const ferry::Result<Timestamp> stamp = Timestamp::parse_iso(text);
    const std::string expected = canonical_timestamp(text);
    if (stamp.ok() == expected.empty()) {
        fail(std::string("Timestamp::parse_iso ") + (stamp.ok() ? "accepted" : "rejected") + " it",
             g_input);
    }
    if (!stamp.ok()) {
        ferry::fuzz::check_message(stamp.status().message(), g_input);
        return;
    }
    if (stamp->to_string() != expected) {
        fail("Timestamp formats as " + stamp->to_string() + ", expected " + expected, g_input);
    }
    if (!(stamp->date() == Date::parse_iso(text.substr(0, 10)).value())) {
        fail("Timestamp::date() is not the text's date", g_input);
    }
}

/// Any day count (Arrow date32 data) formats to a real calendar day; inside years 1..9999 the
/// text parses back to the same count.
void check_days(std::int32_t days) {
    const Date date = Date::from_days(days);
    const std::string text = date.to_string();
    if (date.month() < 1 || date.month() > 12 || date.day() < 1 || date.day() > 31) {
        fail("day count " + std::to_string(days) + " formats as " + text, g_input);
    }
    if (date.year() >= 1 && date.year() <= 9999) {
        const ferry::Result<Date> back = Date::parse_iso(text);
        if (!back.ok() || back->days_since_epoch() != days) {
            fail("day count " + std::to_string(days) + " does not round-trip via " + text, g_input);
        }
    }
}

void check_micros(std::int64_t micros) {
    const Timestamp stamp = Timestamp::from_micros(micros);
    if (stamp.micros_of_day() < 0 || stamp.micros_of_day() >= Timestamp::kMicrosPerDay) {
        fail("micros_of_day out of range", g_input);
    }
    const std::string text = stamp.to_string();
    const Date date = stamp.date();
    if (date.year() >= 1 && date.year() <= 9999) {
        const ferry::Result<Timestamp> back = Timestamp::parse_iso(text);
        if (!back.ok() || back->micros_since_epoch() != micros) {
            fail("microseconds " + std::to_string(micros) + " do not round-trip via " + text,
                 g_input);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = ferry::fuzz::as_text(data, size);
    g_input = input;
    check_date_text(input);
    check_timestamp_text(input);
    if (size >= sizeof(std::int64_t)) {
        std::int32_t days = 0;
        std::int64_t micros = 0;
        std::memcpy(&days, data, sizeof days);
        std::memcpy(&micros, data, sizeof micros);
        check_days(days);
        check_micros(micros);
    }
    return 0;
}

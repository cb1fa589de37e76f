// SPDX-License-Identifier: Apache-2.0
// validators.cpp — identifiers that carry their own check: citizen ID numbers (GB 11643),
// unified social credit codes (GB 32100), organization codes (GB 11714) and mobile numbers.
// Each normalises (trim, upper-case) and rejects what fails; reasons name positions, never the
// value, because these fields are personal or at least sensitive.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/date.h"
#include "ferry/text.h"

#include "builtin.h"
#include "check_digits.h"
#include "support.h"

namespace ferry::transforms {

namespace {

namespace cd = check_digits;

/// Code points of valid UTF-8: every byte that is not a continuation byte starts one.
std::size_t count_code_points(std::string_view text) noexcept {
    std::size_t count = 0;
    for (const char byte : text) {
        count += (static_cast<unsigned char>(byte) & 0xC0U) != 0x80U ? 1U : 0U;
    }
    return count;
}

/// The byte offset of the first non-ASCII byte, or npos. Everything before it is ASCII, so the
/// offset is also the code-point index, which is what reasons report.
std::size_t first_non_ascii(std::string_view text) noexcept {
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        if (static_cast<unsigned char>(text[pos]) >= 0x80U) {
            return pos;
        }
    }
    return std::string_view::npos;
}

char ascii_upper(char ch) noexcept {
    return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
}

bool is_digit(char ch) noexcept {
    return ch >= '0' && ch <= '9';
}

int two_digits(const char* text) noexcept {
    return (text[0] - '0') * 10 + (text[1] - '0');
}

/// "character 5 …" counting from 1, as people read positions.
std::string at_character(std::size_t index, std::string_view what) {
    return "character " + std::to_string(index + 1) + " " + std::string(what);
}

CellFailure length_failure(std::string_view rule, std::string_view expected, std::size_t got) {
    if (got == 0) {
        return CellFailure{std::string(rule), "is empty"};
    }
    return CellFailure{std::string(rule),
                       std::string(expected) + " characters expected, got " + std::to_string(got)};
}

// ---- GB 11643 citizen ID numbers ----

constexpr std::string_view kIdRule = "gb11643";

/// Validates a 15- or 18-character ID number and writes its 18-character form into `id`.
std::optional<CellFailure>
normalise_id(std::string_view raw, bool upgrade_15, std::array<char, 18>& id) {
    const std::string_view text = trim_ascii_spaces(raw);
    const std::size_t length = count_code_points(text);
    if (length != 18 && !(upgrade_15 && length == 15)) {
        if (length == 15) {
            return CellFailure{std::string(kIdRule),
                               "18 characters expected, got 15 (upgrade_15 is off)"};
        }
        return length_failure(kIdRule, upgrade_15 ? "15 or 18" : "18", length);
    }
    if (const std::size_t bad = first_non_ascii(text); bad != std::string_view::npos) {
        return CellFailure{
            std::string(kIdRule),
            at_character(bad, bad == 17 ? "must be a digit or X" : "is not a digit")};
    }
    const bool legacy = length == 15;
    const std::size_t digits = legacy ? 15 : 17; // the check character is checked below
    for (std::size_t pos = 0; pos < digits; ++pos) {
        if (!is_digit(text[pos])) {
            return CellFailure{std::string(kIdRule), at_character(pos, "is not a digit")};
        }
    }
    if (legacy) {
        // GB 11643's upgrade of the 1980s numbers: the 2-digit year gains "19", then a check
        // character is appended.
        text.copy(id.data(), 6, 0);
        id[6] = '1';
        id[7] = '9';
        text.copy(id.data() + 8, 9, 6);
    } else {
        text.copy(id.data(), 18, 0);
        id[17] = ascii_upper(id[17]);
        if (!is_digit(id[17]) && id[17] != 'X') {
            return CellFailure{std::string(kIdRule), at_character(17, "must be a digit or X")};
        }
    }
    const int year = (id[6] - '0') * 1000 + (id[7] - '0') * 100 + two_digits(&id[8]);
    const int month = two_digits(&id[10]);
    const int day = two_digits(&id[12]);
    const char* where = legacy ? "birth date (characters 7–12)" : "birth date (characters 7–14)";
    if (month < 1 || month > 12) {
        return CellFailure{std::string(kIdRule), std::string(where) + ": month is outside 01..12"};
    }
    if (year < 1 || day < 1 || day > days_in_month(year, month)) {
        return CellFailure{std::string(kIdRule), std::string(where) + " is not a calendar date"};
    }
    const char check = cd::gb11643_check_char(std::string_view(id.data(), 17));
    if (legacy) {
        id[17] = check;
    } else if (id[17] != check) {
        return CellFailure{std::string(kIdRule), "check character (character 18) is wrong"};
    }
    return std::nullopt;
}

enum class IdOutput { Normalised, BirthDate, Gender };

Result<BoundTransform> create_id(const TransformSetup& setup, const char* op, IdOutput output) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, op, {TypeKind::Utf8}, "text"));
    const bool upgrade_15 = arg_or<bool>(setup.args, "upgrade_15", true);
    switch (output) {
    case IdOutput::Normalised:
        return BoundTransform{
            make_cell_transform([upgrade_15](const Column& in, std::int64_t row,
                                             Column& out) -> std::optional<CellFailure> {
                std::array<char, 18> id{};
                if (auto failure = normalise_id(in.text(row), upgrade_15, id)) {
                    return failure;
                }
                out.append_text(std::string_view(id.data(), id.size()));
                return std::nullopt;
            }),
            DataType::utf8()};
    case IdOutput::BirthDate:
        return BoundTransform{
            make_cell_transform([upgrade_15](const Column& in, std::int64_t row,
                                             Column& out) -> std::optional<CellFailure> {
                std::array<char, 18> id{};
                if (auto failure = normalise_id(in.text(row), upgrade_15, id)) {
                    return failure;
                }
                const int year = two_digits(&id[6]) * 100 + two_digits(&id[8]);
                // normalise_id has checked the calendar, so this cannot fail.
                out.append_date(
                    Date::from_ymd(year, two_digits(&id[10]), two_digits(&id[12])).value());
                return std::nullopt;
            }),
            DataType::date32()};
    case IdOutput::Gender:
        return BoundTransform{
            make_cell_transform([upgrade_15](const Column& in, std::int64_t row,
                                             Column& out) -> std::optional<CellFailure> {
                std::array<char, 18> id{};
                if (auto failure = normalise_id(in.text(row), upgrade_15, id)) {
                    return failure;
                }
                // GB 11643: the sequence number (characters 15-17) is odd for men, even for
                // women; GB/T 2261.1 codes them 1 and 2.
                out.append_text((id[16] - '0') % 2 == 1 ? "1" : "2");
                return std::nullopt;
            }),
            DataType::utf8()};
    }
    return Status::internal(std::string(op) + ": unknown output");
}

// ---- GB 32100 unified social credit codes ----

constexpr std::string_view kUsccRule = "uscc";

std::optional<CellFailure>
normalise_uscc(std::string_view raw, bool check_org_code, std::array<char, 18>& code) {
    static const std::string not_in_alphabet =
        "is not in the USCC alphabet (digits and A-Z without I, O, S, V, Z)";
    const std::string_view text = trim_ascii_spaces(raw);
    const std::size_t length = count_code_points(text);
    if (length != 18) {
        return length_failure(kUsccRule, "18", length);
    }
    if (const std::size_t bad = first_non_ascii(text); bad != std::string_view::npos) {
        return CellFailure{std::string(kUsccRule), at_character(bad, not_in_alphabet)};
    }
    for (std::size_t pos = 0; pos < 18; ++pos) {
        code[pos] = ascii_upper(text[pos]);
        if (cd::uscc_value(code[pos]) < 0) {
            return CellFailure{std::string(kUsccRule), at_character(pos, not_in_alphabet)};
        }
    }
    // Only the division code must be digits: the first two characters may be letters (A1, N2,
    // Y1), which validators requiring 8 leading digits wrongly reject.
    for (std::size_t pos = 2; pos < 8; ++pos) {
        if (!is_digit(code[pos])) {
            return CellFailure{
                std::string(kUsccRule),
                at_character(pos, "is not a digit (characters 3–8 are the division code)")};
        }
    }
    if (code[17] != cd::uscc_check_char(std::string_view(code.data(), 17))) {
        return CellFailure{std::string(kUsccRule), "check character (character 18) is wrong"};
    }
    if (check_org_code && code[16] != cd::gb11714_check_char(std::string_view(&code[8], 8))) {
        return CellFailure{std::string(kUsccRule),
                           "organization code check character (character 17) is wrong"};
    }
    return std::nullopt;
}

Result<BoundTransform> create_uscc(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "uscc", {TypeKind::Utf8}, "text"));
    const bool check_org_code = arg_or<bool>(setup.args, "check_org_code", true);
    return BoundTransform{
        make_cell_transform([check_org_code](const Column& in, std::int64_t row,
                                             Column& out) -> std::optional<CellFailure> {
            std::array<char, 18> code{};
            if (auto failure = normalise_uscc(in.text(row), check_org_code, code)) {
                return failure;
            }
            out.append_text(std::string_view(code.data(), code.size()));
            return std::nullopt;
        }),
        DataType::utf8()};
}

// ---- GB 11714 organization codes ----

constexpr std::string_view kOrgRule = "org_code";

/// Validates `XXXXXXXX-X` or `XXXXXXXXX` and writes the 9 characters without the hyphen.
std::optional<CellFailure> normalise_org_code(std::string_view raw, std::array<char, 9>& code) {
    const std::string_view text = trim_ascii_spaces(raw);
    const std::size_t length = count_code_points(text);
    if (length != 9 && length != 10) {
        return length_failure(kOrgRule, "9 (or 10 as XXXXXXXX-X)", length);
    }
    if (const std::size_t bad = first_non_ascii(text); bad != std::string_view::npos) {
        return CellFailure{std::string(kOrgRule), at_character(bad, "is not 0-9 or A-Z")};
    }
    if (length == 10 && text[8] != '-') {
        return CellFailure{std::string(kOrgRule),
                           "character 9 of a 10-character code must be the hyphen"};
    }
    for (std::size_t pos = 0; pos < 8; ++pos) {
        code[pos] = ascii_upper(text[pos]);
        if (cd::gb11714_value(code[pos]) < 0) {
            return CellFailure{std::string(kOrgRule), at_character(pos, "is not 0-9 or A-Z")};
        }
    }
    code[8] = ascii_upper(text[length - 1]);
    if (code[8] != cd::gb11714_check_char(std::string_view(code.data(), 8))) {
        return CellFailure{std::string(kOrgRule), "check character (the last) is wrong"};
    }
    return std::nullopt;
}

Result<BoundTransform> create_org_code(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "org_code", {TypeKind::Utf8}, "text"));
    const bool hyphen = arg_or<bool>(setup.args, "hyphen", true);
    return BoundTransform{make_cell_transform([hyphen](const Column& in, std::int64_t row,
                                                       Column& out) -> std::optional<CellFailure> {
                              std::array<char, 9> code{};
                              if (auto failure = normalise_org_code(in.text(row), code)) {
                                  return failure;
                              }
                              std::array<char, 10> printed{};
                              std::string_view(code.data(), 8).copy(printed.data(), 8);
                              printed[8] = '-';
                              printed[9] = code[8];
                              out.append_text(hyphen ? std::string_view(printed.data(), 10)
                                                     : std::string_view(code.data(), 9));
                              return std::nullopt;
                          }),
                          DataType::utf8()};
}

// ---- mainland mobile numbers ----

constexpr std::string_view kMobileRule = "mobile";

std::optional<CellFailure> normalise_mobile(std::string_view raw, std::array<char, 11>& number) {
    // Room for "+86" or "0086" and 11 digits; anything longer is wrong whatever it holds.
    std::array<char, 16> kept{};
    std::size_t count = 0;
    std::size_t digits = 0;
    for (const char ch : raw) {
        if (ch == ' ' || ch == '-' || ch == '\t') {
            continue; // "138 0013 8000", "138-0013-8000"
        }
        if (!is_digit(ch) && !(ch == '+' && count == 0)) {
            return CellFailure{std::string(kMobileRule),
                               "has a character other than digits, spaces, hyphens and a "
                               "leading +"};
        }
        digits += ch == '+' ? 0U : 1U;
        if (count < kept.size()) {
            kept[count] = ch;
        }
        ++count;
    }
    if (count == 0) {
        return CellFailure{std::string(kMobileRule), "is empty"};
    }
    std::string_view number_text(kept.data(), std::min(count, kept.size()));
    if (number_text.starts_with('+')) {
        if (!number_text.starts_with("+86")) {
            return CellFailure{std::string(kMobileRule),
                               "country code is not +86 (not a mainland number)"};
        }
        number_text.remove_prefix(3);
        digits -= 2;
    } else if (number_text.starts_with("0086")) {
        number_text.remove_prefix(4);
        digits -= 4;
    } else if (number_text.starts_with("86") && digits == 13) {
        number_text.remove_prefix(2);
        digits -= 2;
    }
    if (digits != 11) {
        return CellFailure{std::string(kMobileRule),
                           "11 digits expected after the country code, got " +
                               std::to_string(digits)};
    }
    if (number_text[0] != '1' || number_text[1] < '3') {
        return CellFailure{std::string(kMobileRule),
                           "does not start with 13-19 (mainland mobile prefixes)"};
    }
    number_text.copy(number.data(), 11);
    return std::nullopt;
}

Result<BoundTransform> create_mobile(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "mobile", {TypeKind::Utf8}, "text"));
    return BoundTransform{make_cell_transform([](const Column& in, std::int64_t row,
                                                 Column& out) -> std::optional<CellFailure> {
                              std::array<char, 11> number{};
                              if (auto failure = normalise_mobile(in.text(row), number)) {
                                  return failure;
                              }
                              out.append_text(std::string_view(number.data(), number.size()));
                              return std::nullopt;
                          }),
                          DataType::utf8()};
}

constexpr const char* kIdSchema =
    R"json({"type":"object","additionalProperties":false,"properties":{
        "upgrade_15":{"type":"boolean",
          "description":"accept 15-digit legacy numbers by upgrading them to 18 (default true)"}}})json";

} // namespace

void register_validators(TransformRegistry& registry) {
    must_add(registry,
             {"gb11643",
              "validates a citizen ID number (GB 11643) and outputs its 18-character form",
              kIdSchema, 1, 1, Protection::None, [](const TransformSetup& setup) {
                  return create_id(setup, "gb11643", IdOutput::Normalised);
              }});
    must_add(registry,
             {"gb11643_birth_date", "the birth date inside a valid citizen ID number, as a date",
              kIdSchema, 1, 1, Protection::None, [](const TransformSetup& setup) {
                  return create_id(setup, "gb11643_birth_date", IdOutput::BirthDate);
              }});
    must_add(registry,
             {"gb11643_gender", "the GB/T 2261.1 sex code (1 or 2) of a valid citizen ID number",
              kIdSchema, 1, 1, Protection::None, [](const TransformSetup& setup) {
                  return create_id(setup, "gb11643_gender", IdOutput::Gender);
              }});
    must_add(registry,
             {"uscc", "validates a unified social credit code (GB 32100) and upper-cases it",
              R"json({"type":"object","additionalProperties":false,"properties":{
                  "check_org_code":{"type":"boolean",
                    "description":"also check the GB 11714 code in characters 9-17 (default true)"}}})json",
              1, 1, Protection::None, create_uscc});
    must_add(registry,
             {"org_code", "validates an organization code (GB 11714) and prints it as XXXXXXXX-X",
              R"json({"type":"object","additionalProperties":false,"properties":{
                  "hyphen":{"type":"boolean",
                    "description":"output XXXXXXXX-X (true, the default) or the 9 characters"}}})json",
              1, 1, Protection::None, create_org_code});
    must_add(registry, {"mobile", "validates a mainland mobile number and outputs its 11 digits",
                        "", 1, 1, Protection::None, create_mobile});
}

} // namespace ferry::transforms

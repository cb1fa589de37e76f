// SPDX-License-Identifier: Apache-2.0
// text_regex.cpp — the RE2 transforms of the text family (regex_extract, matches, replace) and
// to_text, which formats any scalar as text. Split from text.cpp to keep each file short.
#include <array>
#include <charconv>
#include <memory>
#include <optional>
#include <re2/re2.h>
#include <string>
#include <string_view>

#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

namespace {

using json = nlohmann::json;

// ---- regex_extract, matches, replace ------------------------------------------------------

constexpr int kMaxGroup = 32;

Result<std::shared_ptr<const RE2>> compile(std::string_view op, const json& args) {
    RE2::Options options;
    options.set_log_errors(false); // the error goes back to the mapping author, not stderr
    auto re = std::make_shared<const RE2>(args.at("pattern").get<std::string>(), options);
    if (!re->ok()) {
        return bad_argument(op, "pattern", "does not compile: " + re->error());
    }
    return re;
}

re2::StringPiece piece(std::string_view text) {
    return re2::StringPiece(text.data(), text.size());
}

Result<BoundTransform> make_regex_extract(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "regex_extract"));
    FERRY_ASSIGN_OR_RETURN(auto re, compile("regex_extract", setup.args));
    const int group = arg_or<int>(setup.args, "group", 1);
    if (group > re->NumberOfCapturingGroups()) {
        return bad_argument("regex_extract", "group",
                            "the pattern has " + std::to_string(re->NumberOfCapturingGroups()) +
                                " capturing groups");
    }
    const bool to_null = arg_or<std::string>(setup.args, "on_mismatch", "reject") == "null";
    return text_step(
        [re = std::move(re), group, to_null](const Column& in, std::int64_t row,
                                             Column& out) -> std::optional<CellFailure> {
            const std::string_view text = in.text(row);
            std::array<re2::StringPiece, kMaxGroup + 1> groups;
            const auto index = static_cast<std::size_t>(group);
            const bool matched =
                re->Match(piece(text), 0, text.size(), RE2::UNANCHORED, groups.data(), group + 1);
            // An optional group that took no part in the match counts as a mismatch.
            if (matched && groups[index].data() != nullptr) {
                out.append_text(std::string_view(groups[index].data(), groups[index].size()));
            } else if (to_null) {
                out.append_null();
            } else {
                return CellFailure{"regex_extract",
                                   matched ? "group " + std::to_string(group) + " did not take part"
                                           : std::string("does not match the pattern")};
            }
            return std::nullopt;
        });
}

Result<BoundTransform> make_matches(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "matches"));
    FERRY_ASSIGN_OR_RETURN(auto re, compile("matches", setup.args));
    std::string message =
        arg_or<std::string>(setup.args, "message", "does not match the pattern " + re->pattern());
    return text_step([re = std::move(re),
                      message = std::move(message)](const Column& in, std::int64_t row,
                                                    Column& out) -> std::optional<CellFailure> {
        const std::string_view text = in.text(row);
        if (!re->Match(piece(text), 0, text.size(), RE2::ANCHOR_BOTH, nullptr, 0)) {
            return CellFailure{"matches", message};
        }
        out.append_text(text);
        return std::nullopt;
    });
}

/// RE2::GlobalReplace, writing into the output cell instead of a copy of the input.
void global_replace(
    const RE2& re, std::string_view rewrite, int groups, std::string_view text, std::string& cell) {
    std::array<re2::StringPiece, 10> match; // a rewrite names at most \0..\9
    const char* pos = text.data();
    const char* const end = text.data() + text.size();
    const char* last_end = nullptr;
    while (pos <= end) {
        const auto start = static_cast<std::size_t>(pos - text.data());
        if (!re.Match(piece(text), start, text.size(), RE2::UNANCHORED, match.data(), groups)) {
            break;
        }
        cell.append(pos, static_cast<std::size_t>(match[0].data() - pos));
        pos = match[0].data();
        if (match[0].empty() && pos == last_end) {
            // An empty match right after the previous match: copy one code point and move on,
            // as GlobalReplace does, so "a*" on "baaa" does not replace twice in one place.
            if (pos == end) {
                break;
            }
            const std::size_t length = sequence_length(*pos);
            cell.append(pos, length);
            pos += length;
            continue;
        }
        re.Rewrite(&cell, piece(rewrite), match.data(), groups);
        pos += match[0].size();
        last_end = pos;
    }
    if (pos < end) {
        cell.append(pos, static_cast<std::size_t>(end - pos));
    }
}

Result<BoundTransform> make_replace(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "replace"));
    FERRY_ASSIGN_OR_RETURN(auto re, compile("replace", setup.args));
    std::string rewrite = setup.args.at("with").get<std::string>();
    std::string error;
    if (!re->CheckRewriteString(piece(rewrite), &error)) {
        return bad_argument("replace", "with", error);
    }
    const int groups = 1 + RE2::MaxSubmatch(piece(rewrite));
    return text_step(
        [re = std::move(re), rewrite = std::move(rewrite),
         groups](const Column& in, std::int64_t row, Column& out) -> std::optional<CellFailure> {
            global_replace(*re, rewrite, groups, in.text(row), out.open_cell());
            out.close_cell();
            return std::nullopt;
        });
}

// ---- to_text ------------------------------------------------------------------------------

void append_two_digits(std::string& cell, std::int64_t value) {
    cell.push_back(static_cast<char>('0' + value / 10));
    cell.push_back(static_cast<char>('0' + value % 10));
}

/// Decimal::to_string without the temporary strings: the scale is kept ("4129.90", "-0.05").
void append_decimal(std::string& cell, const Decimal& value) {
    __extension__ typedef unsigned __int128 UInt128;
    const Int128 unscaled = value.unscaled();
    UInt128 mag =
        unscaled < 0 ? UInt128{0} - static_cast<UInt128>(unscaled) : static_cast<UInt128>(unscaled);
    std::array<char, 80> digits{};
    std::size_t pos = digits.size();
    std::int32_t written = 0;
    do {
        if (written == value.scale() && written > 0) {
            digits[--pos] = '.';
        }
        digits[--pos] = static_cast<char>('0' + static_cast<int>(mag % 10));
        mag /= 10;
        ++written;
    } while (mag != 0 || written <= value.scale());
    if (unscaled < 0) {
        digits[--pos] = '-';
    }
    cell.append(digits.data() + pos, digits.size() - pos);
}

void append_timestamp(std::string& cell, Timestamp stamp) {
    cell.append(stamp.date().to_string()); // fits the short-string buffer: no allocation
    std::int64_t micros = stamp.micros_of_day();
    const std::int64_t seconds = micros / Timestamp::kMicrosPerSecond;
    micros %= Timestamp::kMicrosPerSecond;
    cell.push_back('T');
    append_two_digits(cell, seconds / 3600);
    cell.push_back(':');
    append_two_digits(cell, seconds / 60 % 60);
    cell.push_back(':');
    append_two_digits(cell, seconds % 60);
    if (micros != 0) {
        cell.push_back('.');
        for (std::int64_t unit = 100'000; unit > 0; unit /= 10) {
            cell.push_back(static_cast<char>('0' + micros / unit % 10));
        }
    }
}

Result<BoundTransform> make_to_text(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(
        require_inputs(setup, "to_text",
                       {TypeKind::Bool, TypeKind::Int64, TypeKind::Decimal128, TypeKind::Date32,
                        TypeKind::TimestampMicros, TypeKind::Utf8},
                       "bool, int64, decimal, date, timestamp or text"));
    const TypeKind kind = setup.input_types.front().kind();
    return text_step(
        [kind](const Column& in, std::int64_t row, Column& out) -> std::optional<CellFailure> {
            std::string& cell = out.open_cell();
            switch (kind) {
            case TypeKind::Bool:
                cell.append(in.boolean(row) ? "true" : "false");
                break;
            case TypeKind::Int64: {
                std::array<char, 24> digits{};
                const auto result =
                    std::to_chars(digits.data(), digits.data() + digits.size(), in.int64(row));
                cell.append(digits.data(), result.ptr);
                break;
            }
            case TypeKind::Decimal128:
                append_decimal(cell, in.decimal(row));
                break;
            case TypeKind::Date32:
                cell.append(in.date(row).to_string());
                break;
            case TypeKind::TimestampMicros:
                append_timestamp(cell, in.timestamp(row));
                break;
            default:
                cell.append(in.text(row));
                break;
            }
            out.close_cell();
            return std::nullopt;
        });
}

} // namespace

void register_text_regex(TransformRegistry& registry) {
    add(registry, "regex_extract", "the first match of a pattern, or one of its groups",
        R"j({"type": "object", "additionalProperties": false, "required": ["pattern"], "properties": {
            "pattern": {"type": "string", "description": "RE2 pattern, searched anywhere in the text"},
            "group": {"type": "integer", "minimum": 0, "maximum": 32,
                      "description": "capturing group to output, 0 for the whole match (default 1)"},
            "on_mismatch": {"enum": ["reject", "null"],
                            "description": "what a value without a match becomes (default reject)"}}})j",
        make_regex_extract);
    add(registry, "matches", "rejects text that does not match a pattern as a whole",
        R"j({"type": "object", "additionalProperties": false, "required": ["pattern"], "properties": {
            "pattern": {"type": "string", "description": "RE2 pattern the whole value must match"},
            "message": {"type": "string", "minLength": 1,
                        "description": "the reject reason (never put values in it)"}}})j",
        make_matches);
    add(registry, "replace", "replaces every match of a pattern",
        R"j({"type": "object", "additionalProperties": false, "required": ["pattern", "with"],
            "properties": {
            "pattern": {"type": "string", "description": "RE2 pattern"},
            "with": {"type": "string",
                     "description": "replacement; \\1..\\9 insert groups, \\0 the match"}}})j",
        make_replace);
    add(registry, "to_text", "any scalar as text (decimals keep their scale, ISO dates)", "",
        make_to_text);
}

} // namespace ferry::transforms

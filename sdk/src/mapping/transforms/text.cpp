// SPDX-License-Identifier: Apache-2.0
// text.cpp — text transforms: trimming, padding, case, width, slicing, joining and null
// handling. The regular expressions (RE2) and to_text are in text_regex.cpp.
#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

namespace {

using json = nlohmann::json;

/// Byte offset `count` code points after `pos`, or the end of `text`.
std::size_t skip_code_points(std::string_view text, std::size_t pos, std::int64_t count) noexcept {
    for (; count > 0 && pos < text.size(); --count) {
        pos += sequence_length(text[pos]);
    }
    return pos < text.size() ? pos : text.size();
}

std::int64_t count_code_points(std::string_view text) noexcept {
    std::int64_t count = 0;
    for (const char ch : text) {
        count += (static_cast<unsigned char>(ch) & 0xC0) != 0x80 ? 1 : 0;
    }
    return count;
}

/// A set of code points to trim: a table for ASCII, the UTF-8 sequences of the others.
class CharSet {
public:
    explicit CharSet(std::string_view chars) {
        for (std::size_t pos = 0; pos < chars.size();) {
            const std::size_t length = sequence_length(chars[pos]);
            if (length == 1) {
                ascii_[static_cast<unsigned char>(chars[pos])] = true;
            } else {
                others_.emplace_back(chars.substr(pos, length));
            }
            pos += length;
        }
    }

    /// Length in bytes of the member that starts `text`, 0 if none does.
    std::size_t match_front(std::string_view text) const noexcept {
        const auto byte = static_cast<unsigned char>(text.front());
        if (byte < 0x80) {
            return ascii_[byte] ? 1 : 0;
        }
        for (const std::string& other : others_) {
            if (text.starts_with(other)) {
                return other.size();
            }
        }
        return 0;
    }

    /// Length in bytes of the member that ends `text`. In valid UTF-8 a suffix equal to a whole
    /// sequence starts at a lead byte, so it is exactly that code point.
    std::size_t match_back(std::string_view text) const noexcept {
        const auto byte = static_cast<unsigned char>(text.back());
        if (byte < 0x80) {
            return ascii_[byte] ? 1 : 0;
        }
        for (const std::string& other : others_) {
            if (text.ends_with(other)) {
                return other.size();
            }
        }
        return 0;
    }

    std::string_view trim(std::string_view text, bool left, bool right) const noexcept {
        for (std::size_t n = 0; left && !text.empty() && (n = match_front(text)) != 0;) {
            text.remove_prefix(n);
        }
        for (std::size_t n = 0; right && !text.empty() && (n = match_back(text)) != 0;) {
            text.remove_suffix(n);
        }
        return text;
    }

private:
    std::array<bool, 128> ascii_{};
    std::vector<std::string> others_;
};

/// ASCII space, tab, CR, LF and the ideographic (full-width) space U+3000.
constexpr std::string_view kDefaultSpaces = " \t\r\n\xE3\x80\x80";

bool is_blank(std::string_view text) {
    static const CharSet spaces{kDefaultSpaces};
    return spaces.trim(text, true, false).empty();
}

// ---- trim, pad, upper, lower, halfwidth, substring ----------------------------------------

Result<BoundTransform> make_trim(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "trim"));
    const std::string side = arg_or<std::string>(setup.args, "side", "both");
    const bool left = side != "right";
    const bool right = side != "left";
    CharSet chars(arg_or<std::string>(setup.args, "chars", std::string(kDefaultSpaces)));
    return text_step(
        [chars = std::move(chars), left, right](const Column& in, std::int64_t row,
                                                Column& out) -> std::optional<CellFailure> {
            out.append_text(chars.trim(in.text(row), left, right));
            return std::nullopt;
        });
}

Result<BoundTransform> make_pad(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "pad"));
    const auto length = setup.args.at("length").get<std::int64_t>();
    const std::string fill = arg_or<std::string>(setup.args, "char", " ");
    if (fill.empty() || sequence_length(fill.front()) != fill.size()) {
        return bad_argument("pad", "char", "must be exactly one character");
    }
    const bool left = arg_or<std::string>(setup.args, "side", "left") == "left";
    return text_step([length, fill, left](const Column& in, std::int64_t row,
                                          Column& out) -> std::optional<CellFailure> {
        const std::string_view text = in.text(row);
        const std::int64_t missing = length - count_code_points(text);
        if (missing <= 0) {
            out.append_text(text);
            return std::nullopt;
        }
        std::string& cell = out.open_cell();
        if (!left) {
            cell.append(text);
        }
        for (std::int64_t i = 0; i < missing; ++i) {
            cell.append(fill);
        }
        if (left) {
            cell.append(text);
        }
        out.close_cell();
        return std::nullopt;
    });
}

Result<BoundTransform> make_case(const TransformSetup& setup, std::string_view op, bool upper) {
    FERRY_RETURN_IF_ERROR(require_text(setup, op));
    const char from = upper ? 'a' : 'A';
    return text_step(
        [from](const Column& in, std::int64_t row, Column& out) -> std::optional<CellFailure> {
            // Bytes of multi-byte UTF-8 sequences are all >= 0x80, so they never look like letters.
            std::string& cell = out.open_cell();
            const std::size_t start = cell.size();
            cell.append(in.text(row));
            for (std::size_t i = start; i < cell.size(); ++i) {
                if (cell[i] >= from && cell[i] <= from + 25) {
                    cell[i] = static_cast<char>(cell[i] ^ 0x20);
                }
            }
            out.close_cell();
            return std::nullopt;
        });
}

Result<BoundTransform> make_halfwidth(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "halfwidth"));
    return text_step(
        [](const Column& in, std::int64_t row, Column& out) -> std::optional<CellFailure> {
            const std::string_view text = in.text(row);
            // U+FF01..U+FF5E are EF BC 81..EF BD 9E; U+3000 is E3 80 80.
            if (std::none_of(text.begin(), text.end(),
                             [](char ch) { return ch == '\xEF' || ch == '\xE3'; })) {
                out.append_text(text);
                return std::nullopt;
            }
            std::string& cell = out.open_cell();
            for (std::size_t pos = 0; pos < text.size();) {
                const std::size_t length = sequence_length(text[pos]);
                const auto b0 = static_cast<unsigned char>(text[pos]);
                if (length == 3) {
                    const auto b1 = static_cast<unsigned char>(text[pos + 1]);
                    const auto b2 = static_cast<unsigned char>(text[pos + 2]);
                    const unsigned code = (b0 & 0x0Fu) << 12 | (b1 & 0x3Fu) << 6 | (b2 & 0x3Fu);
                    if (code >= 0xFF01 && code <= 0xFF5E) {
                        cell.push_back(static_cast<char>(code - 0xFF01 + 0x21));
                        pos += 3;
                        continue;
                    }
                    if (code == 0x3000) {
                        cell.push_back(' ');
                        pos += 3;
                        continue;
                    }
                }
                cell.append(text.substr(pos, length));
                pos += length;
            }
            out.close_cell();
            return std::nullopt;
        });
}

Result<BoundTransform> make_substring(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "substring"));
    const auto start = setup.args.at("start").get<std::int64_t>();
    const auto length = arg_or<std::int64_t>(setup.args, "length", -1);
    return text_step([start, length](const Column& in, std::int64_t row,
                                     Column& out) -> std::optional<CellFailure> {
        const std::string_view text = in.text(row);
        const std::size_t begin = skip_code_points(text, 0, start);
        const std::size_t end = length < 0 ? text.size() : skip_code_points(text, begin, length);
        out.append_text(text.substr(begin, end - begin));
        return std::nullopt;
    });
}

// ---- concat, split ------------------------------------------------------------------------

class Concat final : public Transform {
public:
    Concat(std::string separator, bool skip_nulls)
        : separator_(std::move(separator))
        , skip_nulls_(skip_nulls) {}

    void
    apply(std::span<const Column* const> inputs, Column& out, RowErrors& errors) const override {
        const std::int64_t rows = inputs.front()->size();
        out.reserve(rows);
        for (std::int64_t row = 0; row < rows; ++row) {
            std::size_t nulls = 0;
            for (const Column* input : inputs) {
                nulls += input->is_null(row) ? 1U : 0U;
            }
            if (errors.rejected(row) || nulls == inputs.size() || (nulls > 0 && !skip_nulls_)) {
                out.append_null();
                continue;
            }
            std::string& cell = out.open_cell();
            bool first = true;
            for (const Column* input : inputs) {
                if (input->is_null(row)) {
                    continue;
                }
                if (!first) {
                    cell.append(separator_);
                }
                cell.append(input->text(row));
                first = false;
            }
            out.close_cell();
        }
    }

private:
    std::string separator_;
    bool skip_nulls_;
};

Result<BoundTransform> make_concat(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "concat"));
    return BoundTransform{std::make_unique<Concat>(arg_or<std::string>(setup.args, "separator", ""),
                                                   arg_or<bool>(setup.args, "skip_nulls", false)),
                          DataType::utf8()};
}

/// Part `index` of `text` cut at `separator` (negative counts from the end), or nullopt.
std::optional<std::string_view>
split_part(std::string_view text, std::string_view separator, std::int64_t index) {
    if (index >= 0) {
        std::size_t begin = 0;
        for (std::int64_t i = 0; i < index; ++i) {
            const std::size_t found = text.find(separator, begin);
            if (found == std::string_view::npos) {
                return std::nullopt;
            }
            begin = found + separator.size();
        }
        const std::size_t end = text.find(separator, begin);
        return text.substr(begin, end == std::string_view::npos ? text.npos : end - begin);
    }
    std::size_t end = text.size();
    for (std::int64_t i = -1; i > index; --i) {
        const std::size_t found = text.substr(0, end).rfind(separator);
        if (found == std::string_view::npos) {
            return std::nullopt;
        }
        end = found;
    }
    const std::size_t found = text.substr(0, end).rfind(separator);
    const std::size_t begin = found == std::string_view::npos ? 0 : found + separator.size();
    return text.substr(begin, end - begin);
}

Result<BoundTransform> make_split(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "split"));
    std::string separator = setup.args.at("separator").get<std::string>();
    const auto index = setup.args.at("index").get<std::int64_t>();
    return text_step(
        [separator = std::move(separator), index](const Column& in, std::int64_t row,
                                                  Column& out) -> std::optional<CellFailure> {
            // A valid UTF-8 separator can only match at code point boundaries of valid UTF-8.
            if (const auto part = split_part(in.text(row), separator, index)) {
                out.append_text(*part);
            } else {
                out.append_null();
            }
            return std::nullopt;
        });
}

// ---- default, null_if, required -----------------------------------------------------------

/// The `value` argument of `default` as a one-cell column of `type`.
Result<Column> default_cell(const DataType& type, const json& value) {
    Column cell(type);
    const auto wrong = [&type](std::string_view expected) {
        return bad_argument("default", "value",
                            "a " + type.to_string() + " input needs " + std::string(expected));
    };
    switch (type.kind()) {
    case TypeKind::Utf8:
    case TypeKind::Binary:
        if (!value.is_string()) {
            return wrong("a string");
        }
        cell.append_text(value.get_ref<const std::string&>());
        return cell;
    case TypeKind::Int64:
        if (!value.is_number_integer() ||
            (value.is_number_unsigned() &&
             value.get<std::uint64_t>() >
                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
            return wrong("an integer in the int64 range");
        }
        cell.append_int64(value.get<std::int64_t>());
        return cell;
    case TypeKind::Bool:
        if (!value.is_boolean()) {
            return wrong("true or false");
        }
        cell.append_bool(value.get<bool>());
        return cell;
    case TypeKind::Decimal128: {
        if (!value.is_string()) {
            return wrong("a decimal written as a string, such as \"0.00\"");
        }
        Result<Decimal> parsed = Decimal::parse(value.get_ref<const std::string&>());
        if (parsed.ok()) {
            parsed = parsed->to_type(type.precision(), type.scale(), RoundingMode::Unnecessary);
        }
        if (!parsed.ok()) {
            return bad_argument("default", "value", parsed.status().message());
        }
        cell.append_decimal(*parsed);
        return cell;
    }
    case TypeKind::Date32: {
        Result<Date> date = value.is_string() ? Date::parse_iso(value.get_ref<const std::string&>())
                                              : Result<Date>(Status::data("not a string"));
        if (!date.ok()) {
            return wrong("a \"YYYY-MM-DD\" string (" + date.status().message() + ")");
        }
        cell.append_date(*date);
        return cell;
    }
    case TypeKind::TimestampMicros: {
        Result<Timestamp> stamp = value.is_string()
                                      ? Timestamp::parse_iso(value.get_ref<const std::string&>())
                                      : Result<Timestamp>(Status::data("not a string"));
        if (!stamp.ok()) {
            return wrong("a \"YYYY-MM-DDTHH:MM:SS\" string (" + stamp.status().message() + ")");
        }
        cell.append_timestamp(*stamp);
        return cell;
    }
    case TypeKind::Struct:
        break;
    }
    return Status::invalid_argument("default does not support " + type.to_string() + " input");
}

Result<BoundTransform> make_default(const TransformSetup& setup) {
    const DataType& type = setup.input_types.front();
    FERRY_ASSIGN_OR_RETURN(Column fallback, default_cell(type, setup.args.at("value")));
    auto fn = [fallback = std::move(fallback)](const Column& in, std::int64_t row,
                                               Column& out) -> std::optional<CellFailure> {
        out.append_from(in.is_null(row) ? fallback : in, in.is_null(row) ? 0 : row);
        return std::nullopt;
    };
    return BoundTransform{make_cell_transform(std::move(fn), true), type};
}

Result<BoundTransform> make_null_if(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_text(setup, "null_if"));
    auto values = arg_or<std::vector<std::string>>(setup.args, "values", {});
    const bool blank = arg_or<bool>(setup.args, "blank", false);
    if (values.empty() && !blank) {
        return bad_argument("null_if", "values", "give at least one value, or \"blank\": true");
    }
    return text_step(
        [values = std::move(values), blank](const Column& in, std::int64_t row,
                                            Column& out) -> std::optional<CellFailure> {
            const std::string_view text = in.text(row);
            bool to_null = blank && is_blank(text);
            for (std::size_t i = 0; !to_null && i < values.size(); ++i) {
                to_null = text == values[i];
            }
            if (to_null) {
                out.append_null();
            } else {
                out.append_text(text);
            }
            return std::nullopt;
        });
}

Result<BoundTransform> make_required(const TransformSetup& setup) {
    const DataType& type = setup.input_types.front();
    const bool text = type.kind() == TypeKind::Utf8;
    auto fn = [text](const Column& in, std::int64_t row,
                     Column& out) -> std::optional<CellFailure> {
        if (in.is_null(row) || (text && in.text(row).empty())) {
            return CellFailure{"required", "value is missing"};
        }
        out.append_from(in, row);
        return std::nullopt;
    };
    return BoundTransform{make_cell_transform(std::move(fn), true), type};
}

} // namespace

void register_text(TransformRegistry& registry) {
    add(registry, "trim", "removes spaces (or the given characters) from the ends",
        R"j({"type": "object", "additionalProperties": false, "properties": {
            "side": {"enum": ["both", "left", "right"], "description": "which end(s) to trim"},
            "chars": {"type": "string", "minLength": 1,
                      "description": "every character to remove; default space, tab, CR, LF, U+3000"}}})j",
        make_trim);
    add(registry, "pad", "pads text to a length in characters",
        R"j({"type": "object", "additionalProperties": false, "required": ["length"], "properties": {
            "length": {"type": "integer", "minimum": 1, "maximum": 100000,
                       "description": "wanted length in characters"},
            "char": {"type": "string", "minLength": 1, "maxLength": 1,
                     "description": "the padding character (default a space)"},
            "side": {"enum": ["left", "right"], "description": "where to pad (default left)"}}})j",
        make_pad);
    add(registry, "upper", "ASCII letters to upper case", "",
        [](const TransformSetup& setup) { return make_case(setup, "upper", true); });
    add(registry, "lower", "ASCII letters to lower case", "",
        [](const TransformSetup& setup) { return make_case(setup, "lower", false); });
    add(registry, "halfwidth", "full-width ASCII forms and U+3000 to their ASCII equivalents", "",
        make_halfwidth);
    add(registry, "substring", "part of the text, by character position",
        R"j({"type": "object", "additionalProperties": false, "required": ["start"], "properties": {
            "start": {"type": "integer", "minimum": 0, "description": "first character, 0-based"},
            "length": {"type": "integer", "minimum": 0,
                       "description": "number of characters (default: to the end)"}}})j",
        make_substring);
    add(registry, "concat", "joins 2 to 16 text inputs",
        R"j({"type": "object", "additionalProperties": false, "properties": {
            "separator": {"type": "string", "description": "put between the parts (default none)"},
            "skip_nulls": {"type": "boolean",
                           "description": "leave null inputs out instead of returning null"}}})j",
        make_concat, 2, 16);
    add(registry, "split", "one part of the text cut at a separator (null when missing)",
        R"j({"type": "object", "additionalProperties": false, "required": ["separator", "index"],
            "properties": {
            "separator": {"type": "string", "minLength": 1, "description": "what the parts are cut at"},
            "index": {"type": "integer",
                      "description": "0-based part number; negative counts from the end (-1 last)"}}})j",
        make_split);
    add(registry, "default", "replaces null with a fixed value",
        R"j({"type": "object", "additionalProperties": false, "required": ["value"], "properties": {
            "value": {"description": "the value for null cells, written for the input type"}}})j",
        make_default);
    add(registry, "null_if", "turns listed (or blank) text into null",
        R"j({"type": "object", "additionalProperties": false, "properties": {
            "values": {"type": "array", "items": {"type": "string"},
                       "description": "exact values that mean no value"},
            "blank": {"type": "boolean",
                      "description": "also empty and whitespace-only text (default false)"}}})j",
        make_null_if);
    add(registry, "required", "rejects null (and empty text)", "", make_required);
}

} // namespace ferry::transforms

// SPDX-License-Identifier: Apache-2.0
// numbers.cpp — number transforms: text to exact decimals and integers, rounding, scaling by a
// constant, and flags to booleans. Exact arithmetic only (ferry::Decimal, 128-bit integers): a
// double cannot hold 0.1, and amounts must reconcile to the 分.
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/text.h"

#include "builtin.h"
#include "number_text_internal.h"
#include "support.h"

namespace ferry::transforms {

namespace {

using json = nlohmann::json;

bool is_digit(char ch) noexcept {
    return ch >= '0' && ch <= '9';
}

/// 1-based character (code point) position of byte `offset` of `value`, for reject reasons.
std::int64_t position_of(std::string_view value, std::size_t offset) noexcept {
    std::int64_t position = 1;
    for (std::size_t i = 0; i < offset && i < value.size(); ++i) {
        position += (static_cast<unsigned char>(value[i]) & 0xC0U) != 0x80U ? 1 : 0;
    }
    return position;
}

std::string type_name(std::int32_t precision, std::int32_t scale) {
    return "decimal(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
}

CellFailure too_many_digits(std::string_view rule,
                            std::int64_t needed,
                            std::int32_t precision,
                            std::int32_t scale) {
    return {std::string(rule), "value needs " + std::to_string(needed) + " integer digits, " +
                                   type_name(precision, scale) + " allows " +
                                   std::to_string(precision - scale)};
}

CellFailure rounding_needed(std::string_view rule, std::int32_t scale) {
    return {std::string(rule),
            "needs rounding to " + std::to_string(scale) + " decimals (rounding is unnecessary)"};
}

/// The target of decimal, round and multiply: decimal(precision, scale) and a rounding mode.
struct DecimalTarget {
    std::int32_t precision = 0;
    std::int32_t scale = 0;
    RoundingMode rounding = RoundingMode::Unnecessary;

    /// `value` rounded into the type, or why it does not fit (never quoting it).
    std::optional<CellFailure>
    fit(const Decimal& value, std::string_view rule, Decimal& out) const {
        Result<Decimal> rescaled = value.rescale(scale, rounding);
        if (!rescaled.ok()) {
            // Lowering the scale fails only when rounding is forbidden; raising it, past 38 digits.
            if (scale < value.scale()) {
                return rounding_needed(rule, scale);
            }
            return too_many_digits(rule, value.precision() - value.scale(), precision, scale);
        }
        if (rescaled->precision() > precision) {
            return too_many_digits(rule, rescaled->precision() - scale, precision, scale);
        }
        out = *rescaled;
        return std::nullopt;
    }
};

/// Reads the precision, scale and rounding arguments shared by decimal and multiply.
Result<DecimalTarget>
read_target(std::string_view op, const json& args, RoundingMode default_rounding) {
    DecimalTarget target;
    target.precision = args.at("precision").get<std::int32_t>();
    target.scale = args.at("scale").get<std::int32_t>();
    if (target.scale > target.precision) {
        return bad_argument(op, "scale",
                            "must not exceed precision (" + std::to_string(target.precision) + ")");
    }
    target.rounding = default_rounding;
    if (const auto it = args.find("rounding"); it != args.end()) {
        FERRY_ASSIGN_OR_RETURN(target.rounding, parse_rounding_mode(it->get<std::string>()));
    }
    return target;
}

template <typename Fn>
BoundTransform decimal_step(const DecimalTarget& target, Fn fn) {
    return BoundTransform{make_cell_transform(std::move(fn)),
                          DataType::decimal128(target.precision, target.scale).value()};
}

// ---- decimal ------------------------------------------------------------------------------

/// Legacy number text straight into decimal(precision, scale) (the SDK's number_text, shared
/// with ferry/legacy_cells.h), worded as the mapping words reasons: positions in characters.
/// Sets `is_null` for blank text.
std::optional<CellFailure> parse_decimal_text(std::string_view raw,
                                              const detail::NumberSyntax& syntax,
                                              const DecimalTarget& target,
                                              Decimal& out,
                                              bool& is_null) {
    constexpr std::string_view kRule = "decimal";
    const std::optional<detail::NumberTextError> error = detail::parse_number_text(
        raw, syntax, {target.precision, target.scale, target.rounding}, out, is_null);
    if (!error) {
        return std::nullopt;
    }
    const std::string at = std::to_string(position_of(raw, error->offset));
    switch (error->problem) {
    case detail::NumberProblem::NotADigit:
        return CellFailure{std::string(kRule), "character " + at + " is not a digit"};
    case detail::NumberProblem::MisplacedSeparator:
        return CellFailure{std::string(kRule),
                           "thousands separator at character " + at + " is misplaced"};
    case detail::NumberProblem::NoDigits:
        return CellFailure{std::string(kRule), "has no digits"};
    case detail::NumberProblem::SignAtBothEnds:
        return CellFailure{std::string(kRule), "has a sign at both ends"};
    case detail::NumberProblem::PointAndImplied:
        return CellFailure{std::string(kRule), "has a decimal point, but implied_scale is " +
                                                   std::to_string(syntax.implied_scale)};
    case detail::NumberProblem::TooManyDigits:
        return too_many_digits(kRule, error->integer_digits, target.precision, target.scale);
    case detail::NumberProblem::NeedsRounding:
        break;
    }
    return rounding_needed(kRule, target.scale);
}

Result<BoundTransform> make_decimal(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "decimal",
                                         {TypeKind::Utf8, TypeKind::Int64, TypeKind::Decimal128},
                                         "text, int64 or decimal"));
    FERRY_ASSIGN_OR_RETURN(const DecimalTarget target,
                           read_target("decimal", setup.args, RoundingMode::Unnecessary));
    detail::NumberSyntax format;
    format.thousands = arg_or<std::string>(setup.args, "thousands", "");
    format.trailing_sign = arg_or<bool>(setup.args, "allow_trailing_sign", true);
    format.implied_scale = arg_or<std::int32_t>(setup.args, "implied_scale", 0);
    if (format.thousands.find_first_of("0123456789.+-") != std::string::npos) {
        return bad_argument("decimal", "thousands", "must not be a digit, a point or a sign");
    }
    const TypeKind kind = setup.input_types.front().kind();
    if (kind == TypeKind::Decimal128 && format.implied_scale != 0) {
        return bad_argument("decimal", "implied_scale",
                            "applies to text and int64 input, not " +
                                setup.input_types.front().to_string());
    }
    return decimal_step(
        target,
        [target, format, kind](const Column& in, std::int64_t row,
                               Column& out) -> std::optional<CellFailure> {
            Decimal value;
            if (kind == TypeKind::Utf8) {
                bool is_null = false;
                auto failure = parse_decimal_text(in.text(row), format, target, value, is_null);
                if (failure) {
                    return failure;
                }
                if (is_null) {
                    out.append_null();
                    return std::nullopt;
                }
            } else {
                const Decimal input =
                    kind == TypeKind::Int64
                        ? Decimal::from_unscaled(in.int64(row), format.implied_scale).value()
                        : in.decimal(row);
                if (auto failure = target.fit(input, "decimal", value)) {
                    return failure;
                }
            }
            out.append_decimal(value);
            return std::nullopt;
        });
}

// ---- round, multiply ----------------------------------------------------------------------

Result<BoundTransform> make_round(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "round", {TypeKind::Decimal128}, "decimal"));
    const DataType& input = setup.input_types.front();
    DecimalTarget target;
    target.scale = setup.args.at("scale").get<std::int32_t>();
    target.precision =
        arg_or<std::int32_t>(setup.args, "precision",
                             std::clamp(input.precision() - input.scale() + target.scale, 1, 38));
    if (target.scale > target.precision) {
        return bad_argument("round", "precision",
                            "must be at least the scale (" + std::to_string(target.scale) + ")");
    }
    FERRY_ASSIGN_OR_RETURN(target.rounding, parse_rounding_mode(arg_or<std::string>(
                                                setup.args, "rounding", "half_up")));
    return decimal_step(
        target,
        [target](const Column& in, std::int64_t row, Column& out) -> std::optional<CellFailure> {
            Decimal value;
            if (auto failure = target.fit(in.decimal(row), "round", value)) {
                return failure;
            }
            out.append_decimal(value);
            return std::nullopt;
        });
}

Result<BoundTransform> make_multiply(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "multiply", {TypeKind::Decimal128, TypeKind::Int64},
                                         "decimal or int64"));
    FERRY_ASSIGN_OR_RETURN(const DecimalTarget target,
                           read_target("multiply", setup.args, RoundingMode::HalfUp));
    Result<Decimal> by = Decimal::parse(setup.args.at("by").get<std::string>());
    if (!by.ok()) {
        return bad_argument("multiply", "by", by.status().message());
    }
    const bool integer_input = setup.input_types.front().kind() == TypeKind::Int64;
    return decimal_step(
        target,
        [target, by = *by, integer_input](const Column& in, std::int64_t row,
                                          Column& out) -> std::optional<CellFailure> {
            const Decimal input =
                integer_input ? Decimal::from_int64(in.int64(row)) : in.decimal(row);
            Result<Decimal> product = input.multiply(by);
            if (!product.ok()) {
                return CellFailure{"multiply", "the exact product needs more than 38 digits"};
            }
            Decimal value;
            if (auto failure = target.fit(*product, "multiply", value)) {
                return failure;
            }
            out.append_decimal(value);
            return std::nullopt;
        });
}

// ---- integer, boolean ---------------------------------------------------------------------

std::optional<CellFailure> parse_integer_text(std::string_view raw, Column& out) {
    const std::string_view text = trim_ascii_spaces(raw);
    if (text.empty()) {
        out.append_null();
        return std::nullopt;
    }
    const bool negative = text.front() == '-';
    const std::size_t start = text.front() == '-' || text.front() == '+' ? 1 : 0;
    if (start == text.size()) {
        return CellFailure{"integer", "has no digits"};
    }
    std::uint64_t mag = 0;
    bool overflow = false;
    for (std::size_t i = start; i < text.size(); ++i) {
        if (!is_digit(text[i])) {
            const auto offset = static_cast<std::size_t>(text.data() - raw.data()) + i;
            return CellFailure{"integer", "character " + std::to_string(position_of(raw, offset)) +
                                              " is not a digit"};
        }
        overflow = overflow || __builtin_mul_overflow(mag, 10U, &mag) ||
                   __builtin_add_overflow(mag, static_cast<unsigned>(text[i] - '0'), &mag);
    }
    const std::uint64_t limit =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1U : 0U);
    if (overflow || mag > limit) {
        return CellFailure{"integer", "value is outside the int64 range"};
    }
    // Two's complement: 0 - mag is exact in uint64 and converts back to the negative value.
    out.append_int64(negative ? static_cast<std::int64_t>(0 - mag)
                              : static_cast<std::int64_t>(mag));
    return std::nullopt;
}

Result<BoundTransform> make_integer(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "integer",
                                         {TypeKind::Utf8, TypeKind::Int64, TypeKind::Decimal128},
                                         "text, int64 or decimal"));
    const TypeKind kind = setup.input_types.front().kind();
    auto fn = [kind](const Column& in, std::int64_t row,
                     Column& out) -> std::optional<CellFailure> {
        if (kind == TypeKind::Utf8) {
            return parse_integer_text(in.text(row), out);
        }
        if (kind == TypeKind::Int64) {
            out.append_int64(in.int64(row));
            return std::nullopt;
        }
        Result<Decimal> whole = in.decimal(row).rescale(0, RoundingMode::Unnecessary);
        if (!whole.ok()) {
            return CellFailure{"integer", "has a nonzero fraction"};
        }
        const Int128 unscaled = whole->unscaled();
        if (unscaled > std::numeric_limits<std::int64_t>::max() ||
            unscaled < std::numeric_limits<std::int64_t>::min()) {
            return CellFailure{"integer", "value is outside the int64 range"};
        }
        out.append_int64(static_cast<std::int64_t>(unscaled));
        return std::nullopt;
    };
    return BoundTransform{make_cell_transform(std::move(fn)), DataType::int64()};
}

Result<BoundTransform> make_boolean(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "boolean", {TypeKind::Utf8}, "text"));
    using Words = std::vector<std::string>;
    Words truthy = arg_or<Words>(setup.args, "true", {"1", "Y", "y", "true", "是"});
    Words falsy = arg_or<Words>(setup.args, "false", {"0", "N", "n", "false", "否"});
    for (const std::string& word : falsy) {
        if (std::find(truthy.begin(), truthy.end(), word) != truthy.end()) {
            return bad_argument("boolean", "false",
                                quote_for_message(word) + " is also in the true list");
        }
    }
    auto fn = [truthy = std::move(truthy), falsy = std::move(falsy)](
                  const Column& in, std::int64_t row, Column& out) -> std::optional<CellFailure> {
        // CHAR(1) flags come blank-padded: compare without the padding.
        const std::string_view text = trim_ascii_spaces(in.text(row));
        if (std::find(truthy.begin(), truthy.end(), text) != truthy.end()) {
            out.append_bool(true);
        } else if (std::find(falsy.begin(), falsy.end(), text) != falsy.end()) {
            out.append_bool(false);
        } else if (text.empty()) {
            out.append_null();
        } else {
            return CellFailure{"boolean", "is not one of the true or false values"};
        }
        return std::nullopt;
    };
    return BoundTransform{make_cell_transform(std::move(fn)), DataType::boolean()};
}

} // namespace

void register_numbers(TransformRegistry& registry) {
    add(registry, "decimal", "text, int64 or decimal to an exact decimal(precision, scale)",
        R"j({"type": "object", "additionalProperties": false, "required": ["precision", "scale"],
            "properties": {
            "precision": {"type": "integer", "minimum": 1, "maximum": 38,
                          "description": "total digits of the output type"},
            "scale": {"type": "integer", "minimum": 0, "maximum": 38,
                      "description": "digits after the point, at most precision"},
            "implied_scale": {"type": "integer", "minimum": 0, "maximum": 38,
                              "description": "implied decimals of text without a point (COBOL V99)"},
            "rounding": {"enum": ["half_up", "half_even", "down", "up", "floor", "ceiling",
                                  "unnecessary"],
                         "description": "how extra decimals are rounded (default unnecessary: reject)"},
            "thousands": {"type": "string", "minLength": 1, "maxLength": 1,
                          "description": "the thousands separator the text may use"},
            "allow_trailing_sign": {"type": "boolean",
                                    "description": "accept 123.45- (default true)"}}})j",
        make_decimal);
    add(registry, "round", "a decimal rounded to a scale",
        R"j({"type": "object", "additionalProperties": false, "required": ["scale"], "properties": {
            "scale": {"type": "integer", "minimum": 0, "maximum": 38, "description": "decimals kept"},
            "rounding": {"enum": ["half_up", "half_even", "down", "up", "floor", "ceiling",
                                  "unnecessary"],
                         "description": "rounding mode (default half_up)"},
            "precision": {"type": "integer", "minimum": 1, "maximum": 38,
                          "description": "output precision (default: input integer digits + scale)"}}})j",
        make_round);
    add(registry, "integer", "text, int64 or whole decimals to int64", "", make_integer);
    add(registry, "boolean", "flag text (1/0, Y/N, 是/否) to bool",
        R"j({"type": "object", "additionalProperties": false, "properties": {
            "true": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                     "description": "texts meaning true (default 1, Y, y, true, 是)"},
            "false": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                      "description": "texts meaning false (default 0, N, n, false, 否)"}}})j",
        make_boolean);
    add(registry, "multiply", "a decimal or int64 times a constant, as decimal(precision, scale)",
        R"j({"type": "object", "additionalProperties": false,
            "required": ["by", "precision", "scale"], "properties": {
            "by": {"type": "string", "description": "the factor as decimal text, e.g. \"0.01\""},
            "precision": {"type": "integer", "minimum": 1, "maximum": 38,
                          "description": "total digits of the output type"},
            "scale": {"type": "integer", "minimum": 0, "maximum": 38,
                      "description": "digits after the point, at most precision"},
            "rounding": {"enum": ["half_up", "half_even", "down", "up", "floor", "ceiling",
                                  "unnecessary"],
                         "description": "how extra decimals are rounded (default half_up)"}}})j",
        make_multiply);
}

} // namespace ferry::transforms

// SPDX-License-Identifier: Apache-2.0
// charset.cpp — decode (legacy code pages to UTF-8 through glibc iconv) and gbk_safe (text that
// must survive a trip back into a GBK system).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "ferry/codepage.h"

#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

namespace {

/// Each apply() opens its own CodePage: iconv keeps shift state, so a converter is never shared
/// between threads, and opening one per batch costs little.
Result<CodePage> open_page(const std::string& name) {
    return CodePage::open(name);
}

class DecodeTransform final : public Transform {
public:
    DecodeTransform(std::string page, bool trim)
        : page_(std::move(page))
        , trim_(trim) {}

    void
    apply(std::span<const Column* const> inputs, Column& out, RowErrors& errors) const override {
        const Column& in = *inputs[0];
        const std::int64_t rows = in.size();
        out.reserve(rows);
        Result<CodePage> page = open_page(page_);
        for (std::int64_t row = 0; row < rows; ++row) {
            if (errors.rejected(row) || in.is_null(row)) {
                out.append_null();
                continue;
            }
            if (!page.ok()) {
                errors.reject(row, "charset", page.status().message());
                out.append_null();
                continue;
            }
            std::string& cell = out.open_cell();
            const std::size_t start = cell.size();
            if (std::optional<DecodeFailure> failure = page->decode(in.text(row), cell)) {
                errors.reject(row, "charset", std::move(failure->reason));
                out.append_null();
                continue;
            }
            if (trim_) { // after decoding: EBCDIC pads with 0x40, a space only once decoded
                while (cell.size() > start && cell.back() == ' ') {
                    cell.pop_back();
                }
            }
            out.close_cell();
        }
    }

private:
    std::string page_;
    bool trim_;
};

Result<BoundTransform> create_decode(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(
        require_inputs(setup, "decode", {TypeKind::Binary, TypeKind::Utf8}, "bytes or text"));
    const auto from = arg_or<std::string>(setup.args, "from", "");
    Result<CodePage> page = open_page(from);
    if (!page.ok()) {
        return bad_argument("decode", "from", page.status().message());
    }
    return BoundTransform{
        std::make_unique<DecodeTransform>(page->name(), arg_or(setup.args, "trim", false)),
        DataType::utf8()};
}

class GbkSafeTransform final : public Transform {
public:
    void
    apply(std::span<const Column* const> inputs, Column& out, RowErrors& errors) const override {
        const Column& in = *inputs[0];
        const std::int64_t rows = in.size();
        out.reserve(rows);
        Result<CodePage> gbk = open_page("GBK");
        std::string scratch; // reused: the GBK bytes are only checked, never kept
        for (std::int64_t row = 0; row < rows; ++row) {
            if (errors.rejected(row) || in.is_null(row)) {
                out.append_null();
                continue;
            }
            const std::string_view text = in.text(row);
            scratch.clear();
            std::optional<DecodeFailure> failure;
            if (gbk.ok()) {
                failure = gbk->encode(text, scratch);
            }
            if (gbk.ok() && !failure) {
                out.append_from(in, row);
                continue;
            }
            std::string reason = !gbk.ok() ? std::string("this system's iconv has no GBK converter")
                                 : failure->reason.ends_with("is not valid UTF-8")
                                     ? std::string("is not valid UTF-8")
                                     : "character " +
                                           std::to_string(characters(text, failure->offset) + 1) +
                                           " has no GBK code";
            errors.reject(row, "gbk_safe", std::move(reason));
            out.append_null();
        }
    }

private:
    /// Code points in the first `bytes` bytes (reasons count characters from 1, bytes from 0).
    static std::size_t characters(std::string_view text, std::size_t bytes) {
        std::size_t count = 0;
        for (std::size_t i = 0; i < bytes && i < text.size(); ++i) {
            if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
                ++count;
            }
        }
        return count;
    }
};

Result<BoundTransform> create_gbk_safe(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "gbk_safe", {TypeKind::Utf8}, "text"));
    return BoundTransform{std::make_unique<GbkSafeTransform>(), DataType::utf8()};
}

std::string decode_schema() {
    const nlohmann::json schema = {
        {"type", "object"},
        {"properties",
         {{"from",
           {{"type", "string"},
            {"description", "the source code page, case-insensitive: GBK, GB18030, BIG5, IBM935, "
                            "IBM1388, CP037 (= IBM037), IBM037, IBM1047 or UTF-8"}}},
          {"on_error",
           {{"enum", {"reject"}},
            {"description", "what happens to a value that does not decode: reject the row (the "
                            "only choice; never a replacement character)"}}},
          {"trim",
           {{"type", "boolean"},
            {"description", "remove trailing spaces after decoding (default false)"}}}}},
        {"required", {"from"}},
        {"additionalProperties", false}};
    return schema.dump();
}

} // namespace

void register_charset(TransformRegistry& registry) {
    must_add(registry, {"decode", "decodes legacy code-page bytes (GBK, BIG5, EBCDIC…) into UTF-8",
                        decode_schema(), 1, 1, Protection::None, create_decode});
    must_add(registry, {"gbk_safe", "rejects text with characters that GBK cannot represent", "", 1,
                        1, Protection::None, create_gbk_safe});
}

} // namespace ferry::transforms

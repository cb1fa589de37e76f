// SPDX-License-Identifier: Apache-2.0
// charset.cpp — decode (legacy code pages to UTF-8 through glibc iconv) and gbk_safe (text that
// must survive a trip back into a GBK system).
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <iconv.h>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ferry/text.h"

#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

namespace {

struct CodePage {
    std::string_view name;  ///< as a mapping names it (matched case-insensitively)
    const char* iconv_name; ///< as glibc iconv names it
};

constexpr CodePage kCodePages[] = {
    {"GBK", "GBK"},       {"GB18030", "GB18030"}, {"BIG5", "BIG5"},
    {"IBM935", "IBM935"}, {"IBM1388", "IBM1388"}, {"CP037", "IBM037"},
    {"IBM037", "IBM037"}, {"IBM1047", "IBM1047"}, {"UTF-8", "UTF-8"},
};

const CodePage* find_code_page(std::string_view name) {
    for (const CodePage& page : kCodePages) {
        bool same = page.name.size() == name.size();
        for (std::size_t i = 0; same && i < name.size(); ++i) {
            const char ch =
                name[i] >= 'a' && name[i] <= 'z' ? static_cast<char>(name[i] - 32) : name[i];
            same = ch == page.name[i];
        }
        if (same) {
            return &page;
        }
    }
    return nullptr;
}

enum class Outcome { Converted, Invalid, Truncated, Inexact };

/// An iconv descriptor for one apply() call: iconv_t keeps shift state, so it is never shared
/// between threads, and opening one per batch costs little.
class Converter {
public:
    /// `from` nullptr opens nothing (ok() is false).
    Converter(const char* to, const char* from)
        : cd_(from == nullptr ? failed() : iconv_open(to, from)) {}

    ~Converter() {
        if (ok()) {
            iconv_close(cd_);
        }
    }

    Converter(const Converter&) = delete;
    Converter& operator=(const Converter&) = delete;

    bool ok() const noexcept { return cd_ != failed(); }

    /// Converts all of `in`, appending to `out` (grown as needed; partial on failure).
    /// `failed_at` gets the offset of the first byte that did not convert.
    Outcome convert(std::string_view in, std::string& out, std::size_t& failed_at) {
        iconv(cd_, nullptr, nullptr, nullptr, nullptr); // back to the initial shift state
        // iconv's signature predates const; it does not write through the input pointer.
        char* in_ptr = const_cast<char*>(in.data());
        std::size_t in_left = in.size();
        while (true) {
            // No supported code page grows more than 3x into UTF-8 (or from UTF-8 into GBK),
            // so one round suffices; E2BIG loops for safety.
            const std::size_t used = out.size();
            const std::size_t room = in_left * 3 + 16;
            out.resize(used + room);
            char* out_ptr = out.data() + used;
            std::size_t out_left = room;
            const std::size_t result = iconv(cd_, &in_ptr, &in_left, &out_ptr, &out_left);
            const int error = errno;
            out.resize(out.size() - out_left);
            failed_at = static_cast<std::size_t>(in_ptr - in.data());
            if (result != static_cast<std::size_t>(-1)) {
                // A nonzero count means characters converted only approximately.
                return result == 0 ? Outcome::Converted : Outcome::Inexact;
            }
            if (error != E2BIG) {
                return error == EINVAL ? Outcome::Truncated : Outcome::Invalid;
            }
        }
    }

private:
    static iconv_t failed() noexcept { return reinterpret_cast<iconv_t>(-1); }

    iconv_t cd_;
};

class DecodeTransform final : public Transform {
public:
    DecodeTransform(const CodePage& page, bool trim)
        : page_(page)
        , trim_(trim) {}

    void
    apply(std::span<const Column* const> inputs, Column& out, RowErrors& errors) const override {
        const Column& in = *inputs[0];
        const std::int64_t rows = in.size();
        out.reserve(rows);
        const bool utf8 = page_.name == "UTF-8";
        Converter converter("UTF-8", utf8 ? nullptr : page_.iconv_name);
        for (std::int64_t row = 0; row < rows; ++row) {
            if (errors.rejected(row) || in.is_null(row)) {
                out.append_null();
                continue;
            }
            const std::string_view bytes = in.text(row);
            std::optional<std::string> problem;
            if (utf8) {
                problem = decode_utf8(bytes, out);
            } else if (!converter.ok()) {
                problem = "this system's iconv cannot convert from " + std::string(page_.name);
            } else {
                problem = decode(converter, bytes, out);
            }
            if (problem) {
                errors.reject(row, "charset", std::move(*problem));
                out.append_null();
            }
        }
    }

private:
    std::optional<std::string> decode_utf8(std::string_view bytes, Column& out) const {
        const std::size_t bad = find_invalid_utf8(bytes);
        if (bad != kAllValid) {
            return "byte " + std::to_string(bad + 1) + " is not valid UTF-8";
        }
        if (trim_) {
            bytes = bytes.substr(0, bytes.find_last_not_of(' ') + 1);
        }
        out.append_text(bytes);
        return std::nullopt;
    }

    std::optional<std::string>
    decode(Converter& converter, std::string_view bytes, Column& out) const {
        std::string& cell = out.open_cell();
        const std::size_t start = cell.size();
        std::size_t failed_at = 0;
        const Outcome outcome = converter.convert(bytes, cell, failed_at);
        if (outcome != Outcome::Converted) {
            cell.resize(start); // drop the partial cell; the caller appends a null instead
            switch (outcome) {
            case Outcome::Truncated:
                return std::string("input ends inside a multi-byte character");
            case Outcome::Inexact:
                return "has characters with no exact Unicode equivalent in " +
                       std::string(page_.name);
            default:
                return "byte " + std::to_string(failed_at + 1) + " is not valid " +
                       std::string(page_.name);
            }
        }
        if (trim_) { // after decoding: EBCDIC pads with 0x40, a space only once decoded
            while (cell.size() > start && cell.back() == ' ') {
                cell.pop_back();
            }
        }
        out.close_cell();
        return std::nullopt;
    }

    const CodePage& page_;
    bool trim_;
};

Result<BoundTransform> create_decode(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(
        require_inputs(setup, "decode", {TypeKind::Binary, TypeKind::Utf8}, "bytes or text"));
    const auto from = arg_or<std::string>(setup.args, "from", "");
    const CodePage* page = find_code_page(from);
    if (page == nullptr) {
        return bad_argument("decode", "from",
                            "unknown code page; use GBK, GB18030, BIG5, IBM935, IBM1388, CP037, "
                            "IBM037, IBM1047 or UTF-8");
    }
    if (!Converter("UTF-8", page->iconv_name).ok()) {
        return bad_argument("decode", "from",
                            "this system's iconv cannot convert from " + std::string(page->name));
    }
    return BoundTransform{
        std::make_unique<DecodeTransform>(*page, arg_or(setup.args, "trim", false)),
        DataType::utf8()};
}

class GbkSafeTransform final : public Transform {
public:
    void
    apply(std::span<const Column* const> inputs, Column& out, RowErrors& errors) const override {
        const Column& in = *inputs[0];
        const std::int64_t rows = in.size();
        out.reserve(rows);
        Converter converter("GBK", "UTF-8");
        std::string scratch; // reused: the GBK bytes are only checked, never kept
        for (std::int64_t row = 0; row < rows; ++row) {
            if (errors.rejected(row) || in.is_null(row)) {
                out.append_null();
                continue;
            }
            const std::string_view text = in.text(row);
            std::size_t failed_at = 0;
            scratch.clear();
            const Outcome outcome = is_ascii(text)   ? Outcome::Converted
                                    : converter.ok() ? converter.convert(text, scratch, failed_at)
                                                     : Outcome::Invalid;
            if (outcome == Outcome::Converted) {
                out.append_from(in, row);
                continue;
            }
            std::string reason =
                outcome == Outcome::Truncated ? std::string("is not valid UTF-8")
                : converter.ok() ? "character " + std::to_string(characters(text, failed_at) + 1) +
                                       " has no GBK code"
                                 : std::string("this system's iconv has no GBK converter");
            errors.reject(row, "gbk_safe", std::move(reason));
            out.append_null();
        }
    }

private:
    static bool is_ascii(std::string_view text) {
        unsigned char any = 0;
        for (const char ch : text) {
            any = static_cast<unsigned char>(any | static_cast<unsigned char>(ch));
        }
        return any < 0x80U;
    }

    /// Code points in the first `bytes` bytes (reasons count characters and bytes from 1).
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

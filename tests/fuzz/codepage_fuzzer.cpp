// SPDX-License-Identifier: Apache-2.0
// codepage_fuzzer.cpp — CodePage::decode, decode_view and encode. The first byte picks the code
// page, the rest is a field. Decoding gives valid UTF-8 or a failure inside the field that leaves
// the output as it was; decode and decode_view agree; decoded text encodes and decodes back to
// itself; and the field read as UTF-8, when it encodes, decodes back to itself.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/codepage.h"

#include "fuzz_support.h"

namespace {

using ferry::CodePage;
using ferry::fuzz::fail;

constexpr std::array<const char*, 8> kPages = {"UTF-8",  "GBK",     "GB18030", "BIG5",
                                               "IBM935", "IBM1388", "CP037",   "IBM1047"};

/// One CodePage per page for the whole run: iconv_open is far dearer than a conversion.
CodePage& page(std::size_t index) {
    static std::array<std::optional<CodePage>, kPages.size()> pages;
    if (!pages[index]) {
        pages[index].emplace(CodePage::open(kPages[index]).value());
    }
    return *pages[index];
}

std::string with_page(const CodePage& code_page, const std::string& what) {
    return code_page.name() + ": " + what;
}

void check_failure(const CodePage& code_page,
                   const ferry::DecodeFailure& failure,
                   std::string_view field,
                   const std::string& out,
                   std::string_view input) {
    if (failure.offset > field.size()) {
        fail(with_page(code_page, "failure offset past the end of the field"), input);
    }
    if (out != "kept") {
        fail(with_page(code_page, "output changed by a failed conversion"), input);
    }
    ferry::fuzz::check_message(failure.reason, input);
}

void check_decode(CodePage& code_page, std::string_view field, std::string_view input) {
    std::string out = "kept";
    const std::optional<ferry::DecodeFailure> failure = code_page.decode(field, out);
    std::string scratch = "stale";
    std::string_view view;
    const std::optional<ferry::DecodeFailure> view_failure =
        code_page.decode_view(field, scratch, view);
    if (failure.has_value() != view_failure.has_value() ||
        (failure && failure->offset != view_failure->offset)) {
        fail(with_page(code_page, "decode and decode_view disagree"), input);
    }
    if (failure) {
        check_failure(code_page, *failure, field, out, input);
        return;
    }
    const std::string text = out.substr(4);
    if (!ferry::is_valid_utf8(text)) {
        fail(with_page(code_page, "decoded text is not UTF-8: " + ferry::to_hex(text)), input);
    }
    if (view != text) {
        fail(with_page(code_page, "decode_view gives other text"), input);
    }
    // Decoding only succeeds for exact conversions, so the text has a way back; that way back
    // may pick another byte sequence for the same characters, but it must decode to them again.
    std::string encoded;
    if (const auto back = code_page.encode(text, encoded)) {
        fail(with_page(code_page, "decoded text does not encode: " + back->reason), input);
    }
    std::string again;
    if (code_page.decode(encoded, again) || again != text) {
        fail(with_page(code_page, "decode(encode(text)) != text"), input);
    }
}

void check_encode(CodePage& code_page, std::string_view utf8, std::string_view input) {
    std::string out = "kept";
    const std::optional<ferry::DecodeFailure> failure = code_page.encode(utf8, out);
    if (failure) {
        check_failure(code_page, *failure, utf8, out, input);
        return;
    }
    if (!ferry::is_valid_utf8(utf8)) {
        fail(with_page(code_page, "encoded text that is not UTF-8"), input);
    }
    std::string decoded;
    if (const auto back = code_page.decode(std::string_view(out).substr(4), decoded)) {
        fail(with_page(code_page, "encoded bytes do not decode: " + back->reason), input);
    }
    if (decoded != utf8) {
        fail(with_page(code_page, "decode(encode(utf8)) != utf8"), input);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = ferry::fuzz::as_text(data, size);
    if (input.empty()) {
        return 0;
    }
    CodePage& code_page = page(static_cast<std::uint8_t>(input[0]) % kPages.size());
    const std::string_view field = input.substr(1);
    check_decode(code_page, field, input);
    check_encode(code_page, field, input);
    return 0;
}

// SPDX-License-Identifier: Apache-2.0
// text_decoding.cpp — UTF-16 <-> UTF-8 for the W API. iconv would do it too, but this is the
// per-cell hot path of every text column and a direct loop is several times faster; legacy code
// pages (GBK bytes) go through ferry::CodePage.
#include "text_decoding.h"

#include <cstdint>

namespace ferry::odbc {

namespace {

void append_code_point(std::uint32_t cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace

std::optional<DecodeFailure>
utf16_to_utf8(const std::uint16_t* units, std::size_t count, std::string& out) {
    const std::size_t start = out.size();
    out.reserve(start + count * 3);
    for (std::size_t pos = 0; pos < count; ++pos) {
        const std::uint32_t unit = units[pos];
        if (unit < 0x80) {
            out.push_back(static_cast<char>(unit));
            continue;
        }
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (pos + 1 < count && units[pos + 1] >= 0xDC00 && units[pos + 1] <= 0xDFFF) {
                const std::uint32_t low = units[pos + 1];
                append_code_point(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), out);
                ++pos;
                continue;
            }
            out.resize(start);
            return DecodeFailure{pos * 2, "unpaired high surrogate in UTF-16 text"};
        }
        if (unit >= 0xDC00 && unit <= 0xDFFF) {
            out.resize(start);
            return DecodeFailure{pos * 2, "unpaired low surrogate in UTF-16 text"};
        }
        append_code_point(unit, out);
    }
    return std::nullopt;
}

std::basic_string<std::uint16_t> utf8_to_utf16(std::string_view utf8) {
    std::basic_string<std::uint16_t> out;
    out.reserve(utf8.size());
    for (std::size_t pos = 0; pos < utf8.size();) {
        const auto lead = static_cast<unsigned char>(utf8[pos]);
        std::uint32_t cp = lead;
        std::size_t extra = 0;
        if (lead >= 0xF0) {
            cp = lead & 0x07U;
            extra = 3;
        } else if (lead >= 0xE0) {
            cp = lead & 0x0FU;
            extra = 2;
        } else if (lead >= 0xC0) {
            cp = lead & 0x1FU;
            extra = 1;
        }
        for (std::size_t idx = 1; idx <= extra && pos + idx < utf8.size(); ++idx) {
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[pos + idx]) & 0x3FU);
        }
        pos += extra + 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(static_cast<std::uint16_t>(0xD800 + (cp >> 10)));
            out.push_back(static_cast<std::uint16_t>(0xDC00 + (cp & 0x3FF)));
        } else {
            out.push_back(static_cast<std::uint16_t>(cp));
        }
    }
    return out;
}

} // namespace ferry::odbc

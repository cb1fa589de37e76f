// SPDX-License-Identifier: Apache-2.0
// text.cpp — strict UTF-8 validation (RFC 3629 table 3-7), hex/quoting and "did you mean" hints
// for messages.
#include "ferry/text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

namespace ferry {

namespace {

/// Where the first invalid sequence starts, how many of its bytes to show and why it is bad.
struct Utf8Problem {
    std::size_t offset = kAllValid;
    std::size_t length = 0;
    const char* reason = "";
};

bool is_continuation(unsigned char byte) noexcept {
    return (byte & 0xC0U) == 0x80U;
}

/// Checks the sequence starting at `pos` (a non-ASCII byte). Returns its length when valid,
/// otherwise 0 and fills `problem`. The allowed range of the second byte depends on the lead
/// byte: that is how overlongs, surrogates and code points above U+10FFFF are excluded.
std::size_t check_sequence(std::string_view bytes, std::size_t pos, Utf8Problem& problem) noexcept {
    const auto lead = static_cast<unsigned char>(bytes[pos]);
    std::size_t length = 0;
    unsigned char second_lo = 0x80;
    unsigned char second_hi = 0xBF;
    const char* second_reason = "bad continuation byte";
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) {
            second_lo = 0xA0;
            second_reason = "overlong encoding";
        } else if (lead == 0xED) {
            second_hi = 0x9F;
            second_reason = "UTF-16 surrogate";
        }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) {
            second_lo = 0x90;
            second_reason = "overlong encoding";
        } else if (lead == 0xF4) {
            second_hi = 0x8F;
            second_reason = "code point above U+10FFFF";
        }
    } else {
        problem = {pos, 1,
                   is_continuation(lead)            ? "unexpected continuation byte"
                   : (lead == 0xC0 || lead == 0xC1) ? "overlong encoding"
                                                    : "invalid lead byte"};
        return 0;
    }
    for (std::size_t idx = 1; idx < length; ++idx) {
        if (pos + idx >= bytes.size()) {
            problem = {pos, idx, "truncated sequence"};
            return 0;
        }
        const auto byte = static_cast<unsigned char>(bytes[pos + idx]);
        const bool in_range =
            idx == 1 ? (byte >= second_lo && byte <= second_hi) : is_continuation(byte);
        if (!in_range) {
            // A byte that is a continuation but outside the narrowed range names the real cause.
            const bool narrowed = idx == 1 && is_continuation(byte);
            problem = {pos, idx + 1, narrowed ? second_reason : "bad continuation byte"};
            return 0;
        }
    }
    return length;
}

Utf8Problem find_problem(std::string_view bytes) noexcept {
    Utf8Problem problem;
    std::size_t pos = 0;
    const std::size_t size = bytes.size();
    while (pos < size) {
        // Most text in legacy extracts is ASCII: skip it eight bytes at a time.
        if (size - pos >= 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, bytes.data() + pos, sizeof word);
            if ((word & 0x8080808080808080ULL) == 0) {
                pos += 8;
                continue;
            }
        }
        if (static_cast<unsigned char>(bytes[pos]) < 0x80) {
            ++pos;
            continue;
        }
        const std::size_t length = check_sequence(bytes, pos, problem);
        if (length == 0) {
            return problem;
        }
        pos += length;
    }
    return problem;
}

constexpr char kHexDigits[] = "0123456789abcdef";

void append_hex_byte(std::string& out, unsigned char byte) {
    out += kHexDigits[byte >> 4U];
    out += kHexDigits[byte & 0x0FU];
}

} // namespace

std::size_t find_invalid_utf8(std::string_view bytes) noexcept {
    return find_problem(bytes).offset;
}

bool is_valid_utf8(std::string_view bytes) noexcept {
    return find_invalid_utf8(bytes) == kAllValid;
}

Status validate_utf8(std::string_view bytes) {
    const Utf8Problem problem = find_problem(bytes);
    if (problem.offset == kAllValid) {
        return {};
    }
    return Status::data("invalid UTF-8 at byte " + std::to_string(problem.offset) + ": " +
                        to_hex(bytes.substr(problem.offset, problem.length)) + " (" +
                        problem.reason + ")");
}

std::string to_hex(std::string_view bytes, std::size_t max_bytes) {
    const std::size_t shown = bytes.size() < max_bytes ? bytes.size() : max_bytes;
    std::string out;
    out.reserve(shown * 3 + 24);
    for (std::size_t idx = 0; idx < shown; ++idx) {
        if (idx != 0) {
            out += ' ';
        }
        append_hex_byte(out, static_cast<unsigned char>(bytes[idx]));
    }
    if (shown < bytes.size()) {
        out += shown == 0 ? "\u2026(+" : " \u2026(+";
        out += std::to_string(bytes.size() - shown);
        out += " bytes)";
    }
    return out;
}

std::string_view trim_ascii_spaces(std::string_view text) noexcept {
    constexpr std::string_view kSpaces = " \t\r\n";
    const std::size_t first = text.find_first_not_of(kSpaces);
    if (first == std::string_view::npos) {
        return text.substr(0, 0);
    }
    const std::size_t last = text.find_last_not_of(kSpaces);
    return text.substr(first, last - first + 1);
}

std::string quote_for_message(std::string_view text, std::size_t max_bytes) {
    std::string out = "\"";
    std::size_t pos = 0;
    while (pos < text.size() && pos < max_bytes) {
        const auto byte = static_cast<unsigned char>(text[pos]);
        if (byte >= 0x80) {
            Utf8Problem ignored;
            const std::size_t length = check_sequence(text, pos, ignored);
            if (length != 0) {
                out.append(text.substr(pos, length));
                pos += length;
                continue;
            }
        }
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += static_cast<char>(byte);
        } else if (byte < 0x20 || byte >= 0x7F) {
            out += "\\x";
            append_hex_byte(out, byte);
        } else {
            out += static_cast<char>(byte);
        }
        ++pos;
    }
    out += '"';
    if (pos < text.size()) {
        out += "\u2026";
    }
    return out;
}

std::string describe_char(char ch) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte >= 0x20 && byte < 0x7F) {
        return std::string("'") + ch + "'";
    }
    std::string out = "byte 0x";
    append_hex_byte(out, byte);
    return out;
}

std::string closest_name(std::string_view word, const std::vector<std::string>& candidates) {
    // Edit distance counting a swap of two neighbours as one edit ("naem" → "name", "dns" →
    // "dsn": optimal string alignment); a hint only when at most a third of the word is wrong.
    std::string best;
    std::size_t best_distance = word.size() / 3 + 1;
    std::vector<std::size_t> before; // row i - 2
    std::vector<std::size_t> previous;
    std::vector<std::size_t> current;
    for (const std::string& candidate : candidates) {
        before.assign(candidate.size() + 1, 0);
        previous.resize(candidate.size() + 1);
        current.resize(candidate.size() + 1);
        for (std::size_t j = 0; j <= candidate.size(); ++j) {
            previous[j] = j;
        }
        for (std::size_t i = 1; i <= word.size(); ++i) {
            current[0] = i;
            for (std::size_t j = 1; j <= candidate.size(); ++j) {
                const std::size_t cost = word[i - 1] == candidate[j - 1] ? 0 : 1;
                current[j] =
                    std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
                if (i > 1 && j > 1 && word[i - 1] == candidate[j - 2] &&
                    word[i - 2] == candidate[j - 1]) {
                    current[j] = std::min(current[j], before[j - 2] + 1);
                }
            }
            std::swap(before, previous);
            std::swap(previous, current);
        }
        const std::size_t distance = previous[candidate.size()];
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

} // namespace ferry

// SPDX-License-Identifier: Apache-2.0
// codepage.cpp — CodePage over glibc iconv: whole fields, exact or a failure with its offset.
#include "ferry/codepage.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <iconv.h>
#include <utility>

#include "ferry/text.h"

namespace ferry {

namespace {

struct KnownPage {
    std::string_view name;  ///< canonical, as options name it
    const char* iconv_name; ///< as glibc iconv names it
    bool ebcdic;
    bool shift_codes; ///< mixes SBCS and DBCS with SO (0x0E) ... SI (0x0F)
};

constexpr KnownPage kPages[] = {
    {"UTF-8", "UTF-8", false, false},     {"GBK", "GBK", false, false},
    {"GB18030", "GB18030", false, false}, {"BIG5", "BIG5", false, false},
    {"IBM935", "IBM935", true, true},     {"IBM1388", "IBM1388", true, true},
    {"CP037", "IBM037", true, false},     {"IBM037", "IBM037", true, false},
    {"IBM1047", "IBM1047", true, false},
};

constexpr char kShiftOut = '\x0E';
constexpr char kShiftIn = '\x0F';

// SO and SI must pair up inside a field, with whole double-byte characters between them. iconv
// is lenient: an SO without its SI reads the rest of the field, EBCDIC spaces included, as
// double-byte characters (U+3000 padding), and a stray SI is skipped. Either is a damaged field.
std::optional<DecodeFailure> check_shift_state(std::string_view bytes) {
    std::size_t shifted_at = std::string_view::npos;
    for (std::size_t at = 0; at < bytes.size(); ++at) {
        const char byte = bytes[at];
        if (byte == kShiftOut) {
            if (shifted_at != std::string_view::npos) {
                return DecodeFailure{at, "shift-out (SO) at byte " + std::to_string(at) +
                                             " inside the double-byte run opened at byte " +
                                             std::to_string(shifted_at)};
            }
            shifted_at = at;
        } else if (byte == kShiftIn) {
            if (shifted_at == std::string_view::npos) {
                return DecodeFailure{at, "shift-in (SI) at byte " + std::to_string(at) +
                                             " without a shift-out (SO) before it"};
            }
            if ((at - shifted_at - 1) % 2 != 0) {
                return DecodeFailure{
                    at, "odd number of bytes (" + std::to_string(at - shifted_at - 1) +
                            ") between the shift-out (SO) at byte " + std::to_string(shifted_at) +
                            " and the shift-in (SI) at byte " + std::to_string(at)};
            }
            shifted_at = std::string_view::npos;
        }
    }
    if (shifted_at != std::string_view::npos) {
        return DecodeFailure{shifted_at, "shift-out (SO) at byte " + std::to_string(shifted_at) +
                                             " has no shift-in (SI) before the end of the field"};
    }
    return std::nullopt;
}

constexpr std::string_view kSupported = "UTF-8, GBK, GB18030, BIG5, IBM935, IBM1388, CP037 "
                                        "(IBM037), IBM1047";

char upper(char ch) {
    return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
}

const KnownPage* find_page(std::string_view name) {
    for (const KnownPage& page : kPages) {
        if (page.name.size() != name.size()) {
            continue;
        }
        bool same = true;
        for (std::size_t i = 0; same && i < name.size(); ++i) {
            same = upper(name[i]) == page.name[i];
        }
        if (same) {
            return &page;
        }
    }
    return nullptr;
}

iconv_t as_iconv(void* handle) {
    return static_cast<iconv_t>(handle);
}

void* failed_handle() {
    return reinterpret_cast<void*>(static_cast<std::intptr_t>(-1));
}

bool all_ascii(std::string_view bytes) {
    unsigned char any = 0;
    for (const char ch : bytes) {
        any = static_cast<unsigned char>(any | static_cast<unsigned char>(ch));
    }
    return any < 0x80U;
}

enum class Outcome { Converted, Invalid, Truncated, Inexact };

/// Converts all of `in` onto the end of `out` (partial on failure); `failed_at` is the offset
/// of the first byte not converted. Starts and ends in the initial shift state.
Outcome convert(iconv_t cd, std::string_view in, std::string& out, std::size_t& failed_at) {
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    // iconv's signature predates const; it does not write through the input pointer.
    char* in_ptr = const_cast<char*>(in.data());
    std::size_t in_left = in.size();
    std::size_t irreversible = 0;
    while (true) {
        // No supported page grows more than 3x either way (plus SO/SI), so one round is usual.
        const std::size_t used = out.size();
        const std::size_t room = in_left * 3 + 16;
        out.resize(used + room);
        char* out_ptr = out.data() + used;
        std::size_t out_left = room;
        std::size_t result = 0;
        if (in_left > 0) {
            result = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
        }
        if (result != static_cast<std::size_t>(-1)) {
            irreversible += result;
            // Back to the initial state: a stateful target (EBCDIC DBCS) writes its SI here.
            result = iconv(cd, nullptr, nullptr, &out_ptr, &out_left);
        }
        const int error = errno;
        out.resize(out.size() - out_left);
        failed_at = static_cast<std::size_t>(in_ptr - in.data());
        if (result != static_cast<std::size_t>(-1)) {
            return irreversible == 0 ? Outcome::Converted : Outcome::Inexact;
        }
        if (error != E2BIG) {
            return error == EINVAL ? Outcome::Truncated : Outcome::Invalid;
        }
    }
}

} // namespace

Result<CodePage> CodePage::open(std::string_view name) {
    const KnownPage* page = find_page(name);
    if (page == nullptr) {
        return Status::invalid_argument("unknown code page \"" + std::string(name) +
                                        "\"; supported: " + std::string(kSupported));
    }
    void* to_utf8 = nullptr;
    if (page->name != "UTF-8") {
        iconv_t cd = iconv_open("UTF-8", page->iconv_name);
        if (cd == reinterpret_cast<iconv_t>(-1)) {
            return Status::invalid_argument("this system's iconv cannot convert from " +
                                            std::string(page->name));
        }
        to_utf8 = cd;
    }
    CodePage opened(std::string(page->name), page->ebcdic, to_utf8, nullptr);
    opened.shift_codes_ = page->shift_codes;
    return opened;
}

std::string_view CodePage::supported_names() noexcept {
    return kSupported;
}

CodePage::CodePage(std::string name, bool ebcdic, void* to_utf8, void* from_utf8) noexcept
    : name_(std::move(name))
    , ebcdic_(ebcdic)
    , to_utf8_(to_utf8)
    , from_utf8_(from_utf8) {}

CodePage::CodePage(CodePage&& other) noexcept
    : name_(std::move(other.name_))
    , ebcdic_(other.ebcdic_)
    , shift_codes_(other.shift_codes_)
    , to_utf8_(std::exchange(other.to_utf8_, nullptr))
    , from_utf8_(std::exchange(other.from_utf8_, nullptr)) {}

CodePage& CodePage::operator=(CodePage&& other) noexcept {
    if (this != &other) {
        close();
        name_ = std::move(other.name_);
        ebcdic_ = other.ebcdic_;
        shift_codes_ = other.shift_codes_;
        to_utf8_ = std::exchange(other.to_utf8_, nullptr);
        from_utf8_ = std::exchange(other.from_utf8_, nullptr);
    }
    return *this;
}

CodePage::~CodePage() {
    close();
}

void CodePage::close() noexcept {
    for (void** handle : {&to_utf8_, &from_utf8_}) {
        if (*handle != nullptr && *handle != failed_handle()) {
            iconv_close(as_iconv(*handle));
        }
        *handle = nullptr;
    }
}

std::optional<DecodeFailure> CodePage::check_passthrough(std::string_view bytes,
                                                         bool& passes) const {
    passes = false;
    if (to_utf8_ == nullptr) { // UTF-8 itself: validate only
        const std::size_t bad = find_invalid_utf8(bytes);
        if (bad != kAllValid) {
            return DecodeFailure{bad, "byte " + std::to_string(bad) + " is not valid UTF-8"};
        }
        passes = true;
    } else if (!ebcdic_ && all_ascii(bytes)) {
        passes = true;
    } else if (shift_codes_) {
        return check_shift_state(bytes);
    }
    return std::nullopt;
}

std::optional<DecodeFailure> CodePage::decode(std::string_view bytes, std::string& out) {
    bool passes = false;
    if (auto failure = check_passthrough(bytes, passes)) {
        return failure;
    }
    if (passes) {
        out.append(bytes);
        return std::nullopt;
    }
    return convert_append(bytes, out);
}

std::optional<DecodeFailure>
CodePage::decode_view(std::string_view bytes, std::string& scratch, std::string_view& text) {
    bool passes = false;
    if (auto failure = check_passthrough(bytes, passes)) {
        return failure;
    }
    if (passes) {
        text = bytes;
        return std::nullopt;
    }
    scratch.clear();
    if (auto failure = convert_append(bytes, scratch)) {
        return failure;
    }
    text = scratch;
    return std::nullopt;
}

std::optional<DecodeFailure> CodePage::convert_append(std::string_view bytes, std::string& out) {
    const std::size_t start = out.size();
    std::size_t failed_at = 0;
    const Outcome outcome = convert(as_iconv(to_utf8_), bytes, out, failed_at);
    if (outcome == Outcome::Converted) {
        return std::nullopt;
    }
    out.resize(start);
    switch (outcome) {
    case Outcome::Truncated:
        return DecodeFailure{failed_at, "input ends inside a multi-byte character"};
    case Outcome::Inexact:
        return DecodeFailure{failed_at,
                             "has characters with no exact Unicode equivalent in " + name_};
    default:
        return DecodeFailure{failed_at,
                             "byte " + std::to_string(failed_at) + " is not valid " + name_};
    }
}

std::optional<DecodeFailure> CodePage::encode(std::string_view utf8, std::string& out) {
    const std::size_t bad = find_invalid_utf8(utf8);
    if (bad != kAllValid) {
        return DecodeFailure{bad, "byte " + std::to_string(bad) + " is not valid UTF-8"};
    }
    if (to_utf8_ == nullptr || (!ebcdic_ && all_ascii(utf8))) {
        out.append(utf8);
        return std::nullopt;
    }
    if (from_utf8_ == nullptr) {
        const KnownPage* page = find_page(name_);
        iconv_t cd = iconv_open(page->iconv_name, "UTF-8");
        from_utf8_ = cd == reinterpret_cast<iconv_t>(-1) ? failed_handle() : cd;
    }
    if (from_utf8_ == failed_handle()) {
        return DecodeFailure{0, "this system's iconv cannot convert into " + name_};
    }
    const std::size_t start = out.size();
    std::size_t failed_at = 0;
    const Outcome outcome = convert(as_iconv(from_utf8_), utf8, out, failed_at);
    if (outcome == Outcome::Converted) {
        // glibc substitutes some characters without counting them as irreversible (IBM935 and
        // IBM1388 write SUB, 0x3F, for U+000E, U+00A0 and some 200 more; all pages but GB18030
        // drop the tag characters U+E0000..U+E007F), so only bytes that read back as `utf8`
        // are an exact conversion.
        std::string back;
        std::size_t back_failed = 0;
        const std::string_view encoded = std::string_view(out).substr(start);
        if (convert(as_iconv(to_utf8_), encoded, back, back_failed) == Outcome::Converted &&
            back == utf8) {
            return std::nullopt;
        }
        const auto differ = std::mismatch(utf8.begin(), utf8.end(), back.begin(), back.end());
        failed_at = static_cast<std::size_t>(differ.first - utf8.begin());
        while (failed_at > 0 && (failed_at == utf8.size() ||
                                 (static_cast<unsigned char>(utf8[failed_at]) & 0xC0) == 0x80)) {
            --failed_at; // to the first byte of the character that did not survive
        }
    }
    out.resize(start);
    return DecodeFailure{failed_at, "the character at byte " + std::to_string(failed_at) +
                                        " has no " + name_ + " code"};
}

} // namespace ferry

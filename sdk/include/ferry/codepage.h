// SPDX-License-Identifier: Apache-2.0
// ferry/codepage.h — legacy code pages to UTF-8 and back, through glibc iconv.
//
// Contract: a CodePage converts whole fields. A field that does not convert exactly is a
// failure that names the byte offset and the reason; there is no replacement character and no
// silent null (callers turn the failure into a reject, with ferry::to_hex of the raw field).
// One CodePage per thread or stream: iconv keeps shift state, so an object is never shared;
// it is cheap to open one per stream.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/result.h"

namespace ferry {

/// Why and where a field did not convert. Byte positions count from 0, as in a hexdump of the
/// raw field, in `offset` and in `reason` alike (Ferry's one convention for byte offsets).
struct DecodeFailure {
    std::size_t offset = 0; ///< of the first byte that did not convert (0-based)
    std::string reason;     ///< "byte 2 is not valid GBK" (offset 2), "input ends inside …", …
};

class CodePage {
public:
    /// Opens a code page by its name, case-insensitively: UTF-8, GBK, GB18030, BIG5, IBM935,
    /// IBM1388, CP037 (= IBM037), IBM1047. An unknown name, or one this system's iconv lacks, is
    /// an InvalidArgument error that lists the supported names.
    static Result<CodePage> open(std::string_view name);

    /// The names open() accepts, for messages and option schemas.
    static std::string_view supported_names() noexcept;

    CodePage(CodePage&& other) noexcept;
    CodePage& operator=(CodePage&& other) noexcept;
    CodePage(const CodePage&) = delete;
    CodePage& operator=(const CodePage&) = delete;
    ~CodePage();

    /// The canonical name (as listed by supported_names()).
    const std::string& name() const noexcept { return name_; }

    /// Bytes below 0x80 are ASCII (UTF-8, GBK, GB18030, BIG5): callers may split on them.
    bool ascii_compatible() const noexcept { return !ebcdic_; }

    bool ebcdic() const noexcept { return ebcdic_; }

    /// UTF-8 itself: decode() only validates.
    bool is_utf8() const noexcept { return to_utf8_ == nullptr; }

    /// Appends the UTF-8 form of all of `bytes` to `out`. On failure `out` is as it was.
    /// Stateful pages (IBM935/IBM1388 with SO/SI) start every call in the initial state, and
    /// their shift codes must pair up within `bytes` with whole double-byte characters between
    /// them: an SO without its SI, an SI without its SO or an odd byte count between them fails
    /// at the offending byte (iconv itself would read such a field as other characters).
    /// ASCII input on an ASCII-compatible page is copied without calling iconv.
    std::optional<DecodeFailure> decode(std::string_view bytes, std::string& out);

    /// The same without a copy where none is needed: `text` is `bytes` itself when they are
    /// already their UTF-8 (valid bytes on the UTF-8 page, ASCII on an ASCII-compatible one),
    /// else the converted text in `scratch` (cleared first). For decoders' hot paths.
    std::optional<DecodeFailure>
    decode_view(std::string_view bytes, std::string& scratch, std::string_view& text);

    /// The reverse: appends `utf8` in this code page to `out` (writers, test fixtures, checks
    /// that text survives a trip back into a legacy system). On failure `out` is as it was and
    /// the offset is into `utf8`.
    std::optional<DecodeFailure> encode(std::string_view utf8, std::string& out);

private:
    CodePage(std::string name, bool ebcdic, void* to_utf8, void* from_utf8) noexcept;
    void close() noexcept;
    /// Whether `bytes` are their own UTF-8 (`passes`); a failure for invalid UTF-8 on the UTF-8
    /// page.
    std::optional<DecodeFailure> check_passthrough(std::string_view bytes, bool& passes) const;
    /// Converts `bytes` through iconv, appending to `out` (as it was on failure).
    std::optional<DecodeFailure> convert_append(std::string_view bytes, std::string& out);

    std::string name_;
    bool ebcdic_ = false;
    bool shift_codes_ = false;  ///< IBM935/IBM1388: SO and SI must pair up within a field
    void* to_utf8_ = nullptr;   ///< iconv_t, kept opaque so this header does not need <iconv.h>
    void* from_utf8_ = nullptr; ///< opened on first encode()
};

} // namespace ferry

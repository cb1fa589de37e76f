// SPDX-License-Identifier: Apache-2.0
// framing.h — splits a file into records: text lines, CSV records, F/FB, V/VB (RDW/BDW).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

#include "file_window.h"

namespace ferry::flatfile {

/// How the bytes of a multi-byte code page step: a trail byte of GBK or BIG5 may equal an ASCII
/// delimiter ('|' is 0x7C, a valid GBK trail byte), so splitters must skip whole characters.
enum class CharStep { Single, Gbk, Gb18030, Big5 };

/// The stepping rule for a code page name (UTF-8 and single-byte pages step one byte at a time:
/// their non-ASCII bytes are never ASCII).
CharStep char_step_for(std::string_view code_page) noexcept;

/// Bytes of the character starting at `bytes[pos]` (at least 1, never past the end).
inline std::size_t char_length(CharStep step, std::string_view bytes, std::size_t pos) noexcept {
    const auto lead = static_cast<unsigned char>(bytes[pos]);
    if (step == CharStep::Single || lead < 0x81 || lead == 0xFF) {
        return 1;
    }
    std::size_t length = 2;
    if (step == CharStep::Gb18030 && pos + 1 < bytes.size()) {
        const auto second = static_cast<unsigned char>(bytes[pos + 1]);
        if (second >= 0x30 && second <= 0x39) {
            length = 4;
        }
    }
    return pos + length <= bytes.size() ? length : bytes.size() - pos;
}

/// One record as found in the file. `bytes` stays valid until the next call to next().
struct RawRecord {
    std::string_view bytes;
    std::int64_t offset = 0; ///< byte offset of the record's first byte (RDW included)
    std::int64_t line = 0;   ///< 1-based line of its first byte, for text formats; else 0
    bool truncated = false;  ///< the file ended inside the record
};

/// Where the next record starts: what a checkpoint stores.
struct FramePosition {
    std::int64_t offset = 0;
    std::int64_t line = 1;
    std::int64_t block_remaining = 0; ///< VB: bytes left in the current block
};

enum class RecordFormat { Lines, Csv, Fixed, Variable, VariableBlocked, GnuCobolVariable };

struct FramingOptions {
    RecordFormat format = RecordFormat::Lines;
    std::size_t record_length = 0; ///< Fixed
    CharStep step = CharStep::Single;
    char quote = '"';
    char escape = '"';
};

class Framer {
public:
    virtual ~Framer() = default;
    /// The next record into `out`; false at the end of the file. An error when the file cannot
    /// be framed any further (a broken RDW), with the byte offset.
    virtual Result<bool> next(RawRecord& out) = 0;
    /// Where the record after the last one returned starts.
    virtual FramePosition position() const = 0;
};

/// Opens `path` at `start` and frames it.
Result<std::unique_ptr<Framer>> open_framer(const std::string& path,
                                            const FramingOptions& options,
                                            const FramePosition& start = {});

Result<RecordFormat> parse_record_format(std::string_view name);

} // namespace ferry::flatfile

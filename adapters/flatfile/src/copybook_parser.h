// SPDX-License-Identifier: Apache-2.0
// copybook_parser.h — COBOL copybook text to a tree of data items with storage sizes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/result.h"

namespace ferry::flatfile {

enum class Usage { Display, Binary, NativeBinary, Packed, Dbcs };

enum class PicClass { None, Alphanumeric, Numeric, Dbcs };

/// A PICTURE string, expanded: what it holds and how many digits/characters.
struct Picture {
    PicClass kind = PicClass::None;
    std::string text; ///< as written: "S9(7)V99"
    bool is_signed = false;
    bool edited = false;         ///< Z, comma, point, sign or currency editing: read as text
    std::int32_t digits = 0;     ///< 9s
    std::int32_t scale = 0;      ///< digits after V, plus leading Ps
    std::int32_t multiplier = 0; ///< trailing Ps: the value is digits × 10^multiplier
    std::int32_t chars = 0;      ///< display positions (X, A, 9, editing; G/N count once each)
};

/// A 66-level entry: another name for a run of an 01 record's items (`66 PAY-PART RENAMES
/// PAY-AMT THRU PAY-FLAG`). It adds no storage; the renamed items are columns already.
struct Rename {
    std::string name;
    std::string from;
    std::string thru; ///< empty: just `from`
    int line = 0;
};

/// One data description entry, with its children for a group. Sizes and offsets are in bytes;
/// offsets are from the start of the 01 record and assume every OCCURS at its maximum.
struct CopybookItem {
    int level = 0;
    std::string name; ///< "FILLER" for unnamed items
    int line = 0;     ///< line of the copybook where the entry starts
    Picture picture;
    Usage usage = Usage::Display;
    bool sign_leading = false;
    bool sign_separate = false;
    bool sync = false;
    std::int32_t occurs_min = 1;
    std::int32_t occurs_max = 1; ///< 1 without OCCURS
    bool has_occurs = false;
    std::string depending_on; ///< OCCURS … DEPENDING ON
    std::string redefines;
    std::vector<CopybookItem> children;
    std::vector<Rename> renames; ///< an 01 record's 66 entries

    std::size_t offset = 0;       ///< of the first occurrence
    std::size_t element_size = 0; ///< one occurrence
    std::string usage_text;       ///< "COMP-3" for discovery's source_type

    bool is_group() const noexcept { return picture.kind == PicClass::None; }

    bool is_filler() const noexcept { return name == "FILLER"; }
};

/// A parsed copybook: its 01-level records (a copybook without an 01 gets one, named RECORD).
struct Copybook {
    std::vector<CopybookItem> records;
};

/// Parses fixed-format (sequence area, indicator column 7, columns 8–72) or free-format text.
/// 88-level condition names are skipped; 66 RENAMES are checked (their items must exist in the
/// record, in order) and kept on the record; floating point (COMP-1/COMP-2) is refused with the
/// line. `name` is for messages ("person.cpy").
Result<Copybook> parse_copybook(std::string_view text, const std::string& name);

/// `message` with every byte that is not UTF-8 written as \xNN: messages quote names and
/// words of the copybook (a GBK comment, a stray byte), and end up in logs and JSON.
std::string printable(std::string_view message);

/// Parses a PICTURE string ("S9(7)V99", "X(20)", "G(10)").
Result<Picture> parse_picture(std::string_view text);

/// Storage bytes of one elementary item (no OCCURS).
std::size_t elementary_size(const CopybookItem& item);

} // namespace ferry::flatfile

// SPDX-License-Identifier: Apache-2.0
// copybook_decoder.h — the copybook decoders' parts: one 01 record's decoder, and the
// multi-segment decoder built from several of them.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "cobol_decoders.h"
#include "copybook_layout.h"
#include "copybook_parser.h"
#include "record_decoder.h"

namespace ferry::flatfile {

/// Decodes one 01 record into the batch's columns from a base index on (a multi-segment row
/// holds several records' columns side by side).
class CopybookRecordDecoder : public RecordDecoder {
public:
    /// One null per column of this record (a row of another segment).
    virtual void append_nulls(BatchBuilder& out) const = 0;
};

/// The decoder of `layout`, writing columns [column_base, column_base + its schema's size).
/// Per-field code pages (options.copybook.field_encodings) apply to the items this record has;
/// their names are added to `matched`.
Result<std::unique_ptr<CopybookRecordDecoder>> make_record_decoder(CopybookLayout layout,
                                                                   const SourceOptions& options,
                                                                   std::size_t column_base,
                                                                   std::set<std::string>& matched);

/// COBOL text without its padding: trailing spaces and NULs (low-values) removed.
std::string_view trim_cobol_text(std::string_view text);

/// A numeric slot's bytes by its usage (zoned, packed, big- or native-endian binary).
NumericResult decode_slot_number(const Slot& slot, std::string_view raw, bool ebcdic) noexcept;

/// The 01 record named `name`, or null.
const CopybookItem* find_record(const Copybook& book, const std::string& name);

/// InvalidArgument naming the first field_encodings item that no record has.
Status check_field_encodings(const CopybookSpec& spec,
                             const std::set<std::string>& matched,
                             const std::string& copybook_name);

/// A multi-segment file (options.copybook.segments): the segment id selects the 01 record.
Result<std::unique_ptr<RecordDecoder>> make_segmented_decoder(const Copybook& book,
                                                              const SourceOptions& options,
                                                              const std::string& copybook_name);

} // namespace ferry::flatfile

// SPDX-License-Identifier: Apache-2.0
// record_decoder.h — turns one framed record into one row of cells, or a reject.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ferry/batch_builder.h"
#include "ferry/data_type.h"
#include "ferry/plugin/accounting.h"
#include "ferry/result.h"

#include "framing.h"
#include "options.h"

namespace ferry::flatfile {

/// "people.txt:12 (byte 3456)" or "extract.dat: byte 3456": where a record is, for lineage.
std::string record_location(const std::string& file, const RawRecord& record);

class RecordDecoder {
public:
    virtual ~RecordDecoder() = default;

    virtual const Schema& schema() const = 0;
    /// Appends one cell per column for `record` to `out` (a record is open), or returns why the
    /// record is rejected; the caller then rolls the record back.
    virtual std::optional<Reject>
    decode(const RawRecord& record, const std::string& file, BatchBuilder& out) = 0;

    /// Per column, how the source declares it ("PIC S9(7)V99 COMP-3"), for discovery.
    virtual nlohmann::json source_types() const { return nlohmann::json::array(); }

    /// The record length a fixed-length (F/FB) file has under this layout; 0 if unknown.
    virtual std::size_t record_length() const { return 0; }

    /// The decoder's running state, stored in checkpoints (summary totals); null if none.
    virtual nlohmann::json state() const { return nullptr; }

    virtual Status restore(const nlohmann::json& /*state*/) { return {}; }

    /// Called with the summary line, if the file has one (before or after the data).
    virtual Status set_summary(const RawRecord& /*line*/, const std::string& /*file*/) {
        return {};
    }

    /// At the end of the file: checks that cannot wait for the host (a summary line that is
    /// missing). An error ends the stream.
    virtual Status finish(const std::string& /*file*/) { return {}; }

    /// What the file declares of itself (a summary line's count and total) and the decoder's
    /// running figures, for the stream's report; the host compares them at the end.
    virtual void account(plugin::StreamAccounting& /*accounting*/) const {}

    /// The same comparison made here, for readers whose stream spans several files (a drop
    /// folder): a Data error naming the summary line when a figure differs.
    virtual Status verify_declared() const { return {}; }

    /// Whether the file declares figures of itself (a summary line, control records) that a
    /// verify pass can check before any record is delivered.
    virtual bool has_controls() const { return false; }

    /// The verify pass: updates only the running figures verify_declared needs from `record`.
    /// False when the decoder has no such shortcut; the record is then decoded in full.
    virtual bool observe_controls(const RawRecord& /*record*/, const std::string& /*file*/) {
        return false;
    }
};

/// Decoders for the text formats. `header` holds the decoded header names when the file has one.
Result<std::unique_ptr<RecordDecoder>> make_delimited_decoder(const SourceOptions& options,
                                                              std::vector<TextField> columns);
Result<std::unique_ptr<RecordDecoder>> make_fixed_decoder(const SourceOptions& options);

/// The decoder of a COBOL copybook record (copybook_decoder.cpp); its schema is discovery's.
Result<std::unique_ptr<RecordDecoder>> make_copybook_decoder(const SourceOptions& options);

/// The lineage columns every row ends with (unless the options' "lineage_columns" is false).
inline constexpr std::string_view kLineageFileColumn = "_source_file";
inline constexpr std::string_view kLineageOffsetColumn = "_byte_offset";

/// `decoder` with the two lineage columns after its own (lineage_decoder.cpp).
std::unique_ptr<RecordDecoder> with_lineage(std::unique_ptr<RecordDecoder> decoder);

/// Reads the header row (names decoded with the file's code page) into text columns.
Result<std::vector<TextField>> columns_from_header(const RawRecord& header,
                                                   const SourceOptions& options);

} // namespace ferry::flatfile

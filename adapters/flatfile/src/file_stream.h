// SPDX-License-Identifier: Apache-2.0
// file_stream.h — one file read as a stream of batches, with checkpoints and summary checks.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "ferry/plugin/stream.h"
#include "ferry/result.h"

#include "framing.h"
#include "options.h"
#include "record_decoder.h"

namespace ferry::flatfile {

/// A file opened for reading: the decoder (schema) and the framer positioned at the first data
/// record (after BOM, summary-first line and header), or at a checkpoint.
struct OpenedFile {
    std::unique_ptr<Framer> framer;
    std::unique_ptr<RecordDecoder> decoder;
    std::string display_name;
    std::int64_t next_record_no = 1;
    std::int64_t size = 0;                 ///< the file's size in bytes when it was opened
    bool text_lines = false;               ///< records are text lines: an empty one is a blank line
    bool skip_trailing_blank_lines = true; ///< else blank lines at the end are rejects too
};

/// The decoder `options` describe (`columns`: a delimited file's, from its header or the
/// options), ending with the lineage columns unless the options leave them out.
Result<std::unique_ptr<RecordDecoder>> make_decoder(const SourceOptions& options,
                                                    std::vector<TextField> columns);

/// Opens `path` per `options`; `resume` is a checkpoint of an earlier stream over the same file,
/// or null. InvalidArgument for a checkpoint that does not fit.
Result<OpenedFile>
open_file(const SourceOptions& options, const std::string& path, const nlohmann::json& resume);

/// Reads records from `file` into batches. Checkpoints carry the byte offset of the next record,
/// its record number and the decoder's running totals, so a resumed stream neither repeats nor
/// loses a record. Summary mismatches surface after the last batch is delivered.
class FileReader {
public:
    FileReader(OpenedFile file, bool summary_last);

    /// For a stream that reads this one file: report the file's size against the bytes
    /// consumed, and what the decoder finds declared (summary lines), to `accounting`.
    void report_to(plugin::StreamAccounting& accounting);

    /// Before the first batch, when the file has control records (a summary line, a header or
    /// trailer), reads the file opened afresh by `reopen` once and checks them: a file that
    /// fails is refused before any record is delivered.
    void verify_first(std::function<Result<OpenedFile>()> reopen) { reopen_ = std::move(reopen); }

    /// Appends records until `out` is full, `stop` says so, or the file ends (then false).
    /// Blank text lines at the end are skipped records ("blank_line"); in the middle, rejects.
    Result<bool> fill(BatchBuilder& out, const plugin::Stream& stream);
    /// The checkpoint after the records read so far.
    nlohmann::json checkpoint() const;

    std::int64_t next_record_no() const noexcept { return file_.next_record_no; }

    const Schema& schema() const { return file_.decoder->schema(); }

private:
    Result<bool> next_data_record(RawRecord& out);
    Result<bool> end_of_file(BatchBuilder& out);
    Status read_blank_run(RawRecord& record, std::int64_t first_no);
    bool is_blank(const RawRecord& record) const;
    /// The verify pass over this reader's own file: the control figures only, no delivery.
    Status verify_all(const plugin::Stream& stream);
    void report_position();

    OpenedFile file_;
    bool summary_last_;
    plugin::StreamAccounting* accounting_ = nullptr;
    std::function<Result<OpenedFile>()> reopen_;

    /// A run of blank lines read but not yet counted, and the record after it (held_).
    struct Blank {
        std::int64_t record_no = 0;
        std::int64_t line = 0;
        std::int64_t offset = 0;
        bool skip = false;
    };

    std::deque<Blank> blanks_;
    std::deque<FramePosition> queued_blanks_; ///< blank lines after the held-back trailer
    bool held_ = false;
    std::string held_bytes_;
    RawRecord held_record_;
    std::int64_t held_no_ = 0;
    bool ended_ = false;
    bool have_pending_ = false;
    std::string pending_;
    RawRecord pending_record_;
    FramePosition pending_position_;
    std::string current_;
};

} // namespace ferry::flatfile

// SPDX-License-Identifier: Apache-2.0
// file_stream.cpp — the read loop shared by every format: frame, decode or reject, checkpoint.
#include "file_stream.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ferry/text.h"

namespace ferry::flatfile {

namespace {

void strip_bom(RawRecord& record) {
    if (record.offset == 0 && record.bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        record.bytes.remove_prefix(3);
    }
}

Result<FramePosition> position_from(const nlohmann::json& resume) {
    if (!resume.is_object() || !resume.contains("offset") ||
        !resume["offset"].is_number_integer() || !resume.contains("record") ||
        !resume["record"].is_number_integer()) {
        return Status::invalid_argument(
            "resume: not a flatfile checkpoint (needs integer \"offset\" and \"record\")");
    }
    FramePosition position;
    position.offset = resume["offset"].get<std::int64_t>();
    position.line = resume.value("line", std::int64_t{0});
    position.block_remaining = resume.value("block_remaining", std::int64_t{0});
    if (position.offset < 0 || position.block_remaining < 0) {
        return Status::invalid_argument("resume: negative offset");
    }
    return position;
}

FramingOptions framing_of(const SourceOptions& options, std::size_t record_length) {
    FramingOptions framing;
    framing.format = options.record_format;
    framing.record_length = options.record_length > 0 ? options.record_length : record_length;
    framing.step = options.syntax.step;
    framing.quote = options.syntax.quote == '\0' ? '\x01' : options.syntax.quote;
    framing.escape = options.syntax.escape == '\0' ? framing.quote : options.syntax.escape;
    return framing;
}

std::size_t fixed_length_of(const SourceOptions& options) {
    std::size_t length = 0;
    for (const auto& field : options.fields) {
        length = std::max(length, field.start + field.length);
    }
    return length;
}

} // namespace

Result<std::unique_ptr<RecordDecoder>> make_decoder(const SourceOptions& options,
                                                    std::vector<TextField> columns) {
    std::unique_ptr<RecordDecoder> decoder;
    if (options.kind == FileKind::Copybook) {
        FERRY_ASSIGN_OR_RETURN(decoder, make_copybook_decoder(options));
    } else if (options.kind == FileKind::FixedWidth) {
        FERRY_ASSIGN_OR_RETURN(decoder, make_fixed_decoder(options));
    } else {
        FERRY_ASSIGN_OR_RETURN(decoder, make_delimited_decoder(options, std::move(columns)));
    }
    return options.lineage_columns ? with_lineage(std::move(decoder)) : std::move(decoder);
}

namespace {

// UTF-8 bytes are often valid GBK too, so a UTF-8 file read with the default GBK turns into
// other Chinese characters (王芳 -> 鐜嬭姵) without a single reject. When the options do not name
// the encoding, a start of file that is valid UTF-8 and has multi-byte characters is refused with
// the way to declare it; a declared encoding is never second-guessed.
Status check_default_encoding(const SourceOptions& options,
                              const std::string& path,
                              const std::string& display_name) {
    if (options.encoding_declared || options.kind == FileKind::Copybook) {
        return Status();
    }
    constexpr std::size_t kSample = 64 * 1024;
    std::ifstream in(path, std::ios::binary);
    std::string sample(kSample, '\0');
    in.read(sample.data(), static_cast<std::streamsize>(kSample));
    sample.resize(static_cast<std::size_t>(in.gcount()));
    const bool multibyte = std::any_of(sample.begin(), sample.end(), [](char byte) {
        return static_cast<unsigned char>(byte) >= 0x80;
    });
    if (!multibyte) {
        return Status();
    }
    std::string_view start = sample;
    if (sample.size() == kSample) {
        // The sample may end inside a character: drop an unfinished sequence (at most 3 bytes).
        std::size_t end = start.size();
        for (std::size_t back = 0; back < 3 && end > 0; ++back) {
            const auto byte = static_cast<unsigned char>(start[end - 1]);
            if ((byte & 0xC0) != 0x80) {
                end -= byte >= 0xC0 ? 1 : 0; // a lead byte whose character did not fit
                break;
            }
            --end;
        }
        start = start.substr(0, end);
    }
    if (find_invalid_utf8(start) != kAllValid) {
        return Status();
    }
    return Status::invalid_argument(
        display_name + ": no \"encoding\" is set, so it would be read as " + options.encoding +
        ", but its start is valid UTF-8 with multi-byte characters, which " + options.encoding +
        " would turn into other characters without an error; set \"encoding\": \"UTF-8\" (or \"" +
        options.encoding + "\" if the file really is " + options.encoding + ")");
}

} // namespace

Result<OpenedFile>
open_file(const SourceOptions& options, const std::string& path, const nlohmann::json& resume) {
    OpenedFile opened;
    const auto slash = path.find_last_of('/');
    opened.display_name = slash == std::string::npos ? path : path.substr(slash + 1);
    FERRY_RETURN_IF_ERROR(check_default_encoding(options, path, opened.display_name));

    std::size_t record_length = fixed_length_of(options);
    if (options.kind == FileKind::Copybook) {
        FERRY_ASSIGN_OR_RETURN(opened.decoder, make_decoder(options, {}));
        record_length = 0; // the copybook decoder knows; F files need record_length or it
    }
    FramingOptions framing = framing_of(options, record_length);
    if (options.kind == FileKind::Copybook && framing.record_length == 0) {
        framing.record_length = opened.decoder->record_length();
    }
    FERRY_ASSIGN_OR_RETURN(opened.framer, open_framer(path, framing));
    std::error_code size_error;
    opened.size = static_cast<std::int64_t>(std::filesystem::file_size(path, size_error));
    opened.text_lines =
        framing.format == RecordFormat::Lines || framing.format == RecordFormat::Csv;
    opened.skip_trailing_blank_lines = options.skip_trailing_blank_lines;

    // The prelude: a summary line first, then the header row.
    std::optional<RawRecord> summary_line;
    std::string summary_copy;
    std::vector<TextField> columns = options.fields;
    if (options.kind == FileKind::Delimited) {
        RawRecord record;
        if (options.summary && options.summary->first) {
            FERRY_ASSIGN_OR_RETURN(const bool found, opened.framer->next(record));
            if (!found) {
                return Status::data(opened.display_name + ": empty file, no summary line");
            }
            strip_bom(record);
            summary_copy.assign(record.bytes);
            record.bytes = summary_copy;
            summary_line = record;
        }
        if (options.header) {
            FERRY_ASSIGN_OR_RETURN(const bool found, opened.framer->next(record));
            if (!found) {
                return Status::data(opened.display_name + ": empty file, no header row");
            }
            strip_bom(record);
            if (columns.empty()) {
                auto from_header = columns_from_header(record, options);
                if (!from_header.ok()) {
                    return Status(from_header.status().code(),
                                  opened.display_name + ":" + std::to_string(record.line) + ": " +
                                      from_header.status().message());
                }
                columns = std::move(*from_header);
            }
        }
        FERRY_ASSIGN_OR_RETURN(opened.decoder, make_decoder(options, std::move(columns)));
        if (summary_line) {
            FERRY_RETURN_IF_ERROR(opened.decoder->set_summary(*summary_line, opened.display_name));
        }
    } else if (options.kind == FileKind::FixedWidth) {
        FERRY_ASSIGN_OR_RETURN(opened.decoder, make_decoder(options, {}));
    }

    if (!resume.is_null()) {
        FERRY_ASSIGN_OR_RETURN(const FramePosition position, position_from(resume));
        FERRY_ASSIGN_OR_RETURN(opened.framer, open_framer(path, framing, position));
        opened.next_record_no = resume["record"].get<std::int64_t>();
        if (opened.next_record_no < 1) {
            return Status::invalid_argument("resume: record numbers start at 1");
        }
        FERRY_RETURN_IF_ERROR(opened.decoder->restore(resume.value("state", nlohmann::json())));
    }
    return opened;
}

FileReader::FileReader(OpenedFile file, bool summary_last)
    : file_(std::move(file))
    , summary_last_(summary_last) {}

void FileReader::report_to(plugin::StreamAccounting& accounting) {
    accounting_ = &accounting;
    accounting.declare_bytes(file_.size, "the size of " + file_.display_name);
    accounting.set_expected_total(std::nullopt, file_.size);
    accounting.set_resumed_after(file_.next_record_no - 1);
    file_.decoder->account(accounting); // a summary line that came first
    report_position();
}

// Bytes the framer consumed, the record held back for a trailer included.
void FileReader::report_position() {
    if (accounting_ != nullptr) {
        accounting_->observe_bytes(file_.framer->position().offset);
    }
}

Result<bool> FileReader::next_data_record(RawRecord& out) {
    if (!summary_last_) {
        FERRY_ASSIGN_OR_RETURN(const bool found, file_.framer->next(out));
        if (found) {
            strip_bom(out);
        }
        return found;
    }
    // A trailer is only known to be the last line once the line after it is missing, so one
    // record is held back. Blank lines after it are read with it: the trailer is the last line
    // that is not blank, and blank lines after it are returned after it (trailing ones).
    if (!queued_blanks_.empty()) {
        out = RawRecord{};
        out.offset = queued_blanks_.front().offset;
        out.line = queued_blanks_.front().line;
        queued_blanks_.pop_front();
        return true;
    }
    RawRecord record;
    if (!have_pending_) {
        pending_position_ = file_.framer->position();
        FERRY_ASSIGN_OR_RETURN(const bool found, file_.framer->next(record));
        if (!found) {
            return false;
        }
        strip_bom(record);
        if (is_blank(record)) {
            out = record; // blank lines before the first record
            return true;
        }
        pending_.assign(record.bytes);
        pending_record_ = record;
        have_pending_ = true;
    }
    bool found = false;
    for (;;) {
        FERRY_ASSIGN_OR_RETURN(found, file_.framer->next(record));
        if (!found || !is_blank(record)) {
            break;
        }
        FramePosition blank;
        blank.offset = record.offset;
        blank.line = record.line;
        queued_blanks_.push_back(blank);
    }
    pending_record_.bytes = pending_;
    if (!found) {
        have_pending_ = false;
        pending_position_ = file_.framer->position();
        FERRY_RETURN_IF_ERROR(file_.decoder->set_summary(pending_record_, file_.display_name));
        return next_data_record(out); // the blank lines after the trailer, if any
    }
    current_.swap(pending_);
    out = pending_record_;
    out.bytes = current_;
    pending_.assign(record.bytes);
    pending_record_ = record;
    pending_position_ = FramePosition{};
    pending_position_.offset = record.offset;
    pending_position_.line = record.line;
    // The blank lines between the two records come after the one returned now; until they are
    // counted, a checkpoint points at the first of them.
    return true;
}

bool FileReader::is_blank(const RawRecord& record) const {
    return file_.text_lines && (record.bytes.empty() || record.bytes == "\r");
}

Result<bool> FileReader::end_of_file(BatchBuilder& out) {
    if (!out.empty()) {
        out.set_checkpoint(checkpoint().dump());
        return true; // deliver these records first; verify totals on the next call
    }
    ended_ = true;
    FERRY_RETURN_IF_ERROR(file_.decoder->finish(file_.display_name));
    if (accounting_ != nullptr) {
        file_.decoder->account(*accounting_); // the host compares
    } else {
        FERRY_RETURN_IF_ERROR(file_.decoder->verify_declared());
    }
    report_position();
    out.set_checkpoint(checkpoint().dump());
    return false;
}

// Blank lines at the very end (an editor's or export tool's newlines) hold no record; in the
// middle of a file one marks a lost record, so it is a reject. Whether a run of blank lines is
// at the end is known only after it, so the whole run is read here (one position per line) and
// counted from blanks_ as batches have room; the record after it waits in held_.
Status FileReader::read_blank_run(RawRecord& record, std::int64_t first_no) {
    std::vector<std::pair<std::int64_t, std::int64_t>> positions{{record.line, record.offset}};
    bool found = false;
    for (;;) {
        FERRY_ASSIGN_OR_RETURN(found, next_data_record(record));
        if (!found || !is_blank(record)) {
            break;
        }
        positions.emplace_back(record.line, record.offset);
        ++file_.next_record_no;
    }
    const bool skip = !found && file_.skip_trailing_blank_lines;
    for (std::size_t idx = 0; idx < positions.size(); ++idx) {
        blanks_.push_back({first_no + static_cast<std::int64_t>(idx), positions[idx].first,
                           positions[idx].second, skip});
    }
    if (found) {
        held_ = true;
        held_bytes_.assign(record.bytes);
        held_record_ = record;
        held_record_.bytes = held_bytes_;
        held_no_ = file_.next_record_no++;
    }
    return {};
}

Status FileReader::verify_all(const plugin::Stream& stream) {
    std::optional<BatchBuilder> scratch;
    RawRecord record;
    for (;;) {
        if (stream.cancelled()) {
            return Status::cancelled("flatfile stream cancelled");
        }
        FERRY_ASSIGN_OR_RETURN(const bool found, next_data_record(record));
        if (!found) {
            break;
        }
        const std::int64_t record_no = file_.next_record_no++;
        if (is_blank(record) || file_.decoder->observe_controls(record, file_.display_name)) {
            continue;
        }
        // No shortcut: the record is decoded in full into a scratch batch, dropped when full so
        // memory stays flat.
        if (!scratch || scratch->full()) {
            scratch.emplace(file_.decoder->schema(), 1024);
        }
        FERRY_RETURN_IF_ERROR(scratch->begin_record(record_no));
        if (auto reject = file_.decoder->decode(record, file_.display_name, *scratch)) {
            scratch->reject_record(std::move(*reject));
        } else {
            FERRY_RETURN_IF_ERROR(scratch->commit_record());
        }
    }
    FERRY_RETURN_IF_ERROR(file_.decoder->finish(file_.display_name));
    return file_.decoder->verify_declared();
}

Result<bool> FileReader::fill(BatchBuilder& out, const plugin::Stream& stream) {
    if (ended_) {
        return false;
    }
    if (reopen_) {
        auto reopen = std::move(reopen_);
        reopen_ = nullptr;
        if (file_.decoder->has_controls()) {
            FERRY_ASSIGN_OR_RETURN(OpenedFile copy, reopen());
            FileReader verifier(std::move(copy), summary_last_);
            if (Status verdict = verifier.verify_all(stream); !verdict.ok()) {
                return Status(verdict.code(),
                              file_.display_name +
                                  ": the batch is refused, no record delivered (verify pass, " +
                                  std::to_string(verifier.file_.framer->position().offset) +
                                  " bytes read): " + verdict.message());
            }
        }
    }
    RawRecord record;
    while (!out.full()) {
        if (stream.cancelled()) {
            return Status::cancelled("flatfile stream cancelled");
        }
        if (!blanks_.empty()) {
            const Blank blank = blanks_.front();
            blanks_.pop_front();
            if (blank.skip) {
                FERRY_RETURN_IF_ERROR(out.skip_record(blank.record_no, "blank_line"));
                continue;
            }
            RawRecord where;
            where.line = blank.line;
            where.offset = blank.offset;
            FERRY_RETURN_IF_ERROR(out.reject(
                blank.record_no,
                Reject("", "blank_line",
                       held_ ? "a blank line in the middle of the file"
                             : "a blank line at the end (skip_trailing_blank_lines is off)",
                       record_location(file_.display_name, where))));
            continue;
        }
        std::int64_t record_no = 0;
        if (held_) {
            held_ = false;
            record = held_record_;
            record_no = held_no_;
        } else {
            FERRY_ASSIGN_OR_RETURN(const bool found, next_data_record(record));
            if (!found) {
                return end_of_file(out);
            }
            record_no = file_.next_record_no++;
            if (is_blank(record)) {
                FERRY_RETURN_IF_ERROR(read_blank_run(record, record_no));
                continue;
            }
        }
        // DOS ended text files with Ctrl-Z (0x1A); old export tools still write one. As the very
        // last line it holds no record; anywhere else it stays a reject.
        if (file_.text_lines && (record.bytes == "\x1A" || record.bytes == "\x1A\r") &&
            file_.framer->position().offset >= file_.size) {
            FERRY_RETURN_IF_ERROR(out.skip_record(record_no, "end_of_file_byte"));
            continue;
        }
        FERRY_RETURN_IF_ERROR(out.begin_record(record_no));
        if (auto reject = file_.decoder->decode(record, file_.display_name, out)) {
            out.reject_record(std::move(*reject));
        } else {
            FERRY_RETURN_IF_ERROR(out.commit_record());
        }
    }
    report_position();
    out.set_checkpoint(checkpoint().dump());
    return true;
}

nlohmann::json FileReader::checkpoint() const {
    FramePosition position = !queued_blanks_.empty() ? queued_blanks_.front()
                             : have_pending_         ? pending_position_
                                                     : file_.framer->position();
    std::int64_t next_record = file_.next_record_no;
    // Blank lines not yet counted and the record after them are read again on resume.
    if (!blanks_.empty()) {
        position = FramePosition{};
        position.offset = blanks_.front().offset;
        position.line = blanks_.front().line;
        next_record = blanks_.front().record_no;
    } else if (held_) {
        position = FramePosition{};
        position.offset = held_record_.offset;
        position.line = held_record_.line;
        next_record = held_no_;
    }
    nlohmann::json point{
        {"file", file_.display_name}, {"offset", position.offset}, {"record", next_record}};
    if (position.line > 0) {
        point["line"] = position.line;
    }
    if (position.block_remaining > 0) {
        point["block_remaining"] = position.block_remaining;
    }
    if (auto state = file_.decoder->state(); !state.is_null()) {
        point["state"] = std::move(state);
    }
    return point;
}

} // namespace ferry::flatfile

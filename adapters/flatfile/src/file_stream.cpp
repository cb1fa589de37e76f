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
    // record is held back.
    RawRecord record;
    if (!have_pending_) {
        pending_position_ = file_.framer->position();
        FERRY_ASSIGN_OR_RETURN(const bool found, file_.framer->next(record));
        if (!found) {
            return false;
        }
        strip_bom(record);
        pending_.assign(record.bytes);
        pending_record_ = record;
        have_pending_ = true;
    }
    const FramePosition after = file_.framer->position();
    FERRY_ASSIGN_OR_RETURN(const bool found, file_.framer->next(record));
    pending_record_.bytes = pending_;
    if (!found) {
        have_pending_ = false;
        pending_position_ = after;
        FERRY_RETURN_IF_ERROR(file_.decoder->set_summary(pending_record_, file_.display_name));
        return false;
    }
    current_.swap(pending_);
    out = pending_record_;
    out.bytes = current_;
    pending_.assign(record.bytes);
    pending_record_ = record;
    pending_position_ = after;
    return true;
}

Result<bool> FileReader::fill(BatchBuilder& out, const plugin::Stream& stream) {
    if (ended_) {
        return false;
    }
    RawRecord record;
    while (!out.full()) {
        if (stream.cancelled()) {
            return Status::cancelled("flatfile stream cancelled");
        }
        FERRY_ASSIGN_OR_RETURN(const bool found, next_data_record(record));
        if (!found) {
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
        const std::int64_t record_no = file_.next_record_no++;
        if (file_.text_lines && (record.bytes.empty() || record.bytes == "\r")) {
            FERRY_RETURN_IF_ERROR(out.skip_record(record_no, "blank_line"));
            continue;
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
    const FramePosition position = have_pending_ ? pending_position_ : file_.framer->position();
    nlohmann::json point{{"file", file_.display_name},
                         {"offset", position.offset},
                         {"record", file_.next_record_no}};
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

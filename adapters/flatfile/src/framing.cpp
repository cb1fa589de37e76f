// SPDX-License-Identifier: Apache-2.0
// framing.cpp — record framers. Every framer reads through one FileWindow, so memory is bounded.
#include "framing.h"

#include <algorithm>
#include <cstring>

namespace ferry::flatfile {

namespace {

std::string where(const FileWindow& file, std::int64_t offset) {
    return file.display_name() + ": byte " + std::to_string(offset);
}

class TextFramer final : public Framer {
public:
    TextFramer(FileWindow file, const FramingOptions& options, std::int64_t line)
        : file_(std::move(file))
        , options_(options)
        , line_(line) {}

    Result<bool> next(RawRecord& out) override {
        std::size_t scanned = 0;
        bool in_quotes = false;
        std::int64_t newlines = 0;
        for (;;) {
            const std::string_view bytes = file_.window();
            const std::size_t end = options_.format == RecordFormat::Csv
                                        ? scan_csv(bytes, scanned, in_quotes, newlines)
                                        : scan_line(bytes, scanned);
            if (end != std::string_view::npos) {
                return emit(out, bytes, end, end + 1, newlines + 1, false);
            }
            if (!at_eof_) {
                FERRY_ASSIGN_OR_RETURN(const bool more, file_.refill());
                at_eof_ = !more;
                continue;
            }
            {
                const std::string_view rest = file_.window();
                if (rest.empty()) {
                    return false;
                }
                // The last record may lack its line end; an open quote means it was cut short.
                return emit(out, rest, rest.size(), rest.size(), newlines, in_quotes);
            }
        }
    }

    FramePosition position() const override { return {file_.offset(), line_, 0}; }

private:
    std::size_t scan_line(std::string_view bytes, std::size_t& scanned) const {
        const void* found = std::memchr(bytes.data() + scanned, '\n', bytes.size() - scanned);
        if (found == nullptr) {
            scanned = bytes.size();
            return std::string_view::npos;
        }
        return static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data());
    }

    // RFC 4180: a line end inside quotes belongs to the field. Multi-byte characters are skipped
    // whole, so a GBK trail byte never reads as a quote.
    std::size_t scan_csv(std::string_view bytes,
                         std::size_t& scanned,
                         bool& in_quotes,
                         std::int64_t& newlines) const {
        std::size_t pos = scanned;
        // RFC 4180 quoting with a quote below 0x30 (the usual '"'): memchr jumps from quote to
        // quote and to the line end. Trail bytes of GBK/GB18030/BIG5 (>= 0x30) and UTF-8
        // (>= 0x80) can be neither, so no character stepping is needed; a doubled quote simply
        // toggles twice.
        if (static_cast<unsigned char>(options_.quote) < 0x30 &&
            options_.escape == options_.quote) {
            const char* data = bytes.data();
            while (pos < bytes.size()) {
                // Outside quotes, look for a quote only up to the line end: a file without
                // quotes would otherwise scan the rest of the window for each record.
                const auto* newline = in_quotes ? nullptr
                                                : static_cast<const char*>(std::memchr(
                                                      data + pos, '\n', bytes.size() - pos));
                const std::size_t limit =
                    newline != nullptr ? static_cast<std::size_t>(newline - data) : bytes.size();
                const auto* quote =
                    static_cast<const char*>(std::memchr(data + pos, options_.quote, limit - pos));
                const std::size_t quote_at =
                    quote != nullptr ? static_cast<std::size_t>(quote - data) : limit;
                if (in_quotes) {
                    newlines += std::count(data + pos, data + quote_at, '\n');
                } else if (quote == nullptr && newline != nullptr) {
                    scanned = limit;
                    return scanned;
                }
                if (quote == nullptr) {
                    break;
                }
                in_quotes = !in_quotes;
                pos = quote_at + 1;
            }
            scanned = bytes.size();
            return std::string_view::npos;
        }
        while (pos < bytes.size()) {
            const char ch = bytes[pos];
            if (static_cast<unsigned char>(ch) >= 0x81 && options_.step != CharStep::Single) {
                if (pos + 4 > bytes.size() && !at_eof_) {
                    break; // the character may continue after the window: rescan after a refill
                }
                const std::size_t length = char_length(options_.step, bytes, pos);
                pos += length;
                continue;
            }
            if (in_quotes && ch == options_.escape && options_.escape != options_.quote) {
                if (pos + 1 >= bytes.size()) {
                    break;
                }
                pos += 2;
                continue;
            }
            if (ch == options_.quote) {
                in_quotes = !in_quotes;
            } else if (ch == '\n') {
                if (!in_quotes) {
                    scanned = pos;
                    return pos;
                }
                ++newlines;
            }
            ++pos;
        }
        scanned = pos;
        return std::string_view::npos;
    }

    Result<bool> emit(RawRecord& out,
                      std::string_view bytes,
                      std::size_t end,
                      std::size_t consumed,
                      std::int64_t lines,
                      bool truncated) {
        std::size_t length = end;
        if (length > 0 && bytes[length - 1] == '\r') {
            --length;
        }
        out.bytes = bytes.substr(0, length);
        out.offset = file_.offset();
        out.line = line_;
        out.truncated = truncated;
        file_.consume(consumed);
        line_ += lines;
        return true;
    }

    FileWindow file_;
    FramingOptions options_;
    std::int64_t line_;
    bool at_eof_ = false;
};

class FixedFramer final : public Framer {
public:
    FixedFramer(FileWindow file, std::size_t length)
        : file_(std::move(file))
        , length_(length) {}

    Result<bool> next(RawRecord& out) override {
        while (file_.window().size() < length_) {
            FERRY_ASSIGN_OR_RETURN(const bool more, file_.refill());
            if (!more) {
                break;
            }
        }
        const std::string_view bytes = file_.window();
        if (bytes.empty()) {
            return false;
        }
        const std::size_t take = std::min(bytes.size(), length_);
        out.bytes = bytes.substr(0, take);
        out.offset = file_.offset();
        out.line = 0;
        out.truncated = take < length_;
        file_.consume(take);
        return true;
    }

    FramePosition position() const override { return {file_.offset(), 0, 0}; }

private:
    FileWindow file_;
    std::size_t length_;
};

// V and VB: each record starts with an RDW (2-byte big-endian length counting the RDW itself,
// then 2 zero bytes); VB groups records in blocks behind a BDW of the same shape. GnuCOBOL's
// default prefix counts only the data, so its length is 4 less (platform notes).
class VariableFramer final : public Framer {
public:
    VariableFramer(FileWindow file, RecordFormat format, std::int64_t block_remaining)
        : file_(std::move(file))
        , format_(format)
        , block_remaining_(block_remaining) {}

    Result<bool> next(RawRecord& out) override {
        if (format_ == RecordFormat::VariableBlocked && block_remaining_ == 0) {
            FERRY_ASSIGN_OR_RETURN(const bool any, ensure(4));
            if (!any) {
                return false;
            }
            FERRY_ASSIGN_OR_RETURN(std::size_t block, read_prefix("BDW", 8));
            file_.consume(4);
            block_remaining_ = static_cast<std::int64_t>(block) - 4;
        }
        FERRY_ASSIGN_OR_RETURN(const bool any, ensure(4));
        if (!any) {
            if (block_remaining_ > 0) {
                return Status::data(where(file_, file_.offset()) + ": the file ends inside a " +
                                    "block (" + std::to_string(block_remaining_) +
                                    " bytes missing)");
            }
            return false;
        }
        const std::size_t minimum = format_ == RecordFormat::GnuCobolVariable ? 0 : 4;
        FERRY_ASSIGN_OR_RETURN(std::size_t length, read_prefix("RDW", minimum));
        if (format_ == RecordFormat::GnuCobolVariable) {
            length += 4;
        }
        if (format_ == RecordFormat::VariableBlocked &&
            static_cast<std::int64_t>(length) > block_remaining_) {
            return Status::data(where(file_, file_.offset()) + ": RDW length " +
                                std::to_string(length) + " exceeds the " +
                                std::to_string(block_remaining_) + " bytes left in its block");
        }
        FERRY_ASSIGN_OR_RETURN(const bool whole, ensure(length));
        (void)whole;
        const std::string_view bytes = file_.window();
        const std::size_t take = std::min(bytes.size(), length);
        out.bytes = bytes.substr(4, take - 4);
        out.offset = file_.offset();
        out.line = 0;
        out.truncated = take < length;
        file_.consume(take);
        if (format_ == RecordFormat::VariableBlocked) {
            block_remaining_ -= static_cast<std::int64_t>(take);
        }
        return true;
    }

    FramePosition position() const override { return {file_.offset(), 0, block_remaining_}; }

private:
    // True when `bytes` are buffered; false at a clean end of file (nothing left).
    Result<bool> ensure(std::size_t bytes) {
        while (file_.window().size() < bytes) {
            FERRY_ASSIGN_OR_RETURN(const bool more, file_.refill());
            if (!more) {
                break;
            }
        }
        return !file_.window().empty();
    }

    Result<std::size_t> read_prefix(const char* what, std::size_t minimum) {
        const std::string_view bytes = file_.window();
        if (bytes.size() < 4) {
            return Status::data(where(file_, file_.offset()) + ": the file ends inside a " + what);
        }
        const auto byte = [&](std::size_t idx) { return static_cast<unsigned char>(bytes[idx]); };
        const std::size_t length = (std::size_t{byte(0)} << 8) | byte(1);
        if (byte(2) != 0 || byte(3) != 0 || length < minimum) {
            return Status::data(where(file_, file_.offset()) + ": not a valid " + what + " (" +
                                std::to_string(byte(0)) + " " + std::to_string(byte(1)) + " " +
                                std::to_string(byte(2)) + " " + std::to_string(byte(3)) +
                                "); is the record format right?");
        }
        return length;
    }

    FileWindow file_;
    RecordFormat format_;
    std::int64_t block_remaining_;
};

} // namespace

CharStep char_step_for(std::string_view code_page) noexcept {
    std::string upper;
    for (const char ch : code_page) {
        upper += static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    }
    if (upper == "GBK" || upper == "CP936" || upper == "GB2312") {
        return CharStep::Gbk;
    }
    if (upper == "GB18030") {
        return CharStep::Gb18030;
    }
    if (upper == "BIG5") {
        return CharStep::Big5;
    }
    return CharStep::Single;
}

Result<RecordFormat> parse_record_format(std::string_view name) {
    if (name == "lines") {
        return RecordFormat::Lines;
    }
    if (name == "F" || name == "FB") {
        return RecordFormat::Fixed;
    }
    if (name == "V") {
        return RecordFormat::Variable;
    }
    if (name == "VB") {
        return RecordFormat::VariableBlocked;
    }
    if (name == "gnucobol_v") {
        return RecordFormat::GnuCobolVariable;
    }
    return Status::invalid_argument("unknown record_format \"" + std::string(name) +
                                    "\" (lines, F, FB, V, VB, gnucobol_v)");
}

Result<std::unique_ptr<Framer>>
open_framer(const std::string& path, const FramingOptions& options, const FramePosition& start) {
    FERRY_ASSIGN_OR_RETURN(FileWindow file, FileWindow::open(path, start.offset));
    switch (options.format) {
    case RecordFormat::Lines:
    case RecordFormat::Csv:
        return std::unique_ptr<Framer>(new TextFramer(std::move(file), options, start.line));
    case RecordFormat::Fixed:
        if (options.record_length == 0) {
            return Status::invalid_argument("record format F needs a record length");
        }
        return std::unique_ptr<Framer>(new FixedFramer(std::move(file), options.record_length));
    case RecordFormat::Variable:
    case RecordFormat::VariableBlocked:
    case RecordFormat::GnuCobolVariable:
        return std::unique_ptr<Framer>(
            new VariableFramer(std::move(file), options.format, start.block_remaining));
    }
    return Status::internal("unhandled record format");
}

} // namespace ferry::flatfile

// SPDX-License-Identifier: Apache-2.0
// flatfile_fuzzer.cpp — the flat-file adapter's parsers on any bytes. One target with a mode
// byte rather than four, so CI compiles and runs the adapter once (docs/fuzzing.md). The low
// two bits of the first byte pick the part, the others its variant:
//   0, 3: copybook text, a NUL, record bytes: the copybook parser, the layout and the record
//         decoders (zoned, COMP-3, COMP-5, DBCS, ODO) in an EBCDIC, DBCS or GBK code page;
//   1:    CSV or line framing and field splitting, single-byte, GBK, GB18030 or BIG5 stepping;
//   2:    V/VB (RDW/BDW), GnuCOBOL variable and F framing.
// Invariants: every decoded record is delivered or rejected with one cell per column; messages
// are UTF-8; a framer only moves forward, inside the file; unquoted fields rejoin to the record.
#include <cstdint>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#include "ferry/batch_builder.h"

#include "copybook_decoder.h"
#include "delimited.h"
#include "framing.h"
#include "fuzz_support.h"
#include "options.h"
#include "record_decoder.h"

namespace {

using namespace ferry::flatfile;

constexpr std::int64_t kMaxRecords = 64;

void check_counts(const ferry::BatchBuilder& batch, std::string_view input) {
    if (batch.num_rows() + batch.num_rejects() != batch.records_read()) {
        ferry::fuzz::fail("read != delivered + rejected", input);
    }
}

void decode_one(RecordDecoder& decoder,
                ferry::BatchBuilder& batch,
                const RawRecord& record,
                std::int64_t record_no,
                std::string_view input) {
    if (!batch.begin_record(record_no).ok()) {
        ferry::fuzz::fail("begin_record failed", input);
    }
    if (auto reject = decoder.decode(record, "fuzz.dat", batch)) {
        ferry::fuzz::check_message(reject->reason, input);
        ferry::fuzz::check_message(reject->field, input);
        ferry::fuzz::check_message(reject->location, input);
        batch.reject_record(std::move(*reject));
        return;
    }
    const ferry::Status committed = batch.commit_record();
    if (!committed.ok()) {
        ferry::fuzz::fail("a decoded record does not commit: " + committed.message(), input);
    }
}

void fuzz_copybook(std::uint8_t mode, std::string_view body, std::string_view input) {
    static const char* const kPages[] = {"CP037", "IBM935", "IBM1388", "GBK"};
    const std::size_t nul = body.find('\0');
    const std::string_view text = body.substr(0, nul);
    const std::string_view bytes = nul == std::string_view::npos ? "" : body.substr(nul + 1);

    SourceOptions options;
    options.kind = FileKind::Copybook;
    options.encoding = kPages[(mode >> 2) & 3];
    options.encoding_declared = true;
    options.copybook.text = std::string(text);
    options.copybook.little_endian_native = (mode & 0x10) != 0;
    auto decoder = make_copybook_decoder(options);
    if (!decoder.ok()) {
        ferry::fuzz::check_message(decoder.status().message(), input);
        return;
    }
    const ferry::Schema& schema = (*decoder)->schema();
    const nlohmann::json types = (*decoder)->source_types();
    if (!types.empty() && types.size() != schema.size()) {
        ferry::fuzz::fail("source_types and schema differ in size", input);
    }
    for (const ferry::Field& field : schema.fields()) {
        ferry::fuzz::check_message(field.name, input);
    }
    ferry::BatchBuilder batch(schema, 256);
    std::int64_t record_no = 0;
    RawRecord record;
    record.bytes = bytes;
    decode_one(**decoder, batch, record, ++record_no, input);
    // As an F/FB file: the bytes cut at the layout's length, the last piece short.
    const std::size_t length = (*decoder)->record_length();
    if (length > 0) {
        for (std::size_t at = 0; at < bytes.size() && record_no <= kMaxRecords; at += length) {
            record.bytes = bytes.substr(at, length);
            record.offset = static_cast<std::int64_t>(at);
            record.truncated = record.bytes.size() < length;
            decode_one(**decoder, batch, record, ++record_no, input);
        }
    }
    check_counts(batch, input);
    if (batch.records_read() != record_no) {
        ferry::fuzz::fail("records_read() differs from the records decoded", input);
    }
}

/// The bytes as a file, without touching the disk: an in-memory file opened by its /proc path.
std::string as_file(std::string_view bytes) {
    static const int fd = ::memfd_create("ferry-fuzz-flatfile", 0);
    if (fd < 0 || ::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
        std::abort();
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

void check_delimited(const RawRecord& record,
                     const DelimitedSyntax& syntax,
                     std::string_view input) {
    std::vector<std::string_view> cells;
    std::string scratch;
    const auto problem = split_delimited(record.bytes, syntax, cells, scratch);
    if (problem) {
        ferry::fuzz::check_message(*problem, input);
        return;
    }
    if (record.bytes.find(syntax.quote) != std::string_view::npos) {
        return;
    }
    std::string joined;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        joined += i == 0 ? "" : std::string(1, syntax.delimiter);
        joined += cells[i];
    }
    if (joined != record.bytes) {
        ferry::fuzz::fail("unquoted fields do not rejoin to the record", input);
    }
}

void fuzz_framing(std::uint8_t mode, std::string_view body, std::string_view input) {
    static const CharStep kSteps[] = {CharStep::Single, CharStep::Gbk, CharStep::Gb18030,
                                      CharStep::Big5};
    static const char kDelimiters[] = {',', '|', '\t', ';'};
    static const RecordFormat kBinary[] = {RecordFormat::Variable, RecordFormat::VariableBlocked,
                                           RecordFormat::GnuCobolVariable, RecordFormat::Fixed};
    const bool csv = (mode & 3) == 1;
    FramingOptions framing;
    framing.step = kSteps[(mode >> 2) & 3];
    if (csv) {
        framing.format = (mode & 0x40) != 0 ? RecordFormat::Lines : RecordFormat::Csv;
    } else {
        framing.format = kBinary[(mode >> 2) & 3];
        framing.record_length = 1 + ((mode >> 4) & 0x0F);
    }
    DelimitedSyntax syntax;
    syntax.delimiter = kDelimiters[(mode >> 4) & 3];
    syntax.step = framing.step;
    syntax.escape = (mode & 0x80) != 0 ? '\\' : '"';

    auto framer = open_framer(as_file(body), framing);
    if (!framer.ok()) {
        ferry::fuzz::check_message(framer.status().message(), input);
        return;
    }
    const auto size = static_cast<std::int64_t>(body.size());
    std::int64_t last_offset = -1;
    RawRecord record;
    for (std::size_t guard = 0;; ++guard) {
        if (guard > body.size() + 1) {
            ferry::fuzz::fail("the framer does not advance", input);
        }
        auto more = (*framer)->next(record);
        if (!more.ok()) {
            ferry::fuzz::check_message(more.status().message(), input);
            return;
        }
        if (!*more) {
            break;
        }
        const auto end = record.offset + static_cast<std::int64_t>(record.bytes.size());
        if (record.offset <= last_offset || end > size) {
            ferry::fuzz::fail("a record at " + std::to_string(record.offset) + " (" +
                                  std::to_string(record.bytes.size()) + " bytes) after one at " +
                                  std::to_string(last_offset),
                              input);
        }
        last_offset = record.offset;
        if ((*framer)->position().offset > size) {
            ferry::fuzz::fail("position() past the end of the file", input);
        }
        if (csv) {
            check_delimited(record, syntax, input);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view input = ferry::fuzz::as_text(data, size);
    const std::uint8_t mode = data[0];
    const std::string_view body = input.substr(1);
    if ((mode & 3) == 0 || (mode & 3) == 3) {
        fuzz_copybook(mode, body, input);
    } else {
        fuzz_framing(mode, body, input);
    }
    return 0;
}

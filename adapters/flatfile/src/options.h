// SPDX-License-Identifier: Apache-2.0
// options.h — the flat-file source's options: JSON Schema (validated by the host) and parsing.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

#include "delimited.h"
#include "framing.h"
#include "text_cells.h"

namespace ferry::flatfile {

enum class FileKind { Delimited, FixedWidth, Copybook };

/// A summary or trailer line of a delimited file: a record count and an amount total that the
/// data must match (bank withholding batches carry one).
struct SummarySpec {
    bool first = true;            ///< first line (before any header) or last line
    std::size_t count_field = 0;  ///< 1-based field of the summary line; 0: none
    std::size_t amount_field = 0; ///< 1-based field of the summary line; 0: none
    std::string amount_column;    ///< the data column whose values must add up
};

struct DropFolderSpec {
    std::string incoming;
    std::string pattern = "*"; ///< glob on the file name
    std::string done_suffix;   ///< e.g. ".done": a file is ready once FILE.done exists
    std::string processed;     ///< folders the files move to
    std::string failed;
};

/// A multi-segment file: the DISPLAY item `field` (the same bytes in every record) holds an id
/// naming the 01 record that lays out the rest (H -> header, D -> detail, T -> trailer).
struct SegmentSpec {
    std::string field;                          ///< empty: the file has one record layout
    std::map<std::string, std::string> records; ///< segment id -> 01 record name
};

/// Control records of a multi-segment file: the header and trailer segments (01 record names)
/// and their items that declare the file's figures. Items are looked up in the trailer first,
/// then in the header.
struct ControlSpec {
    std::string header;
    std::string trailer;
    std::string record_count;                          ///< item: every record of the file
    std::map<std::string, std::string> segment_counts; ///< 01 record -> item: its records
    std::map<std::string, std::string> sums;           ///< detail item -> item: their total
    std::string business_date;                         ///< header item: YYYYMMDD

    bool empty() const { return header.empty() && trailer.empty(); }
};

struct CopybookSpec {
    std::string path; ///< or `text`
    std::string text;
    std::string record;                ///< which 01 record; empty: the first
    bool little_endian_native = false; ///< COMP-5 byte order (GnuCOBOL on x86: little)
    std::string dbcs_encoding;         ///< PIC G/N; empty: derived from the file encoding
    nlohmann::json redefines = nlohmann::json::object();       ///< item -> {"field","equals"}
    nlohmann::json field_encodings = nlohmann::json::object(); ///< item -> code page
    SegmentSpec segments;
    ControlSpec control;
};

struct SourceOptions {
    FileKind kind = FileKind::Delimited;
    std::string path;
    std::optional<DropFolderSpec> drop_folder;
    std::string dataset = "records";
    std::string encoding = "GBK";
    bool encoding_declared = false; ///< the options name it (else the default, GBK or CP037)
    RecordFormat record_format = RecordFormat::Lines;
    std::size_t record_length = 0;
    DelimitedSyntax syntax;
    bool header = true;
    bool bom = true;             ///< skip a UTF-8 byte order mark at the start
    bool lineage_columns = true; ///< rows end with _source_file and _byte_offset
    std::vector<TextField> fields;
    std::optional<SummarySpec> summary;
    CopybookSpec copybook;
    std::string business_date;             ///< "YYYY-MM-DD": the header's date must equal it
    bool verify_first = true;              ///< check control records before any delivery
    bool skip_trailing_blank_lines = true; ///< blank lines at the end are skipped records
};

/// The options' JSON Schema (draft-07), as FerryPluginApi.options_schema publishes it.
extern const char* const kOptionsSchema;

/// Reads options the host has already validated against kOptionsSchema; cross-field rules
/// (fixed-width needs fields, a summary amount names a column) are checked here.
Result<SourceOptions> parse_options(const nlohmann::json& options);

} // namespace ferry::flatfile

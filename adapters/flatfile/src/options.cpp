// SPDX-License-Identifier: Apache-2.0
// options.cpp — the options schema and its reader.
#include "options.h"

#include "ferry/codepage.h"

namespace ferry::flatfile {

const char* const kOptionsSchema = R"({
  "type": "object",
  "additionalProperties": false,
  "required": ["format"],
  "oneOf": [{"required": ["path"]}, {"required": ["drop_folder"]}],
  "definitions": {
    "char": {"type": "string", "minLength": 1, "maxLength": 1},
    "field": {
      "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "object", "additionalProperties": false, "required": ["name"],
         "properties": {
           "name": {"type": "string", "minLength": 1},
           "type": {"type": "string", "pattern": "^(text|int64|date|decimal\\([0-9]{1,2},[0-9]{1,2}\\))$",
                    "default": "text"},
           "start": {"type": "integer", "minimum": 1, "description": "fixed-width: 1-based byte"},
           "length": {"type": "integer", "minimum": 1, "description": "fixed-width: bytes"},
           "nullable": {"type": "boolean", "default": true},
           "implied_decimals": {"type": "boolean", "default": false},
           "date_format": {"type": "string", "default": "yyyyMMdd"},
           "trim": {"enum": ["none", "right", "both"]},
           "encoding": {"type": "string"}
         }}
      ]
    }
  },
  "properties": {
    "format": {"enum": ["delimited", "fixed", "copybook"]},
    "path": {"type": "string", "minLength": 1},
    "drop_folder": {
      "type": "object", "additionalProperties": false, "required": ["incoming", "processed", "failed"],
      "properties": {
        "incoming": {"type": "string"}, "processed": {"type": "string"},
        "failed": {"type": "string"}, "pattern": {"type": "string", "default": "*"},
        "done_suffix": {"type": "string", "default": ""}
      }
    },
    "dataset": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$", "default": "records"},
    "encoding": {"type": "string", "default": "GBK"},
    "record_format": {"enum": ["lines", "F", "FB", "V", "VB", "gnucobol_v"]},
    "record_length": {"type": "integer", "minimum": 1, "maximum": 1048576},
    "delimiter": {"$ref": "#/definitions/char", "default": ","},
    "quote": {"type": "string", "maxLength": 1, "default": "\""},
    "escape": {"$ref": "#/definitions/char"},
    "header": {"type": "boolean", "default": true},
    "lineage_columns": {"type": "boolean", "default": true},
    "columns": {"type": "array", "items": {"$ref": "#/definitions/field"}, "minItems": 1},
    "fields": {"type": "array", "items": {"$ref": "#/definitions/field"}, "minItems": 1},
    "summary": {
      "type": "object", "additionalProperties": false, "required": ["line"],
      "properties": {
        "line": {"enum": ["first", "last"]},
        "count_field": {"type": "integer", "minimum": 1},
        "amount_field": {"type": "integer", "minimum": 1},
        "amount_column": {"type": "string"}
      }
    },
    "copybook": {"type": "string", "minLength": 1},
    "copybook_text": {"type": "string", "minLength": 1},
    "record": {"type": "string"},
    "comp5_byte_order": {"enum": ["big", "little"], "default": "big"},
    "dbcs_encoding": {"type": "string"},
    "field_encodings": {"type": "object", "additionalProperties": {"type": "string"}},
    "segments": {
      "type": "object", "additionalProperties": false, "required": ["field", "records"],
      "properties": {"field": {"type": "string", "minLength": 1},
                     "records": {"type": "object", "minProperties": 1,
                                 "additionalProperties": {"type": "string", "minLength": 1}}}
    },
    "control": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "header": {"type": "string", "minLength": 1},
        "trailer": {"type": "string", "minLength": 1},
        "record_count": {"type": "string", "minLength": 1},
        "segment_counts": {"type": "object", "additionalProperties": {"type": "string"}},
        "sums": {"type": "object", "additionalProperties": {"type": "string"}},
        "business_date": {"type": "string", "minLength": 1}
      }
    },
    "business_date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    "verify_first": {"type": "boolean", "default": true},
    "skip_trailing_blank_lines": {"type": "boolean", "default": true},
    "redefines": {
      "type": "object",
      "additionalProperties": {
        "type": "object", "additionalProperties": false, "required": ["field", "equals"],
        "properties": {"field": {"type": "string"},
                       "equals": {"type": "array", "items": {"type": "string"}, "minItems": 1}}
      }
    }
  }
})";

namespace {

char one_char(const nlohmann::json& options, const char* key, char fallback) {
    if (!options.contains(key)) {
        return fallback;
    }
    const std::string text = options[key].get<std::string>();
    return text.empty() ? '\0' : text[0];
}

} // namespace

Result<SourceOptions> parse_options(const nlohmann::json& options) {
    SourceOptions parsed;
    const std::string format = options.at("format").get<std::string>();
    parsed.kind = format == "delimited" ? FileKind::Delimited
                  : format == "fixed"   ? FileKind::FixedWidth
                                        : FileKind::Copybook;
    parsed.path = options.value("path", std::string());
    parsed.dataset = options.value("dataset", std::string("records"));
    parsed.lineage_columns = options.value("lineage_columns", true);
    parsed.encoding =
        options.value("encoding", std::string(parsed.kind == FileKind::Copybook ? "CP037" : "GBK"));
    parsed.encoding_declared = options.contains("encoding");
    const std::string default_format =
        parsed.kind == FileKind::Copybook ? std::string("F") : std::string("lines");
    FERRY_ASSIGN_OR_RETURN(parsed.record_format,
                           parse_record_format(options.value("record_format", default_format)));
    parsed.record_length = options.value("record_length", std::size_t{0});
    parsed.syntax.delimiter = one_char(options, "delimiter", ',');
    parsed.syntax.quote = one_char(options, "quote", '"');
    parsed.syntax.escape = one_char(options, "escape", parsed.syntax.quote);
    parsed.syntax.step = char_step_for(parsed.encoding);
    parsed.header = options.value("header", true);

    if (options.contains("drop_folder")) {
        const auto& spec = options["drop_folder"];
        DropFolderSpec folder;
        folder.incoming = spec.at("incoming").get<std::string>();
        folder.processed = spec.at("processed").get<std::string>();
        folder.failed = spec.at("failed").get<std::string>();
        folder.pattern = spec.value("pattern", std::string("*"));
        folder.done_suffix = spec.value("done_suffix", std::string());
        parsed.drop_folder = folder;
    }

    const bool fixed = parsed.kind == FileKind::FixedWidth;
    const char* list = fixed ? "fields" : "columns";
    if (options.contains(list)) {
        for (const auto& spec : options[list]) {
            FERRY_ASSIGN_OR_RETURN(TextField field, parse_text_field(spec, fixed));
            parsed.fields.push_back(std::move(field));
        }
    }
    if (fixed && parsed.fields.empty()) {
        return Status::invalid_argument("format \"fixed\" needs a \"fields\" layout");
    }
    if (parsed.kind == FileKind::Delimited && !parsed.header && parsed.fields.empty()) {
        return Status::invalid_argument(
            "a delimited file without a header row needs a \"columns\" list");
    }
    if (parsed.kind == FileKind::Delimited && parsed.record_format != RecordFormat::Lines) {
        return Status::invalid_argument("a delimited file is read as lines");
    }
    if (parsed.kind == FileKind::Delimited) {
        parsed.record_format = RecordFormat::Csv;
    }
    if (parsed.record_format == RecordFormat::Lines || parsed.record_format == RecordFormat::Csv) {
        // Lines, delimiters and quotes are found as ASCII bytes: an EBCDIC file has none of
        // them, and splitting it anyway would deliver garbage rather than fail.
        FERRY_ASSIGN_OR_RETURN(CodePage page, CodePage::open(parsed.encoding));
        if (!page.ascii_compatible()) {
            return Status::invalid_argument(
                "encoding " + page.name() + " is EBCDIC: text lines and delimited files are read " +
                "in ASCII-based code pages (UTF-8, GBK, GB18030, BIG5); read host records with " +
                "record_format F/FB/V/VB (a copybook, or \"fixed\" fields)");
        }
    }

    if (options.contains("summary")) {
        if (parsed.kind != FileKind::Delimited) {
            return Status::invalid_argument("\"summary\" applies to delimited files");
        }
        const auto& spec = options["summary"];
        SummarySpec summary;
        summary.first = spec.at("line").get<std::string>() == "first";
        summary.count_field = spec.value("count_field", std::size_t{0});
        summary.amount_field = spec.value("amount_field", std::size_t{0});
        summary.amount_column = spec.value("amount_column", std::string());
        if ((summary.amount_field == 0) != summary.amount_column.empty()) {
            return Status::invalid_argument(
                "summary: \"amount_field\" and \"amount_column\" go together");
        }
        parsed.summary = summary;
    }

    if (parsed.kind == FileKind::Copybook) {
        parsed.copybook.path = options.value("copybook", std::string());
        parsed.copybook.text = options.value("copybook_text", std::string());
        if (parsed.copybook.path.empty() == parsed.copybook.text.empty()) {
            return Status::invalid_argument(
                "format \"copybook\" needs exactly one of \"copybook\" and \"copybook_text\"");
        }
        parsed.copybook.record = options.value("record", std::string());
        parsed.copybook.little_endian_native =
            options.value("comp5_byte_order", std::string("big")) == "little";
        parsed.copybook.dbcs_encoding = options.value("dbcs_encoding", std::string());
        parsed.copybook.redefines = options.value("redefines", nlohmann::json::object());
        parsed.copybook.field_encodings =
            options.value("field_encodings", nlohmann::json::object());
        if (options.contains("segments")) {
            if (!parsed.copybook.record.empty()) {
                return Status::invalid_argument(
                    "\"record\" and \"segments\" exclude each other: segments name their records");
            }
            const auto& segments = options["segments"];
            parsed.copybook.segments.field = segments.at("field").get<std::string>();
            parsed.copybook.segments.records =
                segments.at("records").get<std::map<std::string, std::string>>();
        }
        if (options.contains("control")) {
            if (parsed.copybook.segments.field.empty()) {
                return Status::invalid_argument(
                    "\"control\" needs \"segments\": control records are segments of the file");
            }
            const auto& control = options["control"];
            ControlSpec& spec = parsed.copybook.control;
            spec.header = control.value("header", std::string());
            spec.trailer = control.value("trailer", std::string());
            spec.record_count = control.value("record_count", std::string());
            spec.segment_counts = control.value("segment_counts", nlohmann::json::object())
                                      .get<std::map<std::string, std::string>>();
            spec.sums = control.value("sums", nlohmann::json::object())
                            .get<std::map<std::string, std::string>>();
            spec.business_date = control.value("business_date", std::string());
            if (!spec.business_date.empty() && spec.header.empty()) {
                return Status::invalid_argument("control: \"business_date\" needs \"header\"");
            }
            if ((!spec.record_count.empty() || !spec.segment_counts.empty() ||
                 !spec.sums.empty()) &&
                spec.header.empty() && spec.trailer.empty()) {
                return Status::invalid_argument(
                    "control: counts and sums need a \"header\" or \"trailer\" record");
            }
        }
    }
    parsed.business_date = options.value("business_date", std::string());
    if (!parsed.business_date.empty() && parsed.copybook.control.business_date.empty()) {
        return Status::invalid_argument(
            "\"business_date\" needs control.business_date: the header item holding it");
    }
    parsed.verify_first = options.value("verify_first", true);
    parsed.skip_trailing_blank_lines = options.value("skip_trailing_blank_lines", true);
    return parsed;
}

} // namespace ferry::flatfile

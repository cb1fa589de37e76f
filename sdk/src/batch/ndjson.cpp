// SPDX-License-Identifier: Apache-2.0
// ndjson.cpp — direct NDJSON rendering of Arrow columns (no per-cell JSON objects on the hot path).
#include "ferry/ndjson.h"

#include <array>
#include <charconv>

namespace ferry {

namespace {

void append_base64(std::string_view bytes, std::string& out) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out += '"';
    std::size_t pos = 0;
    for (; pos + 3 <= bytes.size(); pos += 3) {
        const auto chunk =
            (static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos])) << 16) |
            (static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos + 1])) << 8) |
            static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos + 2]));
        out += kAlphabet[(chunk >> 18) & 63];
        out += kAlphabet[(chunk >> 12) & 63];
        out += kAlphabet[(chunk >> 6) & 63];
        out += kAlphabet[chunk & 63];
    }
    if (const std::size_t rest = bytes.size() - pos; rest > 0) {
        std::uint32_t chunk = static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos]))
                              << 16;
        if (rest == 2) {
            chunk |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos + 1])) << 8;
        }
        out += kAlphabet[(chunk >> 18) & 63];
        out += kAlphabet[(chunk >> 12) & 63];
        out += rest == 2 ? kAlphabet[(chunk >> 6) & 63] : '=';
        out += '=';
    }
    out += '"';
}

void append_int(std::int64_t value, std::string& out) {
    std::array<char, 24> digits{};
    const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    out.append(digits.data(), end);
}

void append_cell(const ColumnView& column, std::int64_t row, std::string& out);

/// `record_no` >= 0 adds "_record_no" as the first member (lineage).
void append_object(const ColumnView* columns,
                   const std::vector<Field>& fields,
                   std::int64_t row,
                   std::string& out,
                   std::int64_t record_no = -1) {
    out += '{';
    bool first = true;
    if (record_no >= 0) {
        out += "\"_record_no\":";
        append_int(record_no, out);
        first = false;
    }
    for (std::size_t idx = 0; idx < fields.size(); ++idx) {
        if (!first) {
            out += ',';
        }
        first = false;
        append_json_string(fields[idx].name, out);
        out += ':';
        append_cell(columns[idx], row, out);
    }
    out += '}';
}

void append_cell(const ColumnView& column, std::int64_t row, std::string& out) {
    if (column.is_null(row)) {
        out += "null";
        return;
    }
    switch (column.type().kind()) {
    case TypeKind::Bool:
        out += column.boolean(row) ? "true" : "false";
        return;
    case TypeKind::Int64:
        append_int(column.int64(row), out);
        return;
    case TypeKind::Decimal128:
        out += '"';
        out += column.decimal(row).to_string();
        out += '"';
        return;
    case TypeKind::Date32:
        out += '"';
        out += column.date(row).to_string();
        out += '"';
        return;
    case TypeKind::TimestampMicros:
        out += '"';
        out += column.timestamp(row).to_string();
        out += '"';
        return;
    case TypeKind::Utf8:
        append_json_string(column.text(row), out);
        return;
    case TypeKind::Binary:
        append_base64(column.text(row), out);
        return;
    case TypeKind::Struct: {
        const auto& fields = column.type().fields();
        std::vector<ColumnView> children;
        children.reserve(fields.size());
        for (std::size_t idx = 0; idx < fields.size(); ++idx) {
            children.push_back(column.child(idx));
        }
        append_object(children.data(), fields, row, out);
        return;
    }
    }
}

} // namespace

void append_json_string(std::string_view text, std::string& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    // Runs that need no escaping (nearly all text) are copied whole; UTF-8 passes through, as
    // Text is valid UTF-8 by construction.
    std::size_t run = 0;
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        const auto byte = static_cast<unsigned char>(text[idx]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') {
            continue;
        }
        out.append(text.data() + run, idx - run);
        run = idx + 1;
        switch (byte) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        }
    }
    out.append(text.data() + run, text.size() - run);
    out += '"';
}

void append_ndjson(const Batch& batch, std::string& out, const NdjsonOptions& options) {
    const auto& fields = batch.schema().fields();
    std::vector<ColumnView> columns;
    columns.reserve(fields.size());
    for (std::size_t idx = 0; idx < fields.size(); ++idx) {
        columns.push_back(batch.column(idx));
    }
    for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
        append_object(columns.data(), fields, row, out,
                      options.lineage ? batch.record_no(row) : -1);
        out += '\n';
    }
}

} // namespace ferry

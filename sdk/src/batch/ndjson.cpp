// SPDX-License-Identifier: Apache-2.0
// ndjson.cpp — direct NDJSON rendering of Arrow columns (no per-cell JSON objects on the hot path).
// Output goes through a raw cursor into `out` (one capacity check per cell, not per byte), and
// the member names are escaped once per batch: on a 10-column CSV row these two halve the cost.
#include "ferry/ndjson.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace ferry {

namespace {

/// Appends to a std::string through a cursor: reserve() makes room, commit() says how much was
/// written. The string is cut to what was written when the sink goes away.
class Sink {
public:
    explicit Sink(std::string& out)
        : out_(out)
        , used_(out.size()) {}

    Sink(const Sink&) = delete;
    Sink& operator=(const Sink&) = delete;

    ~Sink() { out_.resize(used_); }

    /// Room for `bytes` more; the pointer is valid until the next reserve().
    char* reserve(std::size_t bytes) {
        if (out_.size() - used_ < bytes) {
            out_.resize(std::max(out_.size() * 2, used_ + bytes + 4096));
        }
        return out_.data() + used_;
    }

    void commit(const char* end) { used_ = static_cast<std::size_t>(end - out_.data()); }

    void put(char ch) {
        *reserve(1) = ch;
        ++used_;
    }

    void put(std::string_view text) {
        std::memcpy(reserve(text.size()), text.data(), text.size());
        used_ += text.size();
    }

private:
    std::string& out_;
    std::size_t used_;
};

/// Bytes a JSON string cannot hold as they are: controls, the quote and the backslash.
constexpr std::array<bool, 256> kNeedsEscape = [] {
    std::array<bool, 256> table{};
    for (int byte = 0; byte < 0x20; ++byte) {
        table[static_cast<std::size_t>(byte)] = true;
    }
    table['"'] = true;
    table['\\'] = true;
    return table;
}();

/// Writes `text` as a JSON string literal at `at` (room for 6 bytes per input byte + 2).
char* write_string(std::string_view text, char* at) {
    static constexpr char kHex[] = "0123456789abcdef";
    *at++ = '"';
    // UTF-8 passes through: Text is valid UTF-8 by construction. Eight bytes at a time while
    // none of them is a control, a quote or a backslash (nearly all text).
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    std::size_t pos = 0;
    for (; pos + 8 <= text.size(); pos += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + pos, 8);
        const std::uint64_t quotes = word ^ (kOnes * '"');
        const std::uint64_t slashes = word ^ (kOnes * '\\');
        // Bit Twiddling Hacks' hasless/haszero: a lane's high bit ends up set when some byte is
        // below 0x20, or is a quote or a backslash (zero after the XOR).
        const std::uint64_t flags =
            (((word - kOnes * 0x20) & ~word) | ((quotes - kOnes) & ~quotes) |
             ((slashes - kOnes) & ~slashes)) &
            kHighs;
        if (flags != 0) {
            break;
        }
        std::memcpy(at, text.data() + pos, 8);
        at += 8;
    }
    for (const char ch : text.substr(pos)) {
        const auto byte = static_cast<unsigned char>(ch);
        if (!kNeedsEscape[byte]) {
            *at++ = ch;
            continue;
        }
        *at++ = '\\';
        switch (byte) {
        case '"':
        case '\\':
            *at++ = ch;
            break;
        case '\n':
            *at++ = 'n';
            break;
        case '\r':
            *at++ = 'r';
            break;
        case '\t':
            *at++ = 't';
            break;
        default:
            std::memcpy(at, "u00", 3);
            at[3] = kHex[byte >> 4];
            at[4] = kHex[byte & 15];
            at += 5;
        }
    }
    *at++ = '"';
    return at;
}

void put_string(std::string_view text, Sink& sink) {
    sink.commit(write_string(text, sink.reserve(text.size() * 6 + 2)));
}

void put_int(std::int64_t value, Sink& sink) {
    char* at = sink.reserve(24);
    sink.commit(std::to_chars(at, at + 24, value).ptr);
}

void put_base64(std::string_view bytes, Sink& sink) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char* at = sink.reserve((bytes.size() + 2) / 3 * 4 + 2);
    *at++ = '"';
    std::size_t pos = 0;
    for (; pos + 3 <= bytes.size(); pos += 3) {
        const auto chunk =
            (static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos])) << 16) |
            (static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos + 1])) << 8) |
            static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos + 2]));
        *at++ = kAlphabet[(chunk >> 18) & 63];
        *at++ = kAlphabet[(chunk >> 12) & 63];
        *at++ = kAlphabet[(chunk >> 6) & 63];
        *at++ = kAlphabet[chunk & 63];
    }
    if (const std::size_t rest = bytes.size() - pos; rest > 0) {
        std::uint32_t chunk = static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos]))
                              << 16;
        if (rest == 2) {
            chunk |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[pos + 1])) << 8;
        }
        *at++ = kAlphabet[(chunk >> 18) & 63];
        *at++ = kAlphabet[(chunk >> 12) & 63];
        *at++ = rest == 2 ? kAlphabet[(chunk >> 6) & 63] : '=';
        *at++ = '=';
    }
    *at++ = '"';
    sink.commit(at);
}

/// `,"name":` per member (no comma before the first): escaped once, written per row.
std::vector<std::string> member_keys(const std::vector<Field>& fields) {
    std::vector<std::string> keys;
    keys.reserve(fields.size());
    for (std::size_t idx = 0; idx < fields.size(); ++idx) {
        std::string key = idx > 0 ? "," : "";
        append_json_string(fields[idx].name, key);
        key += ':';
        keys.push_back(std::move(key));
    }
    return keys;
}

void put_cell(const ColumnView& column, std::int64_t row, Sink& sink);

/// `record_no` >= 0 adds "_record_no" as the first member (lineage).
void put_object(const ColumnView* columns,
                const std::vector<std::string>& keys,
                std::int64_t row,
                Sink& sink,
                std::int64_t record_no = -1) {
    sink.put('{');
    if (record_no >= 0) {
        sink.put("\"_record_no\":");
        put_int(record_no, sink);
        if (!keys.empty()) {
            sink.put(',');
        }
    }
    for (std::size_t idx = 0; idx < keys.size(); ++idx) {
        sink.put(keys[idx]);
        put_cell(columns[idx], row, sink);
    }
    sink.put('}');
}

/// put_object for a row that may lack members (ABI 1.2 absent values): they are left out.
void put_object_with_absent(const Batch& batch,
                            const ColumnView* columns,
                            const std::vector<std::string>& keys,
                            std::int64_t row,
                            Sink& sink,
                            std::int64_t record_no) {
    sink.put('{');
    bool first = true;
    if (record_no >= 0) {
        sink.put("\"_record_no\":");
        put_int(record_no, sink);
        first = false;
    }
    for (std::size_t idx = 0; idx < keys.size(); ++idx) {
        if (batch.absent(idx, row)) {
            continue;
        }
        std::string_view key = keys[idx]; // `,"name":` after the first member
        if (idx > 0 && first) {
            key.remove_prefix(1);
        } else if (idx == 0 && !first) {
            sink.put(',');
        }
        sink.put(key);
        put_cell(columns[idx], row, sink);
        first = false;
    }
    sink.put('}');
}

void put_quoted(const std::string& text, Sink& sink) {
    char* at = sink.reserve(text.size() + 2);
    *at++ = '"';
    std::memcpy(at, text.data(), text.size());
    at += text.size();
    *at++ = '"';
    sink.commit(at);
}

void put_cell(const ColumnView& column, std::int64_t row, Sink& sink) {
    if (column.is_null(row)) {
        sink.put("null");
        return;
    }
    switch (column.type().kind()) {
    case TypeKind::Bool:
        sink.put(column.boolean(row) ? "true" : "false");
        return;
    case TypeKind::Int64:
        put_int(column.int64(row), sink);
        return;
    case TypeKind::Decimal128:
        put_quoted(column.decimal(row).to_string(), sink);
        return;
    case TypeKind::Date32:
        put_quoted(column.date(row).to_string(), sink);
        return;
    case TypeKind::TimestampMicros:
        put_quoted(column.timestamp(row).to_string(), sink);
        return;
    case TypeKind::Utf8:
        put_string(column.text(row), sink);
        return;
    case TypeKind::Binary:
        put_base64(column.text(row), sink);
        return;
    case TypeKind::Struct: {
        const auto& fields = column.type().fields();
        std::vector<ColumnView> children;
        children.reserve(fields.size());
        for (std::size_t idx = 0; idx < fields.size(); ++idx) {
            children.push_back(column.child(idx));
        }
        put_object(children.data(), member_keys(fields), row, sink);
        return;
    }
    }
}

} // namespace

void append_json_string(std::string_view text, std::string& out) {
    Sink sink(out);
    put_string(text, sink);
}

void append_ndjson(const Batch& batch, std::string& out, const NdjsonOptions& options) {
    const auto& fields = batch.schema().fields();
    std::vector<ColumnView> columns;
    columns.reserve(fields.size());
    for (std::size_t idx = 0; idx < fields.size(); ++idx) {
        columns.push_back(batch.column(idx));
    }
    const std::vector<std::string> keys = member_keys(fields);
    Sink sink(out);
    for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
        const std::int64_t record_no = options.lineage ? batch.record_no(row) : -1;
        if (batch.has_absent()) {
            put_object_with_absent(batch, columns.data(), keys, row, sink, record_no);
        } else {
            put_object(columns.data(), keys, row, sink, record_no);
        }
        sink.put('\n');
    }
}

} // namespace ferry

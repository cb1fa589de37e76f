// SPDX-License-Identifier: Apache-2.0
// reject_key.cpp — rejects name their row by its key (a record number alone is a position in the
// read order, which changes as rows arrive), unless the key looks like an ID number.
#include <algorithm>
#include <cctype>
#include <iterator>

#include "rowset_reader.h"

namespace ferry::odbc {

void RowsetReader::reject(BatchBuilder& out, Reject why) {
    why.location = key_location(row_, record_no_);
    out.reject_record(std::move(why));
}

std::string RowsetReader::key_location(std::size_t row, std::int64_t record_no) {
    std::string out = "record " + std::to_string(record_no);
    if (key_columns_.empty()) {
        return out;
    }
    for (const std::size_t column : key_columns_) {
        if (looks_like_id_number(columns_[column].field.name)) {
            return out + " (key " + columns_[column].field.name +
                   " looks like an ID number: not shown)";
        }
    }
    // Each value is cut short so a strange key cannot flood a reject report.
    constexpr std::size_t kMaxKeyBytes = 64;
    for (std::size_t pos = 0; pos < key_columns_.size(); ++pos) {
        const std::size_t column = key_columns_[pos];
        std::optional<std::string> text =
            row < rows_in_rowset() ? cell_text(row, column) : std::nullopt;
        std::string shown = text ? *text : std::string("NULL");
        if (shown.size() > kMaxKeyBytes) {
            std::size_t cut = kMaxKeyBytes;
            while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) {
                --cut; // never split a UTF-8 sequence
            }
            shown = shown.substr(0, cut) + "...";
        }
        for (char& ch : shown) {
            if (ch == '\n' || ch == '\r') {
                ch = ' ';
            }
        }
        out += (pos == 0 ? ", key " : ", ") + columns_[column].field.name + "=" + shown;
    }
    return out;
}

bool looks_like_id_number(std::string_view column_name) {
    std::string name(column_name);
    for (char& ch : name) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    // AAC002 is the citizen ID number in the social-insurance data standard (GB/T 37940 style
    // legacy schemas); the rest are the usual English and pinyin spellings.
    static constexpr std::string_view kMarks[] = {
        "aac002", "idcard",          "id_card",  "idno",    "id_no",
        "id_num", "idnum",           "sfz",      "sfzh",    "zjhm",
        "ssn",    "social_security", "passport", "cert_no", "certno"};
    return std::any_of(std::begin(kMarks), std::end(kMarks), [&name](std::string_view mark) {
        return name.find(mark) != std::string::npos;
    });
}

} // namespace ferry::odbc

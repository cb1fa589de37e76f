// SPDX-License-Identifier: Apache-2.0
// delimited.cpp — the delimited-record splitter (RFC 4180 plus custom delimiter/quote/escape).
#include "delimited.h"

#include <cstring>
#include <optional>

namespace ferry::flatfile {

std::optional<std::string> split_delimited(std::string_view record,
                                           const DelimitedSyntax& syntax,
                                           std::vector<std::string_view>& cells,
                                           std::string& scratch) {
    cells.clear();
    scratch.clear();
    if (scratch.capacity() < record.size()) {
        scratch.reserve(record.size() * 2); // unescaped text is never longer: views stay put
    }
    const bool multibyte = syntax.step != CharStep::Single;
    std::size_t pos = 0;
    for (;;) {
        if (syntax.quote != '\0' && pos < record.size() && record[pos] == syntax.quote) {
            const std::size_t opening = pos;
            const std::size_t begin = scratch.size();
            ++pos;
            bool closed = false;
            while (pos < record.size()) {
                if (!multibyte) {
                    // Copy the run up to the next quote or escape in one append.
                    const std::size_t run = pos;
                    while (pos < record.size() && record[pos] != syntax.quote &&
                           record[pos] != syntax.escape) {
                        ++pos;
                    }
                    scratch.append(record.data() + run, pos - run);
                    if (pos == record.size()) {
                        break;
                    }
                }
                const char ch = record[pos];
                if (multibyte && static_cast<unsigned char>(ch) >= 0x81) {
                    const std::size_t length = char_length(syntax.step, record, pos);
                    scratch.append(record.data() + pos, length);
                    pos += length;
                    continue;
                }
                if (ch == syntax.escape && syntax.escape != syntax.quote &&
                    pos + 1 < record.size()) {
                    scratch += record[pos + 1];
                    pos += 2;
                    continue;
                }
                if (ch == syntax.quote) {
                    if (pos + 1 < record.size() && record[pos + 1] == syntax.quote &&
                        syntax.escape == syntax.quote) {
                        scratch += ch;
                        pos += 2;
                        continue;
                    }
                    closed = true;
                    ++pos;
                    break;
                }
                scratch += ch;
                ++pos;
            }
            if (!closed) {
                return "field " + std::to_string(cells.size() + 1) + ": the quote opened at byte " +
                       std::to_string(opening) + " of the record never closes";
            }
            cells.emplace_back(scratch.data() + begin, scratch.size() - begin);
            if (pos == record.size()) {
                return std::nullopt;
            }
            if (record[pos] != syntax.delimiter) {
                return "field " + std::to_string(cells.size()) + ": text after the closing quote";
            }
            ++pos;
            continue;
        }
        const std::size_t begin = pos;
        if (!multibyte) {
            const void* found =
                std::memchr(record.data() + pos, syntax.delimiter, record.size() - pos);
            pos = found == nullptr
                      ? record.size()
                      : static_cast<std::size_t>(static_cast<const char*>(found) - record.data());
        }
        while (pos < record.size() && record[pos] != syntax.delimiter) {
            pos += multibyte ? char_length(syntax.step, record, pos) : 1;
        }
        cells.push_back(record.substr(begin, pos - begin));
        if (pos >= record.size()) {
            return std::nullopt;
        }
        ++pos; // the delimiter; a delimiter at the very end opens one last, empty field
        if (pos == record.size()) {
            cells.emplace_back();
            return std::nullopt;
        }
    }
}

} // namespace ferry::flatfile

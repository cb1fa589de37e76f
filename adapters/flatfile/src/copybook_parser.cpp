// SPDX-License-Identifier: Apache-2.0
// copybook_parser.cpp — tokens, entries, the level tree and storage layout of a copybook.
#include "copybook_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "ferry/text.h"

namespace ferry::flatfile {

namespace {

struct Token {
    std::string text;
    int line = 0;
    bool period = false; ///< the separator period ending an entry
};

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& ch : out) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return out;
}

bool looks_fixed_format(std::string_view text) {
    // Fixed format: columns 1–6 are a sequence area (digits or spaces) and column 7 an indicator.
    std::size_t lines = 0, fixed = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            continue;
        }
        ++lines;
        if (line.size() >= 7 &&
            std::all_of(line.begin(), line.begin() + 6,
                        [](char ch) {
                            return ch == ' ' || std::isdigit(static_cast<unsigned char>(ch));
                        }) &&
            (line[6] == ' ' || line[6] == '*' || line[6] == '-' || line[6] == '/')) {
            ++fixed;
        }
    }
    return lines > 0 && fixed == lines;
}

std::vector<Token> tokenize(std::string_view text) {
    const bool fixed = looks_fixed_format(text);
    std::vector<Token> tokens;
    std::size_t pos = 0;
    int line_no = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (fixed) {
            if (line.size() < 7 || line[6] == '*' || line[6] == '/') {
                continue;
            }
            line = line.substr(7, std::min<std::size_t>(line.size(), 72) - 7);
        }
        if (const auto comment = line.find("*>"); comment != std::string_view::npos) {
            line = line.substr(0, comment);
        }
        std::size_t at = 0;
        while (at < line.size()) {
            const char ch = line[at];
            if (std::isspace(static_cast<unsigned char>(ch)) || ch == ',' || ch == ';') {
                ++at;
                continue;
            }
            Token token;
            token.line = line_no;
            if (ch == '\'' || ch == '"') {
                const std::size_t close = line.find(ch, at + 1);
                const std::size_t stop = close == std::string_view::npos ? line.size() : close + 1;
                token.text = std::string(line.substr(at, stop - at));
                at = stop;
            } else {
                std::size_t stop = at;
                while (stop < line.size() &&
                       !std::isspace(static_cast<unsigned char>(line[stop]))) {
                    ++stop;
                }
                token.text = std::string(line.substr(at, stop - at));
                at = stop;
            }
            // A period followed by a space or the line end ends the entry; "9(5).99" keeps its.
            if (token.text.size() > 0 && token.text.back() == '.') {
                token.text.pop_back();
                if (!token.text.empty()) {
                    tokens.push_back(token);
                }
                tokens.push_back(Token{".", line_no, true});
                continue;
            }
            tokens.push_back(std::move(token));
        }
    }
    return tokens;
}

bool is_number(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
        return std::isdigit(static_cast<unsigned char>(ch));
    });
}

int to_int(std::string_view text) {
    int value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

Status entry_error(const std::string& name, int line, const std::string& what) {
    return Status::invalid_argument(name + ":" + std::to_string(line) + ": " + what);
}

Result<Usage> parse_usage(const std::string& word, std::string& usage_text, bool& recognised) {
    recognised = true;
    usage_text = word;
    if (word == "DISPLAY") {
        return Usage::Display;
    }
    if (word == "COMP" || word == "COMPUTATIONAL" || word == "COMP-4" ||
        word == "COMPUTATIONAL-4" || word == "BINARY") {
        return Usage::Binary;
    }
    if (word == "COMP-5" || word == "COMPUTATIONAL-5") {
        return Usage::NativeBinary;
    }
    if (word == "COMP-3" || word == "COMPUTATIONAL-3" || word == "PACKED-DECIMAL") {
        return Usage::Packed;
    }
    if (word == "DISPLAY-1" || word == "NATIONAL") {
        return Usage::Dbcs;
    }
    if (word == "COMP-1" || word == "COMP-2" || word == "COMPUTATIONAL-1" ||
        word == "COMPUTATIONAL-2" || word == "FLOAT-SHORT" || word == "FLOAT-LONG") {
        return Status::not_implemented(
            "floating-point " + word +
            " is not read (inexact; no legacy exchange file seen uses it)");
    }
    recognised = false;
    return Usage::Display;
}

/// Parses one entry's clauses (tokens after level and name, up to the period).
Status parse_clauses(const std::vector<Token>& tokens,
                     std::size_t begin,
                     std::size_t end,
                     CopybookItem& item,
                     const std::string& name) {
    std::size_t at = begin;
    auto word = [&](std::size_t idx) {
        return idx < end ? upper(tokens[idx].text) : std::string();
    };
    while (at < end) {
        const std::string clause = word(at);
        if (clause == "PIC" || clause == "PICTURE") {
            ++at;
            if (word(at) == "IS") {
                ++at;
            }
            if (at >= end) {
                return entry_error(name, item.line, "PIC without a picture string");
            }
            auto picture = parse_picture(tokens[at].text);
            if (!picture.ok()) {
                return entry_error(name, item.line, picture.status().message());
            }
            item.picture = *picture;
            ++at;
        } else if (clause == "USAGE") {
            ++at;
            if (word(at) == "IS") {
                ++at;
            }
        } else if (clause == "REDEFINES") {
            item.redefines = word(at + 1);
            at += 2;
        } else if (clause == "OCCURS") {
            item.has_occurs = true;
            if (!is_number(word(at + 1))) {
                return entry_error(name, item.line, "OCCURS needs a number");
            }
            item.occurs_max = to_int(word(at + 1));
            item.occurs_min = item.occurs_max;
            at += 2;
            if (word(at) == "TO") {
                item.occurs_min = item.occurs_max;
                item.occurs_max = to_int(word(at + 1));
                at += 2;
            }
            if (word(at) == "TIMES") {
                ++at;
            }
            if (word(at) == "DEPENDING") {
                ++at;
                if (word(at) == "ON") {
                    ++at;
                }
                item.depending_on = word(at);
                ++at;
            }
            while (word(at) == "ASCENDING" || word(at) == "DESCENDING" || word(at) == "INDEXED") {
                // KEY IS name / INDEXED BY name…: table navigation, not storage.
                at += 1;
                while (at < end && (word(at) == "KEY" || word(at) == "IS" || word(at) == "BY")) {
                    ++at;
                }
                ++at;
            }
        } else if (clause == "SIGN") {
            ++at;
            if (word(at) == "IS") {
                ++at;
            }
        } else if (clause == "LEADING" || clause == "TRAILING") {
            item.sign_leading = clause == "LEADING";
            ++at;
            if (word(at) == "SEPARATE") {
                item.sign_separate = true;
                ++at;
                if (word(at) == "CHARACTER") {
                    ++at;
                }
            }
        } else if (clause == "SYNC" || clause == "SYNCHRONIZED") {
            item.sync = true;
            ++at;
            if (word(at) == "LEFT" || word(at) == "RIGHT") {
                ++at;
            }
        } else if (clause == "VALUE" || clause == "VALUES") {
            // Initial values do not describe storage; skip the literal(s).
            ++at;
            while (at < end && (word(at) == "IS" || word(at) == "ARE")) {
                ++at;
            }
            ++at;
        } else if (clause == "JUST" || clause == "JUSTIFIED" || clause == "BLANK" ||
                   clause == "WHEN" || clause == "ZERO" || clause == "ZEROS" ||
                   clause == "ZEROES" || clause == "RIGHT" || clause == "GLOBAL" ||
                   clause == "EXTERNAL") {
            ++at;
        } else {
            bool recognised = false;
            auto usage = parse_usage(clause, item.usage_text, recognised);
            if (!usage.ok()) {
                return entry_error(name, item.line, usage.status().message());
            }
            if (!recognised) {
                return entry_error(name, item.line,
                                   "unexpected word \"" + tokens[at].text + "\" in the entry of " +
                                       item.name);
            }
            item.usage = *usage;
            ++at;
        }
    }
    return {};
}

std::size_t binary_size(std::int32_t digits) {
    return digits <= 4 ? 2 : digits <= 9 ? 4 : 8;
}

/// A USAGE on a group applies to every item under it that names none.
void inherit_usage(CopybookItem& item, Usage usage, const std::string& usage_text) {
    if (item.usage_text.empty()) {
        item.usage = usage;
        item.usage_text = usage_text;
    }
    if (item.picture.kind == PicClass::Dbcs && item.usage == Usage::Display) {
        item.usage = Usage::Dbcs;
    }
    for (auto& child : item.children) {
        inherit_usage(child, item.usage, item.usage_text);
    }
}

constexpr std::size_t kMaxRecordBytes = std::size_t{16} << 20;

/// Lays out `item` at `offset`; returns the bytes it occupies (all occurrences).
Status lay_out(CopybookItem& item, std::size_t offset, const std::string& name) {
    if (item.sync && !item.is_group() &&
        (item.usage == Usage::Binary || item.usage == Usage::NativeBinary)) {
        const std::size_t align = binary_size(item.picture.digits);
        offset = (offset + align - 1) / align * align;
    }
    item.offset = offset;
    if (!item.is_group()) {
        item.element_size = elementary_size(item);
        return {};
    }
    if (item.children.empty()) {
        // Zero bytes that may still OCCUR a billion times in the flattening.
        return entry_error(name, item.line, item.name + " has neither PIC nor items");
    }
    std::size_t cursor = offset;
    std::size_t end = offset;
    for (std::size_t idx = 0; idx < item.children.size(); ++idx) {
        CopybookItem& child = item.children[idx];
        std::size_t at = cursor;
        if (!child.redefines.empty()) {
            const auto target = std::find_if(
                item.children.begin(), item.children.begin() + static_cast<std::ptrdiff_t>(idx),
                [&](const CopybookItem& other) { return other.name == child.redefines; });
            if (target == item.children.begin() + static_cast<std::ptrdiff_t>(idx)) {
                return entry_error(name, child.line,
                                   child.name + " REDEFINES " + child.redefines +
                                       ", which is not an earlier item of the same level");
            }
            at = target->offset;
        }
        FERRY_RETURN_IF_ERROR(lay_out(child, at, name));
        const std::size_t child_end =
            child.offset + child.element_size * static_cast<std::size_t>(child.occurs_max);
        // The framer reads records of up to 16 MiB; a larger layout (OCCURS 1392295267) could
        // never match a record, and flattening it would not end in reasonable time.
        if (child_end > kMaxRecordBytes) {
            return entry_error(name, child.line,
                               child.name + " ends past byte " + std::to_string(kMaxRecordBytes) +
                                   ", the largest record the adapter reads");
        }
        if (child.redefines.empty()) {
            cursor = child_end;
        }
        end = std::max(end, child_end);
    }
    item.element_size = end - offset;
    return {};
}

} // namespace

std::size_t elementary_size(const CopybookItem& item) {
    const Picture& pic = item.picture;
    if (pic.kind == PicClass::Dbcs || item.usage == Usage::Dbcs) {
        return static_cast<std::size_t>(pic.chars) * 2;
    }
    if (pic.kind != PicClass::Numeric) {
        return static_cast<std::size_t>(pic.chars);
    }
    switch (item.usage) {
    case Usage::Packed:
        return static_cast<std::size_t>(pic.digits) / 2 + 1;
    case Usage::Binary:
    case Usage::NativeBinary:
        return binary_size(pic.digits);
    default:
        return static_cast<std::size_t>(pic.digits) + (item.sign_separate ? 1 : 0);
    }
}

Result<Picture> parse_picture(std::string_view text) {
    Picture pic;
    pic.text = std::string(text);
    std::string expanded;
    const std::string up = upper(text);
    for (std::size_t idx = 0; idx < up.size(); ++idx) {
        const char ch = up[idx];
        if (idx + 1 < up.size() && up[idx + 1] == '(') {
            const std::size_t close = up.find(')', idx);
            if (close == std::string::npos || !is_number(up.substr(idx + 2, close - idx - 2))) {
                return Status::invalid_argument("bad repeat count in PIC " + pic.text);
            }
            const int count = to_int(up.substr(idx + 2, close - idx - 2));
            if (count < 1 || count > 65535) {
                return Status::invalid_argument("repeat count out of range in PIC " + pic.text);
            }
            expanded.append(static_cast<std::size_t>(count), ch);
            idx = close;
        } else {
            expanded += ch;
        }
    }
    bool seen_v = false, seen_nine = false, alpha = false, dbcs = false;
    std::int32_t leading_p = 0, trailing_p = 0;
    for (const char ch : expanded) {
        switch (ch) {
        case '9':
            ++pic.digits;
            ++pic.chars;
            if (seen_v) {
                ++pic.scale;
            }
            seen_nine = true;
            break;
        case 'S':
            pic.is_signed = true;
            break;
        case 'V':
            seen_v = true;
            break;
        case 'P':
            (seen_nine && !seen_v ? trailing_p : leading_p) += 1;
            break;
        case 'X':
        case 'A':
            alpha = true;
            ++pic.chars;
            break;
        case 'G':
        case 'N':
            dbcs = true;
            ++pic.chars;
            break;
        case 'Z':
        case '.':
        case ',':
        case '+':
        case '-':
        case '*':
        case '$':
        case 'B':
        case '0':
        case '/':
        case 'C':
        case 'R':
        case 'D':
            pic.edited = true;
            ++pic.chars;
            break;
        default:
            return Status::invalid_argument(std::string("unsupported symbol '") + ch + "' in PIC " +
                                            pic.text);
        }
    }
    pic.scale += leading_p;
    pic.multiplier = trailing_p;
    pic.kind = dbcs                    ? PicClass::Dbcs
               : (alpha || pic.edited) ? PicClass::Alphanumeric
                                       : PicClass::Numeric;
    if (pic.kind == PicClass::Alphanumeric && pic.edited) {
        pic.chars += 0;
    }
    if (pic.kind == PicClass::Numeric && pic.digits + leading_p + trailing_p > 38) {
        return Status::invalid_argument("PIC " + pic.text + " has more than 38 digits");
    }
    if (pic.kind == PicClass::Numeric && pic.digits == 0) {
        return Status::invalid_argument("PIC " + pic.text + " has no digit positions");
    }
    return pic;
}

namespace {

/// `66 NAME RENAMES FROM [THRU|THROUGH TO]` between tokens[at] (the level) and tokens[end].
Result<Rename> parse_rename(const std::vector<Token>& tokens,
                            std::size_t at,
                            std::size_t end,
                            const std::string& name) {
    Rename rename;
    rename.line = tokens[at].line;
    std::vector<std::string> words;
    for (std::size_t idx = at + 1; idx < end; ++idx) {
        words.push_back(upper(tokens[idx].text));
    }
    const bool thru = words.size() == 5 && (words[3] == "THRU" || words[3] == "THROUGH");
    if (words.size() < 3 || words[1] != "RENAMES" || (words.size() != 3 && !thru)) {
        return entry_error(name, rename.line, "expected 66 name RENAMES item [THRU item]");
    }
    rename.name = words[0];
    rename.from = words[2];
    rename.thru = thru ? words[4] : "";
    return rename;
}

const CopybookItem* find_item(const CopybookItem& group, const std::string& item_name) {
    for (const auto& child : group.children) {
        if (child.name == item_name) {
            return &child;
        }
        if (const CopybookItem* found = find_item(child, item_name)) {
            return found;
        }
    }
    return nullptr;
}

/// A RENAMES names items of its own record, the first not after the last (COBOL's rule).
Status check_renames(const CopybookItem& record, const std::string& name) {
    for (const Rename& rename : record.renames) {
        const CopybookItem* from = find_item(record, rename.from);
        const CopybookItem* thru = rename.thru.empty() ? from : find_item(record, rename.thru);
        const std::string& missing = from == nullptr ? rename.from : rename.thru;
        if (from == nullptr || thru == nullptr) {
            return entry_error(name, rename.line,
                               "66 " + rename.name + " renames " + missing + ", which " +
                                   record.name + " does not have");
        }
        if (from->offset > thru->offset) {
            return entry_error(name, rename.line,
                               "66 " + rename.name + ": " + rename.from + " comes after " +
                                   rename.thru + " in " + record.name);
        }
    }
    return {};
}

Result<Copybook> parse_entries(std::string_view text, const std::string& name);

} // namespace

std::string printable(std::string_view message) {
    std::string out;
    while (!message.empty()) {
        const std::size_t bad = find_invalid_utf8(message);
        out += message.substr(0, bad);
        if (bad >= message.size()) {
            break;
        }
        out += "\\x" + to_hex(message.substr(bad, 1));
        message.remove_prefix(bad + 1);
    }
    return out;
}

Result<Copybook> parse_copybook(std::string_view text, const std::string& name) {
    auto book = parse_entries(text, name);
    if (!book.ok() && !is_valid_utf8(book.status().message())) {
        return Status(book.status().code(), printable(book.status().message()));
    }
    return book;
}

namespace {

Result<Copybook> parse_entries(std::string_view text, const std::string& name) {
    const std::vector<Token> tokens = tokenize(text);
    std::vector<CopybookItem> entries;
    std::vector<std::pair<std::size_t, Rename>> renames; ///< with the entry they come before
    std::size_t at = 0;
    while (at < tokens.size()) {
        std::size_t end = at;
        while (end < tokens.size() && !tokens[end].period) {
            ++end;
        }
        if (end == at) {
            ++at;
            continue;
        }
        const Token& level_token = tokens[at];
        if (!is_number(level_token.text)) {
            return entry_error(name, level_token.line,
                               "expected a level number, found \"" + level_token.text + "\"");
        }
        CopybookItem item;
        item.level = to_int(level_token.text);
        item.line = level_token.line;
        if (item.level == 88) {
            at = end + 1; // condition names describe values, not storage
            continue;
        }
        if (item.level == 66) {
            FERRY_ASSIGN_OR_RETURN(Rename rename, parse_rename(tokens, at, end, name));
            renames.emplace_back(entries.size(), std::move(rename));
            at = end + 1;
            continue;
        }
        if (item.level < 1 || (item.level > 49 && item.level != 77)) {
            return entry_error(name, item.line, "level " + level_token.text + " is not 01-49");
        }
        std::size_t clauses = at + 1;
        item.name = "FILLER";
        if (clauses < end) {
            const std::string word = upper(tokens[clauses].text);
            static const char* const kClauseWords[] = {
                "PIC",    "PICTURE", "REDEFINES", "OCCURS", "USAGE",          "COMP",
                "COMP-3", "COMP-4",  "COMP-5",    "BINARY", "PACKED-DECIMAL", "DISPLAY",
                "SIGN",   "SYNC",    "VALUE"};
            const bool is_clause = std::find(std::begin(kClauseWords), std::end(kClauseWords),
                                             word) != std::end(kClauseWords);
            if (!is_clause && !is_valid_utf8(word)) {
                // Names become column names, which are UTF-8 in every output.
                return entry_error(name, item.line,
                                   "the data name " + quote_for_message(word) +
                                       " is not UTF-8 text (save the copybook as UTF-8)");
            }
            if (!is_clause) {
                item.name = word;
                ++clauses;
            }
        }
        FERRY_RETURN_IF_ERROR(parse_clauses(tokens, clauses, end, item, name));
        if (item.picture.kind == PicClass::Numeric && item.usage == Usage::Dbcs) {
            return entry_error(name, item.line, "numeric PIC with USAGE DISPLAY-1");
        }
        entries.push_back(std::move(item));
        at = end + 1;
    }
    if (entries.empty()) {
        return Status::invalid_argument(name + ": no data description entries");
    }

    // Build the level tree: each entry belongs to the nearest earlier entry with a lower level.
    Copybook book;
    if (entries.front().level != 1) {
        CopybookItem root;
        root.level = 1;
        root.name = "RECORD";
        book.records.push_back(std::move(root));
    }
    std::vector<CopybookItem*> stack;
    std::size_t next_rename = 0;
    // A 66 entry belongs to the record of the entries before it.
    const auto attach_renames = [&](std::size_t before) {
        while (next_rename < renames.size() && renames[next_rename].first <= before) {
            book.records.back().renames.push_back(std::move(renames[next_rename].second));
            ++next_rename;
        }
    };
    for (std::size_t index = 0; index < entries.size(); ++index) {
        attach_renames(index);
        auto& entry = entries[index];
        if (entry.level == 1 || entry.level == 77) {
            book.records.push_back(std::move(entry));
            stack.assign(1, &book.records.back());
            continue;
        }
        if (stack.empty()) {
            stack.push_back(&book.records.back());
        }
        while (stack.size() > 1 && stack.back()->level >= entry.level) {
            stack.pop_back();
        }
        CopybookItem* parent = stack.back();
        if (!parent->is_group()) {
            return entry_error(name, entry.line,
                               entry.name + " is under " + parent->name +
                                   ", which has a PIC and so cannot have subordinate items");
        }
        parent->children.push_back(std::move(entry));
        stack.push_back(&parent->children.back());
    }
    attach_renames(entries.size());
    for (auto& record : book.records) {
        if (record.is_group() && record.children.empty()) {
            return entry_error(name, record.line, record.name + " has neither PIC nor items");
        }
        inherit_usage(record, Usage::Display, "DISPLAY");
        FERRY_RETURN_IF_ERROR(lay_out(record, 0, name));
        FERRY_RETURN_IF_ERROR(check_renames(record, name));
    }
    return book;
}

} // namespace

} // namespace ferry::flatfile

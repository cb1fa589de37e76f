// SPDX-License-Identifier: Apache-2.0
// json_positions.cpp — JSON pointer → offset index over nlohmann's SAX events.
#include "json_positions.h"

#include <algorithm>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

namespace ferry {

namespace {

// Reads like const char* and remembers the last character the lexer took, so each SAX event
// knows how far the lexer got. The lexer reads a token's last character (or, for numbers, one
// character of look-ahead) before it reports the token.
class TrackingIterator {
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    TrackingIterator() = default;

    TrackingIterator(const char* at, const char** last)
        : at_(at)
        , last_(last) {}

    reference operator*() const {
        *last_ = at_;
        return *at_;
    }

    TrackingIterator& operator++() {
        ++at_;
        return *this;
    }

    TrackingIterator operator++(int) {
        TrackingIterator before = *this;
        ++at_;
        return before;
    }

    friend bool operator==(const TrackingIterator& a, const TrackingIterator& b) {
        return a.at_ == b.at_;
    }

private:
    const char* at_ = nullptr;
    const char** last_ = nullptr;
};

enum class Token { String, Number, Literal, Open };

class Indexer : public nlohmann::json_sax<nlohmann::json> {
public:
    Indexer(std::string_view text,
            const char** last,
            std::map<std::string, std::size_t, std::less<>>& keys,
            std::map<std::string, std::size_t, std::less<>>& values,
            std::vector<std::string>& duplicates)
        : text_(text)
        , last_(last)
        , keys_(keys)
        , values_(values)
        , duplicates_(duplicates) {}

    bool null() override { return scalar(Token::Literal); }

    bool boolean(bool /*val*/) override { return scalar(Token::Literal); }

    bool number_integer(number_integer_t /*val*/) override { return scalar(Token::Number); }

    bool number_unsigned(number_unsigned_t /*val*/) override { return scalar(Token::Number); }

    bool number_float(number_float_t /*val*/, const string_t& /*s*/) override {
        return scalar(Token::Number);
    }

    bool string(string_t& /*val*/) override { return scalar(Token::String); }

    bool binary(binary_t& /*val*/) override { return scalar(Token::Literal); }

    bool start_object(std::size_t /*elements*/) override {
        value_here(Token::Open);
        frames_.push_back({path(), true, 0, {}});
        return true;
    }

    bool key(string_t& name) override {
        Frame& frame = frames_.back();
        pending_ = JsonPositions::child(frame.path, name);
        if (!frame.names.insert(name).second) {
            duplicates_.push_back(pending_); // twice in this very object
        }
        keys_[pending_] = start_of(Token::String); // the last one is the one that counts
        return true;
    }

    bool end_object() override {
        frames_.pop_back();
        return true;
    }

    bool start_array(std::size_t /*elements*/) override {
        value_here(Token::Open);
        frames_.push_back({path(), false, 0, {}});
        return true;
    }

    bool end_array() override {
        frames_.pop_back();
        return true;
    }

    bool parse_error(std::size_t /*position*/,
                     const std::string& /*last_token*/,
                     const nlohmann::detail::exception& /*ex*/) override {
        return false;
    }

private:
    struct Frame {
        std::string path;
        bool is_object;
        std::size_t next_index;
        std::set<std::string> names; // member names seen in this object
    };

    // The pointer of the value about to be reported.
    std::string path() {
        if (frames_.empty()) {
            return "";
        }
        Frame& frame = frames_.back();
        if (frame.is_object) {
            return pending_;
        }
        return JsonPositions::child(frame.path, std::to_string(frame.next_index++));
    }

    bool scalar(Token token) {
        values_[path()] = start_of(token);
        return true;
    }

    void value_here(Token token) {
        // start_object/start_array compute path() themselves (they push a frame after it).
        const std::size_t at = start_of(token);
        const bool in_array = !frames_.empty() && !frames_.back().is_object;
        const std::string pointer =
            in_array ? JsonPositions::child(frames_.back().path,
                                            std::to_string(frames_.back().next_index))
                     : (frames_.empty() ? std::string() : pending_);
        values_[pointer] = at;
    }

    std::size_t start_of(Token token) const {
        const auto end = static_cast<std::size_t>(*last_ - text_.data());
        std::size_t pos = std::min(end, text_.size() - 1);
        switch (token) {
        case Token::Open:
            return pos;
        case Token::String: {
            // pos is the closing quote; find the opening one (not preceded by an odd run of '\').
            while (pos > 0) {
                --pos;
                if (text_[pos] != '"') {
                    continue;
                }
                std::size_t slashes = 0;
                while (pos > slashes && text_[pos - 1 - slashes] == '\\') {
                    ++slashes;
                }
                if (slashes % 2 == 0) {
                    return pos;
                }
            }
            return pos;
        }
        case Token::Number:
        case Token::Literal: {
            auto part = [](char ch) {
                return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '.' ||
                       ch == '+' || ch == '-';
            };
            if (!part(text_[pos]) && pos > 0) {
                --pos; // the look-ahead character
            }
            while (pos > 0 && part(text_[pos - 1])) {
                --pos;
            }
            return pos;
        }
        }
        return pos;
    }

    std::string_view text_;
    const char** last_;
    std::map<std::string, std::size_t, std::less<>>& keys_;
    std::map<std::string, std::size_t, std::less<>>& values_;
    std::vector<std::string>& duplicates_;
    std::vector<Frame> frames_;
    std::string pending_;
};

} // namespace

std::string JsonPositions::child(std::string_view parent, std::string_view token) {
    std::string out(parent);
    out += '/';
    for (char ch : token) {
        if (ch == '~') {
            out += "~0";
        } else if (ch == '/') {
            out += "~1";
        } else {
            out += ch;
        }
    }
    return out;
}

JsonPositions JsonPositions::index(std::string_view text) {
    JsonPositions positions;
    positions.text_ = text;
    positions.line_starts_.push_back(0);
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        if (text[pos] == '\n') {
            positions.line_starts_.push_back(pos + 1);
        }
    }
    if (text.empty()) {
        return positions;
    }
    const char* last = text.data();
    Indexer indexer(text, &last, positions.keys_, positions.values_, positions.duplicates_);
    const bool ok = nlohmann::json::sax_parse(
        TrackingIterator(text.data(), &last), TrackingIterator(text.data() + text.size(), &last),
        &indexer, nlohmann::json::input_format_t::json, true, true);
    if (!ok) {
        positions.keys_.clear();
        positions.values_.clear();
        positions.duplicates_.clear();
    }
    return positions;
}

TextPosition JsonPositions::to_position(std::size_t offset) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::size_t>(std::distance(line_starts_.begin(), it));
    const std::size_t start = line_starts_[line - 1];
    std::int32_t column = 1;
    for (std::size_t pos = start; pos < offset && pos < text_.size(); ++pos) {
        if ((static_cast<unsigned char>(text_[pos]) & 0xC0) != 0x80) {
            ++column; // count code points, not UTF-8 continuation bytes
        }
    }
    return {static_cast<std::int32_t>(line), column};
}

TextPosition JsonPositions::value(std::string_view pointer) const {
    if (const auto it = values_.find(pointer); it != values_.end()) {
        return to_position(it->second);
    }
    return {};
}

TextPosition JsonPositions::key(std::string_view pointer) const {
    if (const auto it = keys_.find(pointer); it != keys_.end()) {
        return to_position(it->second);
    }
    return value(pointer);
}

TextPosition JsonPositions::nearest(std::string_view pointer) const {
    std::string_view at = pointer;
    while (true) {
        const TextPosition here = key(at);
        if (here.line != 0 || at.empty()) {
            return here.line != 0 ? here : TextPosition{1, 1};
        }
        const auto cut = at.rfind('/');
        at = cut == std::string_view::npos ? std::string_view() : at.substr(0, cut);
    }
}

} // namespace ferry

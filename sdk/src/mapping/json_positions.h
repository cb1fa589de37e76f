// SPDX-License-Identifier: Apache-2.0
// json_positions.h — where each member and value of a JSON text starts, by JSON pointer, so
// diagnostics about a mapping file can say file:line:col.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ferry {

struct TextPosition {
    std::int32_t line = 0;   ///< 1-based; 0 = unknown
    std::int32_t column = 0; ///< 1-based, in code points
};

/// Built by re-reading the text with nlohmann's own SAX parser (comments allowed) and noting
/// the offset of every event; no second JSON grammar to keep in step.
class JsonPositions {
public:
    /// Indexes `text`; a text that does not parse yields an empty index (the parse error itself
    /// is reported by ferry::parse_json with its position).
    static JsonPositions index(std::string_view text);

    /// The value at `pointer` ("/fields/name/transforms/0"); for "" the document.
    TextPosition value(std::string_view pointer) const;
    /// The member name at `pointer` (an object member); falls back to value().
    TextPosition key(std::string_view pointer) const;
    /// The closest known position: `pointer`'s key, else its parents'.
    TextPosition nearest(std::string_view pointer) const;

    /// Pointers of object members whose name appeared twice in the same object (JSON allows it;
    /// nlohmann keeps the last silently, which hides a mistake).
    const std::vector<std::string>& duplicates() const noexcept { return duplicates_; }

    /// Appends a JSON pointer token, escaping '~' and '/' (RFC 6901).
    static std::string child(std::string_view parent, std::string_view token);

private:
    TextPosition to_position(std::size_t offset) const;

    std::string_view text_;
    std::vector<std::size_t> line_starts_;
    std::map<std::string, std::size_t, std::less<>> keys_;
    std::map<std::string, std::size_t, std::less<>> values_;
    std::vector<std::string> duplicates_;
};

} // namespace ferry

// SPDX-License-Identifier: Apache-2.0
// xml_reader.h — a hardened, streaming pull parser over libxml2's SAX2 push parser.
//
// Hardening: no DTD (a document type declaration is refused outright, so billion-laughs and XXE
// payloads never reach entity expansion), no external entities, no network, bounded depth,
// bounded total bytes and bounded text per element. Declared encodings (GBK, GB18030, …) are
// decoded by libxml2's iconv support; everything the reader hands out is UTF-8.
//
// Why SAX under a pull interface: libxml2's xmlTextReader builds (and frees) a tree node for
// every element and text, which cost about a third of the adapter's CPU per record; the SAX
// callbacks queue small events instead, a chunk of input at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/result.h"

namespace ferry::soap {

struct XmlLimits {
    int max_depth = 128;
    std::int64_t max_bytes = std::int64_t{4} << 30;       ///< whole document
    std::int64_t max_text_bytes = std::int64_t{16} << 20; ///< one element's text
};

/// Pulls up to `size` bytes into `buffer`; 0 at the end. An error Status stops the parse and is
/// returned by XmlReader::next() as it is (so a dropped connection stays Unavailable).
using ReadFunction = std::function<Result<std::size_t>(char* buffer, std::size_t size)>;

enum class XmlNode { StartElement, EndElement, Text };

/// One document, read node by node. An element always ends with an EndElement node, also when
/// it was written empty (<a/>). Not thread-safe.
/// A slot in a small cache keyed by the address of a name the reader handed out (names are
/// stable, one address per name). Names lie packed in libxml2's dictionary, a few bytes apart,
/// so the address is mixed (Fibonacci hashing) rather than shifted.
inline std::size_t name_slot(const char* name, std::size_t slots) noexcept {
    return static_cast<std::size_t>(
               (reinterpret_cast<std::uintptr_t>(name) * 0x9E3779B97F4A7C15ull) >> 40) %
           slots;
}

class XmlReader {
public:
    /// `encoding` (for example an HTTP Content-Type charset) overrides the document's own
    /// declaration when not empty.
    static Result<std::unique_ptr<XmlReader>> open(ReadFunction read,
                                                   std::string source_name,
                                                   const XmlLimits& limits,
                                                   const std::string& encoding = {});
    /// Reads a whole document the reader keeps (a page fetched ahead), parsed in one call.
    static Result<std::unique_ptr<XmlReader>> open_owned(std::string xml,
                                                         std::string source_name,
                                                         const XmlLimits& limits,
                                                         const std::string& encoding = {});
    /// Reads a document held in memory (the view must outlive the reader).
    static Result<std::unique_ptr<XmlReader>>
    open_memory(std::string_view xml, std::string source_name, const XmlLimits& limits);

    ~XmlReader();
    XmlReader(const XmlReader&) = delete;
    XmlReader& operator=(const XmlReader&) = delete;

    /// Advances one node; false at the end of the document.
    Result<bool> next();

    XmlNode node() const noexcept;

    /// Element depth, 0 for the root (an EndElement has its start's depth).
    int depth() const noexcept;

    std::string_view local_name() const noexcept;
    std::string_view namespace_uri() const noexcept;
    /// Text or CDATA content of the current Text node (a whole text node, however it arrived);
    /// valid until the next call of next().
    std::string_view text() const noexcept;
    /// True if the current start element carries xsi:nil="true" (or "1").
    bool nil() const noexcept;

    /// Replaces `out` with the text content of the current start element (nested markup is an
    /// error); leaves the reader on the end tag.
    Status element_text(std::string& out);
    /// Skips the current start element and everything inside it.
    Status skip_element();

    /// "response from http://…: line 12" for error messages.
    std::string where() const;

    std::int64_t bytes_read() const noexcept;

    /// True once the document proved not to be well-formed XML (libxml2's parse error, or an
    /// end inside an element): what a body cut short looks like, as opposed to a limit, a DTD
    /// or a failed read.
    bool malformed() const noexcept;

private:
    struct Impl;
    explicit XmlReader(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> impl_;
};

/// Escapes text for element content and attribute values.
void append_xml_escaped(std::string& out, std::string_view text);

} // namespace ferry::soap

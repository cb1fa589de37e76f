// SPDX-License-Identifier: Apache-2.0
// xml_reader.cpp — the hardened pull parser over libxml2's SAX2 push parser (see xml_reader.h).
#include "xml_reader.h"

#include <array>
#include <cstring>
#include <optional>
#include <unordered_set>
#include <vector>

#include <libxml/parser.h> // also declares xmlDictOwns (dict.h)
#include <libxml/parserInternals.h>

namespace ferry::soap {

namespace {

constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
constexpr std::size_t kChunkBytes = 64 * 1024;

// NONET: nothing from the network. HUGE lifts libxml2's own 10 MB cap on one text node, which
// would otherwise report a long (legal) value as malformed XML: Ferry's limits take its place
// (max_text_bytes per text, max_bytes per document, max_depth), and with DTDs refused there are
// no entities for HUGE to let grow. No NOENT, no DTDLOAD/DTDATTR/DTDVALID.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_HUGE;

std::string_view view(const xmlChar* text) {
    return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

struct TransparentHash {
    using is_transparent = void;

    std::size_t operator()(std::string_view text) const noexcept {
        return std::hash<std::string_view>()(text);
    }
};

// Trivially copyable, so queueing costs no allocation: a text is a span of the reader's pool.
struct Event {
    XmlNode kind = XmlNode::Text;
    int depth = 0;
    int line = 0;
    bool nil = false;
    std::string_view local; // from libxml2's dictionary or the reader's own set: stable
    std::string_view ns;
    std::size_t text_at = 0; // in Impl::texts
    std::size_t text_size = 0;
};

} // namespace

struct XmlReader::Impl {
    ReadFunction read;
    std::string source_name;
    XmlLimits limits;
    xmlParserCtxtPtr ctxt = nullptr;
    std::int64_t bytes_read = 0;
    // The events parsed and not yet handed out: [head, size). A vector reused chunk after chunk
    // (no allocation once warm), emptied whenever the parser is fed.
    std::vector<Event> queue;
    std::size_t head = 0;

    // Names known to be in libxml2's dictionary, with their length.
    struct Owned {
        const xmlChar* name = nullptr;
        std::string_view text;
    };

    std::array<Owned, 64> owned{};
    Event current;
    std::optional<Status> failure; // delivered once the events before it have been
    int failure_line = 0;
    bool malformed = false;
    bool finished = false; // the parser has seen the end of the input
    int depth = 0;         // of the next start element
    bool prolog_done = false;
    std::string prolog_tail; // the end of the previous chunk, for markup split across reads
    std::vector<char> chunk = std::vector<char>(kChunkBytes);
    std::string texts;  // the text of queued events (and the current one), back to back
    std::string memory; // a document held whole (open_owned): parsed in one call
    bool from_memory = false;
    std::unordered_set<std::string, TransparentHash, std::equal_to<>> names;

    ~Impl() {
        if (ctxt != nullptr) {
            if (ctxt->myDoc != nullptr) {
                xmlFreeDoc(ctxt->myDoc);
            }
            xmlFreeParserCtxt(ctxt);
        }
    }

    // libxml2 hands out names and namespace URIs from its dictionary, which lives as long as
    // the parser: those are kept as they are; anything else is copied into the reader's own set.
    std::string_view intern(const xmlChar* text) {
        // A dictionary never frees a string before the parser goes, so a pointer once found in
        // it stays there: remembered by its address.
        Owned& slot = owned[(reinterpret_cast<std::uintptr_t>(text) >> 4) % owned.size()];
        if (slot.name == text) {
            return slot.text;
        }
        const std::string_view name = view(text);
        if (text == nullptr) {
            return name;
        }
        if (xmlDictOwns(ctxt->dict, text) == 1) {
            slot = Owned{text, name};
            return name;
        }
        auto found = names.find(name);
        if (found == names.end()) {
            found = names.emplace(name).first;
        }
        return *found;
    }

    int line() const { return ctxt != nullptr && ctxt->input != nullptr ? ctxt->input->line : 0; }

    // Ends the parse: the events queued so far are still delivered, then `status`.
    void fail(Status status, bool not_well_formed) {
        if (failure) {
            return;
        }
        failure = std::move(status);
        failure_line = line();
        malformed = not_well_formed;
        if (ctxt != nullptr) {
            xmlStopParser(ctxt);
        }
    }

    std::string where(int at_line) const {
        return at_line > 0 ? source_name + ": line " + std::to_string(at_line) : source_name;
    }

    // Looks for a DOCTYPE in the prolog before libxml2 sees it, so no entity declaration is
    // ever parsed. The prolog ends at the first element's start tag.
    bool doctype_in_prolog(const char* data, std::size_t size) {
        std::string window = prolog_tail;
        window.append(data, std::min<std::size_t>(size, 64 * 1024));
        for (std::size_t pos = window.find('<'); pos != std::string::npos;
             pos = window.find('<', pos + 1)) {
            if (pos + 1 >= window.size()) {
                break;
            }
            const char next = window[pos + 1];
            if (next == '!' && window.compare(pos, 9, "<!DOCTYPE") == 0) {
                return true;
            }
            if (next != '!' && next != '?') {
                prolog_done = true;
                return false;
            }
        }
        prolog_tail = window.substr(window.size() > 16 ? window.size() - 16 : 0);
        return false;
    }

    // Reads one chunk of input and parses it (queueing events), or ends the document.
    bool queued() const noexcept { return head < queue.size(); }

    void feed() {
        if (!queued()) {
            queue.clear();
            head = 0;
            texts.clear(); // nothing refers to it once the current event is replaced
        } else if (head > 0) {
            queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(head));
            head = 0;
        }
        if (from_memory) {
            feed_memory();
            return;
        }
        Result<std::size_t> got = read(chunk.data(), chunk.size());
        if (!got.ok()) {
            fail(std::move(got).status(), false);
            return;
        }
        if (*got == 0) {
            finished = true;
            xmlParseChunk(ctxt, nullptr, 0, 1);
            check_well_formed();
            return;
        }
        parse(chunk.data(), *got, false);
    }

    // A document already in memory is parsed in one call that also ends it, which spares
    // libxml2's push mode its look-ahead for a complete token at every tag.
    void feed_memory() {
        finished = true;
        parse(memory.data(), memory.size(), true);
    }

    // Checks a piece of input (DTD, size) and hands it to libxml2.
    void parse(const char* data, std::size_t size, bool last) {
        if (!prolog_done && doctype_in_prolog(data, size)) {
            fail(refused_dtd(), false);
            return;
        }
        bytes_read += static_cast<std::int64_t>(size);
        if (bytes_read > limits.max_bytes) {
            fail(Status::data("document exceeds the size limit of " +
                              std::to_string(limits.max_bytes) +
                              " bytes (limits.max_response_bytes)"),
                 false);
            return;
        }
        xmlParseChunk(ctxt, data, static_cast<int>(size), last ? 1 : 0);
        check_well_formed();
    }

    void check_well_formed() {
        if (!failure && ctxt->wellFormed == 0) {
            fail(Status::data("malformed XML: parse error").with_location(where(line())), true);
        }
    }

    Status refused_dtd() const {
        return Status::data("refused a document type declaration (DTD): a SOAP message must not "
                            "carry one, and Ferry never expands entities")
            .with_location(source_name);
    }

    // SAX2 callbacks: `context` is the Impl.

    static Impl& self(void* context) { return *static_cast<Impl*>(context); }

    static void start_element(void* context,
                              const xmlChar* local,
                              const xmlChar*, // prefix
                              const xmlChar* uri,
                              int, // namespaces declared here
                              const xmlChar**,
                              int attribute_count,
                              int, // defaulted attributes (none: no DTD)
                              const xmlChar** attributes) {
        Impl& impl = self(context);
        if (impl.depth >= impl.limits.max_depth) {
            impl.fail(Status::data("XML nested deeper than " +
                                   std::to_string(impl.limits.max_depth) +
                                   " elements (limits.max_depth)")
                          .with_location(impl.where(impl.line())),
                      false);
            return;
        }
        Event& event = impl.queue.emplace_back();
        event.kind = XmlNode::StartElement;
        event.depth = impl.depth++;
        event.line = impl.line();
        event.local = impl.intern(local);
        event.ns = impl.intern(uri);
        // Five pointers an attribute: local name, prefix, URI, value, end of value.
        for (int index = 0; index < attribute_count; ++index) {
            const xmlChar** attribute = attributes + 5 * index;
            if (view(attribute[0]) == "nil" && view(attribute[2]) == kXsiNamespace) {
                const std::string_view value(reinterpret_cast<const char*>(attribute[3]),
                                             static_cast<std::size_t>(attribute[4] - attribute[3]));
                event.nil = value == "true" || value == "1";
            }
        }
    }

    static void
    end_element(void* context, const xmlChar* local, const xmlChar*, const xmlChar* uri) {
        Impl& impl = self(context);
        Event& event = impl.queue.emplace_back();
        event.kind = XmlNode::EndElement;
        event.depth = --impl.depth;
        event.line = impl.line();
        event.local = impl.intern(local);
        event.ns = impl.intern(uri);
    }

    static void characters(void* context, const xmlChar* text, int length) {
        Impl& impl = self(context);
        if (!impl.queued() || impl.queue.back().kind != XmlNode::Text) {
            Event& event = impl.queue.emplace_back();
            event.depth = impl.depth;
            event.line = impl.line();
            event.text_at = impl.texts.size();
        }
        Event& event = impl.queue.back(); // its text is the pool's last span
        if (static_cast<std::int64_t>(event.text_size) + length > impl.limits.max_text_bytes) {
            impl.fail(Status::data("element text longer than " +
                                   std::to_string(impl.limits.max_text_bytes) +
                                   " bytes (limits.max_text_bytes)")
                          .with_location(impl.where(impl.line())),
                      false);
            return;
        }
        impl.texts.append(reinterpret_cast<const char*>(text), static_cast<std::size_t>(length));
        event.text_size += static_cast<std::size_t>(length);
    }

    static void refuse_subset(void* context, const xmlChar*, const xmlChar*, const xmlChar*) {
        Impl& impl = self(context);
        impl.fail(impl.refused_dtd(), false);
    }

    static void
    refuse_entity(void* context, const xmlChar*, int, const xmlChar*, const xmlChar*, xmlChar*) {
        Impl& impl = self(context);
        impl.fail(impl.refused_dtd(), false);
    }

    static void refuse_reference(void* context, const xmlChar*) {
        Impl& impl = self(context);
        impl.fail(Status::data("refused an entity reference: Ferry never expands entities")
                      .with_location(impl.where(impl.line())),
                  false);
    }

    // Only the five predefined entities (&amp; …) exist: there is no DTD to declare others.
    static xmlEntityPtr predefined_entity(void*, const xmlChar* name) {
        return xmlGetPredefinedEntity(name);
    }

    static void parse_error(void* context, xmlErrorPtr error) {
        Impl& impl = self(context);
        if (error == nullptr || error->level < XML_ERR_ERROR) {
            return;
        }
        std::string message = error->message ? error->message : "malformed XML";
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
            message.pop_back();
        }
        const int at = error->line > 0 ? error->line : impl.line();
        impl.fail(Status::data("malformed XML: " + message).with_location(impl.where(at)), true);
        impl.failure_line = at;
    }
};

XmlReader::XmlReader(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

XmlReader::~XmlReader() = default;

Result<std::unique_ptr<XmlReader>> XmlReader::open(ReadFunction read,
                                                   std::string source_name,
                                                   const XmlLimits& limits,
                                                   const std::string& encoding) {
    auto impl = std::make_unique<Impl>();
    impl->read = std::move(read);
    impl->source_name = std::move(source_name);
    impl->limits = limits;
    xmlSAXHandler sax;
    std::memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = &Impl::start_element;
    sax.endElementNs = &Impl::end_element;
    sax.characters = &Impl::characters;
    sax.ignorableWhitespace = &Impl::characters;
    sax.cdataBlock = &Impl::characters;
    sax.internalSubset = &Impl::refuse_subset;
    sax.externalSubset = &Impl::refuse_subset;
    sax.entityDecl = &Impl::refuse_entity;
    sax.reference = &Impl::refuse_reference;
    sax.getEntity = &Impl::predefined_entity;
    sax.serror = &Impl::parse_error;
    Impl* raw = impl.get();
    raw->ctxt = xmlCreatePushParserCtxt(&sax, raw, nullptr, 0, raw->source_name.c_str());
    if (raw->ctxt == nullptr) {
        return Status::io("cannot start an XML parser for " + raw->source_name);
    }
    if (!encoding.empty() &&
        xmlCtxtResetPush(raw->ctxt, nullptr, 0, raw->source_name.c_str(), encoding.c_str()) != 0) {
        return Status::invalid_argument("unknown character encoding \"" + encoding + "\" for " +
                                        raw->source_name);
    }
    raw->ctxt->userData = raw; // what the callbacks get, whatever a reset did
    xmlCtxtUseOptions(raw->ctxt, kParseOptions);
    return std::unique_ptr<XmlReader>(new XmlReader(std::move(impl)));
}

Result<std::unique_ptr<XmlReader>> XmlReader::open_owned(std::string xml,
                                                         std::string source_name,
                                                         const XmlLimits& limits,
                                                         const std::string& encoding) {
    FERRY_ASSIGN_OR_RETURN(
        std::unique_ptr<XmlReader> reader,
        open([](char*, std::size_t) -> Result<std::size_t> { return std::size_t{0}; },
             std::move(source_name), limits, encoding));
    reader->impl_->memory = std::move(xml);
    reader->impl_->from_memory = true;
    return reader;
}

Result<std::unique_ptr<XmlReader>>
XmlReader::open_memory(std::string_view xml, std::string source_name, const XmlLimits& limits) {
    auto offset = std::make_shared<std::size_t>(0);
    return open(
        [xml, offset](char* buffer, std::size_t size) -> Result<std::size_t> {
            const std::size_t count = std::min(size, xml.size() - *offset);
            std::memcpy(buffer, xml.data() + *offset, count);
            *offset += count;
            return count;
        },
        std::move(source_name), limits);
}

Result<bool> XmlReader::next() {
    Impl& impl = *impl_;
    // A text node may arrive in pieces across chunks: it is handed out whole, so the parse runs
    // on while a text is the only event queued.
    while (!impl.failure && !impl.finished &&
           (!impl.queued() ||
            (impl.head + 1 == impl.queue.size() && impl.queue[impl.head].kind == XmlNode::Text))) {
        impl.feed();
    }
    if (!impl.queued()) {
        if (impl.failure) {
            return *impl.failure;
        }
        return false;
    }
    impl.current = impl.queue[impl.head++];
    return true;
}

XmlNode XmlReader::node() const noexcept {
    return impl_->current.kind;
}

int XmlReader::depth() const noexcept {
    return impl_->current.depth;
}

std::string_view XmlReader::local_name() const noexcept {
    return impl_->current.local;
}

std::string_view XmlReader::namespace_uri() const noexcept {
    return impl_->current.ns;
}

std::string_view XmlReader::text() const noexcept {
    return std::string_view(impl_->texts).substr(impl_->current.text_at, impl_->current.text_size);
}

bool XmlReader::nil() const noexcept {
    return impl_->current.kind == XmlNode::StartElement && impl_->current.nil;
}

std::int64_t XmlReader::bytes_read() const noexcept {
    return impl_->bytes_read;
}

bool XmlReader::malformed() const noexcept {
    return impl_->malformed;
}

std::string XmlReader::where() const {
    return impl_->where(impl_->failure ? impl_->failure_line : impl_->current.line);
}

Status XmlReader::element_text(std::string& out) {
    out.clear();
    const int element_depth = depth();
    while (true) {
        FERRY_ASSIGN_OR_RETURN(bool more, next());
        if (!more) {
            impl_->malformed = true;
            return Status::data("document ends inside an element").with_location(where());
        }
        const XmlNode kind = node();
        if (kind == XmlNode::Text) {
            const std::string_view piece = text();
            if (static_cast<std::int64_t>(out.size() + piece.size()) >
                impl_->limits.max_text_bytes) {
                return Status::data("element text longer than " +
                                    std::to_string(impl_->limits.max_text_bytes) +
                                    " bytes (limits.max_text_bytes)")
                    .with_location(where());
            }
            out.append(piece);
        } else if (kind == XmlNode::EndElement && depth() == element_depth) {
            return Status();
        } else if (kind == XmlNode::StartElement) {
            return Status::data("element <" + std::string(local_name()) +
                                "> inside a field that should hold text")
                .with_location(where());
        }
    }
}

Status XmlReader::skip_element() {
    const int element_depth = depth();
    while (true) {
        FERRY_ASSIGN_OR_RETURN(bool more, next());
        if (!more) {
            impl_->malformed = true;
            return Status::data("document ends inside an element").with_location(where());
        }
        if (node() == XmlNode::EndElement && depth() == element_depth) {
            return Status();
        }
    }
}

void append_xml_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            out += c;
        }
    }
}

} // namespace ferry::soap

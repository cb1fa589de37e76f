// SPDX-License-Identifier: Apache-2.0
// xml_reader.cpp — the hardened pull parser over libxml2's SAX2 push parser (see xml_reader.h).
#include "xml_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <strings.h>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include <libxml/parser.h> // also declares xmlDictOwns (dict.h)
#include <libxml/parserInternals.h>

namespace ferry::soap {

namespace {

constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kPrologSeam = 16; // longer than "<!DOCTYPE"

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

// Trivial (no member initializers), so queueing costs no allocation and a vector of them is
// zero-filled by a memset; a text is a span of the reader's pool.
// A string_view without its (non-trivial) default constructor.
struct Name {
    const char* data;
    std::size_t size;

    Name& operator=(std::string_view text) noexcept {
        data = text.data();
        size = text.size();
        return *this;
    }

    std::string_view view() const noexcept { return {data, size}; }
};

struct Event {
    XmlNode kind;
    int depth;
    int line;
    bool nil;
    Name local; // from libxml2's dictionary or the reader's own set: stable
    Name ns;
    std::size_t text_at; // in Impl::texts
    std::size_t text_size;
};

static_assert(std::is_trivially_default_constructible_v<Event>);

} // namespace

struct XmlReader::Impl {
    ReadFunction read;
    std::string source_name;
    XmlLimits limits;
    xmlParserCtxtPtr ctxt = nullptr;
    std::int64_t bytes_read = 0;
    // The events parsed and not yet handed out: [head, size). A vector reused chunk after chunk
    // (no allocation once warm), emptied whenever the parser is fed.
    // Slots [head, tail) hold the queued events. Left uninitialised until used: zero-filling
    // a page's worth of slots would cost as much as queueing into them.
    std::unique_ptr<Event[]> queue;
    std::size_t capacity = 0;
    std::size_t tail = 0;
    std::size_t head = 0;

    // Names known to be in libxml2's dictionary, with their length.
    struct Owned {
        const xmlChar* name = nullptr;
        std::string_view text;
    };

    std::array<Owned, 64> owned{};
    // The event handed out last: a queue slot, or `held` once the queue may change under it.
    Event held{};
    const Event* current = &held;
    std::optional<Status> failure; // delivered once the events before it have been
    int failure_line = 0;
    bool malformed = false;
    bool finished = false; // the parser has seen the end of the input
    int depth = 0;         // of the next start element
    bool prolog_done = false;
    std::string prolog_tail; // the end of the previous chunk, for markup split across reads
    std::vector<char> chunk; // push mode's read buffer, made on the first read
    std::string texts;       // the text of queued events (and the current one), back to back
    std::string memory;      // a document held whole (open_owned): parsed in one call
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
        Owned& slot = owned[name_slot(reinterpret_cast<const char*>(text), owned.size())];
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
    // ever parsed. The prolog ends at the first element's start tag. The input is scanned where
    // it lies; a token split between two reads is found in the seam (the end of the previous
    // read and the start of this one).
    bool doctype_in_prolog(const char* data, std::size_t size) {
        std::string seam = prolog_tail;
        seam.append(data, std::min<std::size_t>(size, kPrologSeam));
        const std::string_view input(data, size);
        for (const std::string_view text : {std::string_view(seam), input}) {
            if (const Prolog found = scan_prolog(text); found != Prolog::Undecided) {
                prolog_done = found == Prolog::Element;
                return found == Prolog::Doctype;
            }
        }
        prolog_tail.assign(input.substr(size > kPrologSeam ? size - kPrologSeam : 0));
        return false;
    }

    enum class Prolog { Undecided, Doctype, Element };

    static Prolog scan_prolog(std::string_view text) {
        for (std::size_t pos = text.find('<'); pos != std::string_view::npos;
             pos = text.find('<', pos + 1)) {
            if (pos + 1 >= text.size()) {
                break;
            }
            const char next = text[pos + 1];
            if (next == '!' && text.compare(pos, 9, "<!DOCTYPE") == 0) {
                return Prolog::Doctype;
            }
            if (next != '!' && next != '?') {
                return Prolog::Element;
            }
        }
        return Prolog::Undecided;
    }

    // Reads one chunk of input and parses it (queueing events), or ends the document.
    bool queued() const noexcept { return head < tail; }

    void reserve(std::size_t slots) {
        if (slots > capacity) {
            auto grown = std::make_unique_for_overwrite<Event[]>(slots);
            std::copy(queue.get(), queue.get() + tail, grown.get());
            queue = std::move(grown);
            capacity = slots;
        }
    }

    // A new event at the queue's end. The slots are kept, not erased, so queueing is a store.
    Event& push_event() {
        if (tail == capacity) {
            reserve(std::max<std::size_t>(64, capacity * 2));
        }
        Event& event = queue[tail++];
        event = Event{};
        return event;
    }

    void feed() {
        if (!queued()) {
            tail = 0;
            head = 0;
            texts.clear(); // nothing refers to it once the current event is replaced
        } else if (head > 0) {
            std::copy(queue.get() + head, queue.get() + tail, queue.get());
            tail -= head;
            head = 0;
        }
        if (from_memory) {
            feed_memory();
            return;
        }
        if (chunk.empty()) {
            chunk.resize(kChunkBytes);
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

    // A document already in memory goes through libxml2's whole-document parser (its context
    // made over `memory`), which spares push mode's search for a complete token at every tag:
    // about a third of the parse's instructions on a page of small records.
    void feed_memory() {
        finished = true;
        if (admit(memory.data(), memory.size())) {
            xmlParseDocument(ctxt);
            check_well_formed();
        }
    }

    // Checks a chunk of input (DTD, size) and hands it to libxml2's push parser.
    void parse(const char* data, std::size_t size, bool last) {
        if (admit(data, size)) {
            xmlParseChunk(ctxt, data, static_cast<int>(size), last ? 1 : 0);
            check_well_formed();
        }
    }

    // Whether input may go to the parser: no DTD in the prolog, the document within its limit.
    bool admit(const char* data, std::size_t size) {
        if (!prolog_done && doctype_in_prolog(data, size)) {
            fail(refused_dtd(), false);
            return false;
        }
        bytes_read += static_cast<std::int64_t>(size);
        if (bytes_read > limits.max_bytes) {
            fail(Status::data("document exceeds the size limit of " +
                              std::to_string(limits.max_bytes) +
                              " bytes (limits.max_response_bytes)"),
                 false);
            return false;
        }
        return true;
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

    // Ferry's own handlers: events are queued, DTDs and entity references refused.
    static xmlSAXHandler handlers() {
        xmlSAXHandler sax;
        std::memset(&sax, 0, sizeof sax);
        sax.initialized = XML_SAX2_MAGIC;
        sax.startElementNs = &start_element;
        sax.endElementNs = &end_element;
        sax.characters = &characters;
        sax.ignorableWhitespace = &characters;
        sax.cdataBlock = &characters;
        sax.internalSubset = &refuse_subset;
        sax.externalSubset = &refuse_subset;
        sax.entityDecl = &refuse_entity;
        sax.reference = &refuse_reference;
        sax.getEntity = &predefined_entity;
        sax.serror = &parse_error;
        return sax;
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
        Event& event = impl.push_event();
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
        Event& event = impl.push_event();
        event.kind = XmlNode::EndElement;
        event.depth = --impl.depth;
        event.line = impl.line();
        event.local = impl.intern(local);
        event.ns = impl.intern(uri);
    }

    static void characters(void* context, const xmlChar* text, int length) {
        Impl& impl = self(context);
        if (!impl.queued() || impl.queue[impl.tail - 1].kind != XmlNode::Text) {
            Event& event = impl.push_event();
            event.kind = XmlNode::Text;
            event.depth = impl.depth;
            event.line = impl.line();
            event.text_at = impl.texts.size();
        }
        Event& event = impl.queue[impl.tail - 1]; // its text is the pool's last span
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

namespace {

bool is_utf8(const std::string& encoding) {
    return strcasecmp(encoding.c_str(), "UTF-8") == 0 || strcasecmp(encoding.c_str(), "UTF8") == 0;
}

// Largest document handed to the whole-document parser (its length is an int).
constexpr std::size_t kMaxMemoryDocument = std::size_t{1} << 30;

} // namespace

Result<std::unique_ptr<XmlReader>> XmlReader::open(ReadFunction read,
                                                   std::string source_name,
                                                   const XmlLimits& limits,
                                                   const std::string& encoding) {
    auto impl = std::make_unique<Impl>();
    impl->read = std::move(read);
    impl->source_name = std::move(source_name);
    impl->limits = limits;
    xmlSAXHandler sax = Impl::handlers();
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
    if (xml.size() > kMaxMemoryDocument) { // beyond an int: the push parser takes it in chunks
        auto offset = std::make_shared<std::size_t>(0);
        auto owned = std::make_shared<std::string>(std::move(xml));
        return open(
            [owned, offset](char* buffer, std::size_t size) -> Result<std::size_t> {
                const std::size_t count = std::min(size, owned->size() - *offset);
                std::memcpy(buffer, owned->data() + *offset, count);
                *offset += count;
                return count;
            },
            std::move(source_name), limits, encoding);
    }
    auto impl = std::make_unique<Impl>();
    impl->source_name = std::move(source_name);
    impl->limits = limits;
    impl->memory = std::move(xml);
    impl->from_memory = true;
    Impl* raw = impl.get();
    raw->ctxt = xmlCreateMemoryParserCtxt(raw->memory.data(), static_cast<int>(raw->memory.size()));
    if (raw->ctxt == nullptr) {
        return Status::io("cannot start an XML parser for " + raw->source_name);
    }
    // Every event of the document is queued by one parse call: room for them up front, not
    // an array that doubles (and copies) as it fills. A page of short fields has an event per
    // 14 bytes; slots never used are never touched. The texts are at most the document.
    raw->reserve(std::min<std::size_t>(raw->memory.size() / 8 + 64, std::size_t{1} << 20));
    raw->texts.reserve(raw->memory.size());
    // The context owns its handler table (xmlFreeParserCtxt frees it), as xmlSAXUserParseMemory
    // arranges it.
    auto* sax = static_cast<xmlSAXHandler*>(xmlMalloc(sizeof(xmlSAXHandler)));
    if (sax == nullptr) {
        return Status::io("cannot start an XML parser for " + raw->source_name);
    }
    *sax = Impl::handlers();
    if (raw->ctxt->sax != nullptr) {
        xmlFree(raw->ctxt->sax);
    }
    raw->ctxt->sax = sax;
    raw->ctxt->userData = raw;
    // The HTTP charset, as the push parser's reset takes it; UTF-8 is libxml2's own form and
    // needs no converter.
    if (!encoding.empty() && !is_utf8(encoding)) {
        xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(encoding.c_str());
        if (handler == nullptr) {
            return Status::invalid_argument("unknown character encoding \"" + encoding + "\" for " +
                                            raw->source_name);
        }
        raw->ctxt->encoding = xmlStrdup(reinterpret_cast<const xmlChar*>(encoding.c_str()));
        xmlSwitchToEncoding(raw->ctxt, handler);
    }
    xmlCtxtUseOptions(raw->ctxt, kParseOptions);
    return std::unique_ptr<XmlReader>(new XmlReader(std::move(impl)));
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
            (impl.head + 1 == impl.tail && impl.queue[impl.head].kind == XmlNode::Text))) {
        impl.held = *impl.current; // feeding may move or reuse the queue's slots
        impl.current = &impl.held;
        impl.feed();
    }
    if (!impl.queued()) {
        if (impl.failure) {
            return *impl.failure;
        }
        return false;
    }
    impl.current = &impl.queue[impl.head++];
    return true;
}

XmlNode XmlReader::node() const noexcept {
    return impl_->current->kind;
}

int XmlReader::depth() const noexcept {
    return impl_->current->depth;
}

std::string_view XmlReader::local_name() const noexcept {
    return impl_->current->local.view();
}

std::string_view XmlReader::namespace_uri() const noexcept {
    return impl_->current->ns.view();
}

std::string_view XmlReader::text() const noexcept {
    return std::string_view(impl_->texts)
        .substr(impl_->current->text_at, impl_->current->text_size);
}

bool XmlReader::nil() const noexcept {
    return impl_->current->kind == XmlNode::StartElement && impl_->current->nil;
}

std::int64_t XmlReader::bytes_read() const noexcept {
    return impl_->bytes_read;
}

bool XmlReader::malformed() const noexcept {
    return impl_->malformed;
}

std::string XmlReader::where() const {
    return impl_->where(impl_->failure ? impl_->failure_line : impl_->current->line);
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

// SPDX-License-Identifier: Apache-2.0
// xml_reader.cpp — the hardened libxml2 pull parser (see xml_reader.h for the rules).
#include "xml_reader.h"

#include <cstring>
#include <optional>

#include <libxml/xmlreader.h>

namespace ferry::soap {

namespace {

constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

std::string_view view(const xmlChar* text) {
    return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

// libxml2 reports errors through a callback; keep the first one with its line.
struct ErrorSink {
    std::string message;
    int line = 0;
};

void collect_error(void* arg, xmlErrorPtr error) {
    auto* sink = static_cast<ErrorSink*>(arg);
    if (error == nullptr || !sink->message.empty() || error->level < XML_ERR_ERROR) {
        return;
    }
    sink->message = error->message ? error->message : "malformed XML";
    while (!sink->message.empty() &&
           (sink->message.back() == '\n' || sink->message.back() == ' ')) {
        sink->message.pop_back();
    }
    sink->line = error->line;
}

// No NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR/DTDVALID, NONET. HUGE lifts libxml2's
// own 10 MB cap on one text node, which would otherwise report a long (legal) value as
// malformed XML: Ferry's limits take its place (max_text_bytes per element, max_bytes per
// document, max_depth), and with DTDs refused there are no entities for HUGE to let grow.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_HUGE;

} // namespace

struct XmlReader::Impl {
    ReadFunction read;
    std::string_view memory;
    std::string source_name;
    XmlLimits limits;
    std::int64_t bytes_read = 0;
    std::optional<Status> read_failure;
    ErrorSink errors;
    xmlTextReaderPtr reader = nullptr;
    bool prolog_done = false;
    std::string prolog_tail; // the end of the previous chunk, for markup split across reads

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

    static int read_callback(void* context, char* buffer, int length) {
        auto* impl = static_cast<Impl*>(context);
        auto got = impl->read(buffer, static_cast<std::size_t>(length));
        if (!got.ok()) {
            impl->read_failure = got.status();
            return -1;
        }
        if (!impl->prolog_done && impl->doctype_in_prolog(buffer, *got)) {
            impl->read_failure =
                Status::data("refused a document type declaration (DTD): a SOAP message must "
                             "not carry one, and Ferry never expands entities")
                    .with_location(impl->source_name);
            return -1;
        }
        impl->bytes_read += static_cast<std::int64_t>(*got);
        if (impl->bytes_read > impl->limits.max_bytes) {
            impl->read_failure = Status::data("document exceeds the size limit of " +
                                              std::to_string(impl->limits.max_bytes) +
                                              " bytes (limits.max_response_bytes)");
            return -1;
        }
        return static_cast<int>(*got);
    }

    static int close_callback(void*) { return 0; }
};

XmlReader::XmlReader(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl))
    , bytes_read_(&impl_->bytes_read) {}

XmlReader::~XmlReader() {
    if (impl_ && impl_->reader) {
        xmlFreeTextReader(impl_->reader);
    }
}

Result<std::unique_ptr<XmlReader>> XmlReader::open(ReadFunction read,
                                                   std::string source_name,
                                                   const XmlLimits& limits,
                                                   const std::string& encoding) {
    auto impl = std::make_unique<Impl>();
    impl->read = std::move(read);
    impl->source_name = std::move(source_name);
    impl->limits = limits;
    Impl* raw = impl.get();
    impl->reader =
        xmlReaderForIO(&Impl::read_callback, &Impl::close_callback, raw, raw->source_name.c_str(),
                       encoding.empty() ? nullptr : encoding.c_str(), kParseOptions);
    if (impl->reader == nullptr) {
        if (raw->read_failure) {
            return *raw->read_failure;
        }
        return Status::io("cannot start an XML parser for " + raw->source_name);
    }
    xmlTextReaderSetStructuredErrorHandler(impl->reader, &collect_error, &raw->errors);
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

std::string XmlReader::where() const {
    std::string out = impl_->source_name;
    const int line =
        impl_->errors.line ? impl_->errors.line : xmlTextReaderGetParserLineNumber(impl_->reader);
    if (line > 0) {
        out += ": line " + std::to_string(line);
    }
    return out;
}

Status XmlReader::error_status(std::string fallback) {
    if (impl_->read_failure) {
        return *impl_->read_failure;
    }
    malformed_ = true;
    std::string message = impl_->errors.message.empty() ? fallback : impl_->errors.message;
    return Status::data("malformed XML: " + message).with_location(where());
}

Result<bool> XmlReader::next() {
    const int status = xmlTextReaderRead(impl_->reader);
    if (status < 0 || !impl_->errors.message.empty() || impl_->read_failure) {
        return error_status("parse error");
    }
    if (status == 0) {
        return false;
    }
    depth_ = xmlTextReaderDepth(impl_->reader);
    empty_ = false;
    switch (xmlTextReaderNodeType(impl_->reader)) {
    case XML_READER_TYPE_ELEMENT:
        node_ = XmlNode::StartElement;
        empty_ = xmlTextReaderIsEmptyElement(impl_->reader) == 1;
        if (depth_ >= impl_->limits.max_depth) {
            return Status::data("XML nested deeper than " +
                                std::to_string(impl_->limits.max_depth) +
                                " elements (limits.max_depth)")
                .with_location(where());
        }
        break;
    case XML_READER_TYPE_END_ELEMENT:
        node_ = XmlNode::EndElement;
        break;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        node_ = XmlNode::Text;
        break;
    case XML_READER_TYPE_DOCUMENT_TYPE:
        return Status::data("refused a document type declaration (DTD): a SOAP message must not "
                            "carry one, and Ferry never expands entities")
            .with_location(where());
    case XML_READER_TYPE_ENTITY_REFERENCE:
    case XML_READER_TYPE_ENTITY:
        return Status::data("refused an entity reference: Ferry never expands entities")
            .with_location(where());
    default:
        node_ = XmlNode::Other;
        break;
    }
    return true;
}

std::string_view XmlReader::local_name() const noexcept {
    return view(xmlTextReaderConstLocalName(impl_->reader));
}

std::string_view XmlReader::namespace_uri() const noexcept {
    return view(xmlTextReaderConstNamespaceUri(impl_->reader));
}

std::string_view XmlReader::text() const noexcept {
    return view(xmlTextReaderConstValue(impl_->reader));
}

bool XmlReader::nil() const noexcept {
    if (xmlTextReaderHasAttributes(impl_->reader) != 1) {
        return false;
    }
    xmlChar* value =
        xmlTextReaderGetAttributeNs(impl_->reader, reinterpret_cast<const xmlChar*>("nil"),
                                    reinterpret_cast<const xmlChar*>(kXsiNamespace.data()));
    if (value == nullptr) {
        return false;
    }
    const std::string_view text = view(value);
    const bool is_nil = text == "true" || text == "1";
    xmlFree(value);
    return is_nil;
}

std::optional<std::string> XmlReader::attribute(std::string_view local, std::string_view ns) const {
    const std::string name(local);
    xmlChar* value = nullptr;
    if (ns.empty()) {
        value = xmlTextReaderGetAttribute(impl_->reader,
                                          reinterpret_cast<const xmlChar*>(name.c_str()));
    } else {
        const std::string uri(ns);
        value = xmlTextReaderGetAttributeNs(impl_->reader,
                                            reinterpret_cast<const xmlChar*>(name.c_str()),
                                            reinterpret_cast<const xmlChar*>(uri.c_str()));
    }
    if (value == nullptr) {
        return std::nullopt;
    }
    std::string out(view(value));
    xmlFree(value);
    return out;
}

Status XmlReader::element_text(std::string& out) {
    out.clear();
    if (empty_) {
        return Status();
    }
    const int element_depth = depth_;
    while (true) {
        FERRY_ASSIGN_OR_RETURN(bool more, next());
        if (!more) {
            malformed_ = true;
            return Status::data("document ends inside an element").with_location(where());
        }
        if (node_ == XmlNode::Text) {
            const std::string_view piece = text();
            if (static_cast<std::int64_t>(out.size() + piece.size()) >
                impl_->limits.max_text_bytes) {
                return Status::data("element text longer than " +
                                    std::to_string(impl_->limits.max_text_bytes) +
                                    " bytes (limits.max_text_bytes)")
                    .with_location(where());
            }
            out.append(piece);
        } else if (node_ == XmlNode::EndElement && depth_ == element_depth) {
            return Status();
        } else if (node_ == XmlNode::StartElement) {
            return Status::data("element <" + std::string(local_name()) +
                                "> inside a field that should hold text")
                .with_location(where());
        }
    }
}

Status XmlReader::skip_element() {
    if (empty_) {
        return Status();
    }
    const int element_depth = depth_;
    while (true) {
        FERRY_ASSIGN_OR_RETURN(bool more, next());
        if (!more) {
            malformed_ = true;
            return Status::data("document ends inside an element").with_location(where());
        }
        if (node_ == XmlNode::EndElement && depth_ == element_depth) {
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

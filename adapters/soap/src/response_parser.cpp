// SPDX-License-Identifier: Apache-2.0
// response_parser.cpp — the streaming record extractor and fault reader.
#include "response_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "type_mapping.h"

namespace ferry::soap {

namespace {

constexpr std::string_view kSoap11Envelope = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr std::string_view kSoap12Envelope = "http://www.w3.org/2003/05/soap-envelope";

bool is_envelope_ns(std::string_view ns) {
    return ns == kSoap11Envelope || ns == kSoap12Envelope;
}

bool matches(const QName& step, const XmlReader& reader) {
    return reader.local_name() == step.local &&
           (step.ns.empty() || reader.namespace_uri() == step.ns);
}

std::string_view without_prefix(std::string_view qname) {
    const std::size_t colon = qname.find(':');
    return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

bool blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// A fault detail leaf that says when to retry: retry_after_ms / RetryAfterMs in milliseconds,
// retry_after / RetryAfter / retryAfterSeconds in seconds.
std::optional<std::chrono::milliseconds> retry_after(std::string_view element,
                                                     std::string_view text) {
    std::string name;
    for (const char c : element) {
        if (c != '_' && c != '-') {
            name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    const bool millis = name == "retryafterms" || name == "retryaftermillis";
    if (!millis && name != "retryafter" && name != "retryafterseconds") {
        return std::nullopt;
    }
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) {
        text.remove_prefix(1);
    }
    std::int64_t value = 0;
    const auto [end, failed] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (failed != std::errc() || value < 0 || value > 86'400'000) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(millis ? value : value * 1000);
}

} // namespace

std::string SoapFault::to_string() const {
    std::string out = "SOAP fault " + (code.empty() ? std::string("(no code)") : code) + ": " +
                      (reason.empty() ? std::string("(no reason)") : reason);
    if (!detail.empty()) {
        out += " (detail: " + detail + ")";
    }
    return out;
}

ResponseParser::ResponseParser(const ResponseLayout& layout, std::unique_ptr<XmlReader> reader)
    : layout_(layout)
    , reader_(std::move(reader))
    , watched_{WatchedElement{&layout.token_path, 0, std::nullopt},
               WatchedElement{&layout.total_path, 0, std::nullopt},
               WatchedElement{&layout.page_count_path, 0, std::nullopt},
               WatchedElement{&layout.has_more_path, 0, std::nullopt},
               WatchedElement{&layout.is_last_path, 0, std::nullopt}}
    , cells_(layout.fields.size())
    , states_(layout.fields.size(), 0) {}

Result<bool> ResponseParser::watch(WatchedElement& watched, std::size_t level) {
    const std::vector<QName>& path = *watched.path;
    if (path.empty() || level != watched.matched || watched.matched >= path.size() ||
        !matches(path[watched.matched], *reader_)) {
        return false;
    }
    if (++watched.matched < path.size()) {
        return false; // the element's end takes the match back
    }
    std::string text;
    FERRY_RETURN_IF_ERROR(reader_->element_text(text));
    watched.text = reader_->nil() ? std::string() : std::move(text);
    --watched.matched;
    return true;
}

Result<bool> ResponseParser::next_record() {
    XmlReader& reader = *reader_;
    const std::size_t record_steps = layout_.record_path.size();
    while (true) {
        FERRY_ASSIGN_OR_RETURN(bool more, reader.next());
        if (!more) {
            if (!saw_body_) {
                return Status::data("response has no SOAP Body").with_location(reader.where());
            }
            return false;
        }
        const int depth = reader.depth();
        if (reader.node() == XmlNode::EndElement) {
            if (depth >= 2) {
                const auto above = static_cast<std::size_t>(depth - 2);
                record_matched_ = std::min(record_matched_, above);
                for (WatchedElement& watched : watched_) {
                    watched.matched = std::min(watched.matched, above);
                }
            }
            continue;
        }
        if (reader.node() != XmlNode::StartElement) {
            continue;
        }
        if (depth == 0) {
            if (reader.local_name() != "Envelope" || !is_envelope_ns(reader.namespace_uri())) {
                return Status::data("not a SOAP envelope: the root element is <" +
                                    std::string(reader.local_name()) + ">")
                    .with_location(reader.where());
            }
            continue;
        }
        if (depth == 1) {
            saw_body_ = saw_body_ || reader.local_name() == "Body";
            continue;
        }
        if (depth == 2 && reader.local_name() == "Fault" &&
            is_envelope_ns(reader.namespace_uri())) {
            FERRY_RETURN_IF_ERROR(read_fault());
            return false;
        }
        const auto level = static_cast<std::size_t>(depth - 2);
        bool text_read = false;
        for (WatchedElement& watched : watched_) {
            FERRY_ASSIGN_OR_RETURN(const bool read, watch(watched, level));
            if (read) {
                text_read = true;
                break; // the reader has moved past this element
            }
        }
        if (text_read) {
            continue;
        }
        if (level == record_matched_ && record_matched_ < record_steps &&
            matches(layout_.record_path[record_matched_], reader)) {
            if (++record_matched_ < record_steps) {
                continue; // the element's end takes the match back
            }
            --record_matched_;
            if (reader.nil()) { // a lookup that found nothing
                FERRY_RETURN_IF_ERROR(reader.skip_element());
                continue;
            }
            FERRY_RETURN_IF_ERROR(read_record());
            ++records_;
            return true;
        }
    }
}

int ResponseParser::match_field(int relative_depth) {
    // A leaf right below the record is found by its name's address: the reader's names are
    // stable and one name has one address.
    if (relative_depth == 1) {
        const char* name = path_.front().data();
        auto& [cached, index] = leaf_cache_[name_slot(name, leaf_cache_.size())];
        if (cached != name) {
            cached = name;
            index = find_field(1);
        }
        if (index >= 0) {
            next_field_hint_ = static_cast<std::size_t>(index) + 1;
        }
        return index;
    }
    return find_field(relative_depth);
}

int ResponseParser::find_field(int relative_depth) {
    const auto& fields = layout_.fields;
    const auto depth = static_cast<std::size_t>(relative_depth);
    auto fits = [&](std::size_t index) {
        const auto& path = fields[index].path;
        if (path.size() != depth) {
            return false;
        }
        for (std::size_t step = 0; step < depth; ++step) {
            if (path[step] != path_[step]) {
                return false;
            }
        }
        return true;
    };
    // Fields usually arrive in schema order: try the one after the last match first.
    if (next_field_hint_ < fields.size() && fits(next_field_hint_)) {
        return static_cast<int>(next_field_hint_++);
    }
    for (std::size_t index = 0; index < fields.size(); ++index) {
        if (fits(index)) {
            next_field_hint_ = index + 1;
            return static_cast<int>(index);
        }
    }
    return -1;
}

Status ResponseParser::read_record() {
    XmlReader& reader = *reader_;
    std::fill(states_.begin(), states_.end(), std::uint8_t{0});
    next_field_hint_ = 0;
    const int record_depth = reader.depth();
    while (true) {
        FERRY_ASSIGN_OR_RETURN(bool more, reader.next());
        if (!more) {
            return Status::data("response ends inside a record").with_location(reader.where());
        }
        if (reader.node() == XmlNode::EndElement && reader.depth() == record_depth) {
            return Status();
        }
        if (reader.node() != XmlNode::StartElement) {
            continue;
        }
        const int relative = reader.depth() - record_depth;
        path_.resize(static_cast<std::size_t>(relative - 1));
        path_.emplace_back(reader.local_name());
        const int index = match_field(relative);
        if (index < 0) {
            continue; // a wrapper of nested fields, or an element the schema does not list
        }
        const auto slot = static_cast<std::size_t>(index);
        if (reader.nil()) {
            states_[slot] = 2;
            FERRY_RETURN_IF_ERROR(reader.skip_element());
        } else {
            FERRY_RETURN_IF_ERROR(reader.element_text(cells_[slot]));
            states_[slot] = 1;
        }
    }
}

Status ResponseParser::read_fault() {
    XmlReader& reader = *reader_;
    SoapFault fault;
    const int fault_depth = reader.depth();
    int detail_depth = -1;
    bool in_reason = false;
    bool in_subcode = false;
    std::string element;
    while (true) {
        FERRY_ASSIGN_OR_RETURN(bool more, reader.next());
        if (!more || (reader.node() == XmlNode::EndElement && reader.depth() == fault_depth)) {
            break;
        }
        if (reader.node() == XmlNode::EndElement) {
            if (reader.depth() == detail_depth) {
                detail_depth = -1;
            }
            if (reader.local_name() == "Reason") {
                in_reason = false;
            }
            continue;
        }
        if (reader.node() == XmlNode::StartElement) {
            element = reader.local_name();
            const int relative = reader.depth() - fault_depth;
            if (relative == 1 && (element == "detail" || element == "Detail")) {
                detail_depth = reader.depth();
            } else if (element == "Reason") {
                in_reason = true;
            } else if (element == "Subcode") {
                in_subcode = true;
            }
            continue;
        }
        if (reader.node() != XmlNode::Text || blank(reader.text())) {
            continue;
        }
        const std::string_view text = reader.text();
        if (detail_depth >= 0) {
            fault.detail += (fault.detail.empty() ? "" : "; ") + element + "=" + std::string(text);
            if (!fault.retry_after) {
                fault.retry_after = retry_after(element, text);
            }
        } else if (element == "faultcode" || (element == "Value" && !in_subcode)) {
            fault.code = without_prefix(text);
        } else if (element == "Value" && in_subcode) {
            fault.code += "/" + std::string(without_prefix(text));
        } else if (element == "faultstring" || (element == "Text" && in_reason)) {
            fault.reason += text;
        }
    }
    fault_ = std::move(fault);
    return Status();
}

Status
ResponseParser::emit(BatchBuilder& out, std::int64_t record_no, const std::string& location) {
    FERRY_RETURN_IF_ERROR(out.begin_record(record_no));
    const auto& fields = layout_.fields;
    for (std::size_t index = 0; index < fields.size(); ++index) {
        const RecordField& field = fields[index];
        ColumnBuilder& column = out.column(index);
        const bool empty_non_text =
            states_[index] == 1 && field.kind != ValueKind::Text && blank(cells_[index]);
        if (states_[index] != 1 || empty_non_text) {
            if (!field.nullable) {
                const char* what =
                    states_[index] == 2 ? "nil" : (empty_non_text ? "empty" : "missing");
                out.reject_record(Reject(field.name, std::string("required"),
                                         "field \"" + field.name + "\" is " + what +
                                             " but the schema requires a value",
                                         location));
                return Status();
            }
            if (states_[index] == 0) {
                column.append_absent(); // left out of the record, not sent as nil
            } else {
                column.append_null();
            }
            continue;
        }
        if (auto reason = append_cell(column, field.kind, cells_[index])) {
            out.reject_record(
                Reject(field.name, "type", *reason + " (" + field.source_type + ")", location));
            return Status();
        }
    }
    return out.commit_record();
}

} // namespace ferry::soap

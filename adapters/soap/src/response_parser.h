// SPDX-License-Identifier: Apache-2.0
// response_parser.h — pulls records out of a SOAP response as it streams in (no DOM): finds the
// record elements by their namespace-qualified path below soap:Body, reads each record's leaf
// fields (xsi:nil → null), picks up a continuation token, and turns a soap:Fault into a value.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ferry/batch_builder.h"

#include "service_model.h"
#include "xml_reader.h"

namespace ferry::soap {

/// Where the records are and what they hold.
struct ResponseLayout {
    std::vector<QName> record_path;     ///< from the Body's child down; an empty ns matches any
    std::vector<RecordField> fields;    ///< the columns, in schema order
    std::vector<QName> token_path;      ///< a continuation token element, if paging uses one
    std::vector<QName> total_path;      ///< the element counting the whole result's records
    std::vector<QName> page_count_path; ///< the element counting the result's pages
    std::vector<QName> has_more_path;   ///< true while pages follow this one
    std::vector<QName> is_last_path;    ///< true on the last page
};

/// The elements outside the records whose text the parser keeps.
enum class Watched : std::size_t { Token, Total, PageCount, HasMore, IsLast, Count };

/// A SOAP 1.1 or 1.2 fault, as the server sent it.
struct SoapFault {
    std::string code;   ///< faultcode / Code/Value (and Subcode), without its prefix
    std::string reason; ///< faultstring / Reason/Text
    std::string detail; ///< "name=value; …" from the detail element's leaves
    /// When the detail says when to retry (retry_after_ms, RetryAfter in seconds, …).
    std::optional<std::chrono::milliseconds> retry_after;

    /// "SOAP fault Server.Database: registry database offline (detail: ticket=DB-17)".
    std::string to_string() const;
};

class ResponseParser {
public:
    ResponseParser(const ResponseLayout& layout, std::unique_ptr<XmlReader> reader);

    /// Advances to the next record; false at the end of the response. A fault in the Body
    /// returns false and sets fault().
    Result<bool> next_record();
    /// Delivers the current record as `record_no`, or rejects it with the field and reason.
    Status emit(BatchBuilder& out, std::int64_t record_no, const std::string& location);

    /// The current record's raw text of field `index` ("" when absent or nil).
    std::string field_text(std::size_t index) const {
        return states_[index] == 1 ? cells_[index] : std::string();
    }

    const std::optional<SoapFault>& fault() const noexcept { return fault_; }

    const std::optional<std::string>& token() const noexcept { return watched(Watched::Token); }

    /// The text of the layout's total_path element, if the response had one.
    const std::optional<std::string>& total() const noexcept { return watched(Watched::Total); }

    /// The text of a watched element (page metadata), if the response had it.
    const std::optional<std::string>& watched(Watched which) const noexcept {
        return watched_[static_cast<std::size_t>(which)].text;
    }

    /// Records read so far in this response (whether emitted or skipped).
    std::int64_t records() const noexcept { return records_; }

    XmlReader& reader() noexcept { return *reader_; }

    /// The HTTP status the response came with (200, or 500 for a fault), if any.
    int http_status() const noexcept { return http_status_; }

    void set_http_status(int status) noexcept { http_status_ = status; }

    /// What the HTTP status alone means when it is not 2xx (the answer is still parsed, for the
    /// fault it may carry); OK for a 2xx answer.
    const Status& http_failure() const noexcept { return http_failure_; }

    void set_http_failure(Status failure) { http_failure_ = std::move(failure); }

private:
    /// An element outside the records whose text is wanted (the token, the total): how much of
    /// its path the open elements match.
    struct WatchedElement {
        const std::vector<QName>* path;
        std::size_t matched = 0;
        std::optional<std::string> text;
    };

    /// True when the start element the reader is on completes `watched`'s path (its text is
    /// then read); advances the match when it continues it.
    Result<bool> watch(WatchedElement& watched, std::size_t level);
    Status read_record();
    Status read_fault();
    int match_field(int relative_depth);
    int find_field(int relative_depth);

    const ResponseLayout& layout_;
    std::unique_ptr<XmlReader> reader_;
    std::size_t record_matched_ = 0;
    std::array<WatchedElement, static_cast<std::size_t>(Watched::Count)> watched_;
    bool saw_body_ = false;
    std::optional<SoapFault> fault_;
    std::int64_t records_ = 0;
    int http_status_ = 0;
    Status http_failure_;
    // The current record: per field its text, and whether it was present / nil.
    std::vector<std::string> cells_;
    std::vector<std::uint8_t> states_; // 0 absent, 1 value, 2 nil
    // Local names below the record element: the reader's names live as long as it does.
    std::vector<std::string_view> path_;
    std::size_t next_field_hint_ = 0;
    std::array<std::pair<const char*, int>, 32> leaf_cache_{}; // name address -> field index
};

} // namespace ferry::soap

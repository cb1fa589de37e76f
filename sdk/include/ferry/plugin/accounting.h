// SPDX-License-Identifier: Apache-2.0
// ferry/plugin/accounting.h — what a stream tells its host about the source itself: the record
// counts, control sums and sizes the source declares, what the stream observed of them, and its
// progress. The host compares these with its own counts at the end of the stream
// (ferry/reconciliation.h) and fails a stream whose figures disagree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ferry/decimal.h"
#include "ferry/reconciliation.h"
#include "ferry/result.h"

namespace ferry::plugin {

/// One stream's source accounting. Each Stream owns one (Stream::accounting()); the stream
/// fills it as it reads, at any batch, and the SDK hands it to the host as the stream's report
/// (schemas/stream-report.schema.json). Declare only what holds for this stream: a stream
/// opened with "resume" says how many records came before it (set_resumed_after); a lookup
/// declares nothing.
///
/// Not thread-safe: it belongs to the stream's reading thread, like the stream itself.
class StreamAccounting {
public:
    /// The source says it holds `count` records, e.g. a trailer's count or a SOAP page's total.
    /// `by` names where the figure comes from ("trailer record 203, TRL-COUNT") and appears in
    /// the host's verdict. Compared with the records the host counted: delivered + rejected,
    /// plus skipped when `includes_skipped` (a DBF header counts its deleted rows).
    /// With a `segment`, it is compared with the stream's own count of that segment instead
    /// (count_segment). Declaring the same figure again replaces it.
    void declare_records(std::int64_t count,
                         std::string by,
                         std::string segment = {},
                         bool includes_skipped = false);
    /// The source says the values of `column` over its records total `sum` (a control total).
    /// Compared with the stream's own running total (add_to_sum).
    void declare_sum(std::string column, Decimal sum, std::string by);
    /// The source says it is `size` bytes long (a file's size, a Content-Length). Compared with
    /// the bytes the stream consumed (observe_bytes).
    void declare_bytes(std::int64_t size, std::string by);

    /// The stream consumed `total` bytes of the source so far (a running figure, not a delta).
    void observe_bytes(std::int64_t total) noexcept { report_.bytes_done = total; }

    /// One more record (delivered or rejected) of `segment` was read.
    void count_segment(std::string_view segment, std::int64_t records = 1);
    /// Adds a record's value of `column` to the stream's running total. A Data error when the
    /// total would no longer fit 38 digits.
    Status add_to_sum(std::string_view column, const Decimal& value);

    /// Sets the stream's running total of `column` (a decoder that keeps its own, e.g. across a
    /// resume, reports it here instead of adding record by record).
    void observe_sum(std::string_view column, const Decimal& total);

    /// Records of the source that earlier streams read before this one resumed; the host adds
    /// them to its own counts when it checks declared record counts.
    void set_resumed_after(std::int64_t records) noexcept { report_.resumed_after = records; }

    /// Progress: what the whole read will be, where known (bytes done come from observe_bytes,
    /// records done from the host's own counts).
    void set_expected_total(std::optional<std::int64_t> records, std::optional<std::int64_t> bytes);

    /// The stream repeated a request because of `cause` ("http_5xx", "truncated_body",
    /// "server_fault", "connection"): shown in the host's summary and progress line.
    void count_retry(std::string_view cause) { ++report_.retries[std::string(cause)]; }

    /// Called by the SDK for each record a batch skipped, by reason.
    void count_skipped(const std::string& reason, std::int64_t records);

    /// The report as JSON (schemas/stream-report.schema.json). The SDK adds "stopped_early"
    /// when the request's limit ended the stream before the source did.
    nlohmann::json to_json() const;

private:
    StreamReport report_; // everything but the running totals, kept as exact decimals
    std::map<std::string, Decimal, std::less<>> sums_;
};

} // namespace ferry::plugin

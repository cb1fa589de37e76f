// SPDX-License-Identifier: Apache-2.0
// ferry/reconciliation.h — the host's verdict on a stream: what the source declared it holds
// against what was read, delivered, rejected and skipped.
//
// A stream ends reconciled (every declared figure matches), unreconciled (at least one differs;
// each difference is named) or unverified (the source declared nothing, or the request's limit
// stopped the stream early). Unreconciled is a failure in every host: BatchReader::next()
// returns a Data error at the end of such a stream.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

namespace ferry {

/// A stream's report as the plugin sent it (schemas/stream-report.schema.json), parsed.
struct StreamReport {
    struct Declared {
        std::string figure;  ///< "records", "sum" or "bytes"
        std::string subject; ///< the segment (records) or column (sum); empty otherwise
        std::string value;   ///< an integer or an exact decimal, as text
        std::string by;      ///< where the source declares it
        bool includes_skipped = false;
    };

    std::vector<Declared> declared;
    std::map<std::string, std::int64_t> segments; ///< records read per segment
    std::map<std::string, std::string> sums;      ///< the stream's running totals per column
    std::map<std::string, std::int64_t> skipped;  ///< skipped records per reason
    /// Requests the stream repeated, per cause ("http_5xx", "truncated_body", "server_fault"):
    /// not compared, shown so a read that struggled is visible even when it succeeded.
    std::map<std::string, std::int64_t> retries;
    std::optional<std::int64_t> bytes_done;
    std::optional<std::int64_t> records_total;
    std::optional<std::int64_t> bytes_total;
    std::int64_t resumed_after = 0;
    std::string stopped_early; ///< why the stream ended before the source did, or empty

    /// Parses and checks a report; InvalidArgument naming the member that is wrong.
    static Result<StreamReport> parse(const nlohmann::json& report);
    nlohmann::json to_json() const;
};

enum class Verdict {
    Reconciled,   ///< every figure the source declared matches what was read
    Unreconciled, ///< at least one declared figure differs: a failure
    Unverified,   ///< nothing to compare: the source declared nothing, or the stream stopped early
};

/// "reconciled", "unreconciled", "unverified".
std::string_view to_string(Verdict verdict) noexcept;

/// What the host counted itself.
struct StreamCounts {
    std::int64_t read = 0;
    std::int64_t delivered = 0;
    std::int64_t rejected = 0;
    std::int64_t skipped = 0;
};

/// One declared figure and what it was compared with.
struct FigureCheck {
    StreamReport::Declared declared;
    std::string observed; ///< the compared figure as text, or empty when nothing was observed
    bool matches = false;
    /// One line: "trailer record 203 (TRL-COUNT) counts 201 records, 200 were read".
    std::string sentence;
};

struct Reconciliation {
    Verdict verdict = Verdict::Unverified;
    StreamCounts counts;
    std::vector<FigureCheck> checks;
    std::map<std::string, std::int64_t> skipped; ///< by reason
    std::string note;                            ///< why the verdict is unverified, when it is

    /// The differing figures joined ("; "), or the verdict's reason.
    std::string summary() const;
    nlohmann::json to_json() const;
};

/// Compares what the source declared with what was counted. Pure: the same inputs always give
/// the same verdict.
Reconciliation reconcile(const StreamReport& report, const StreamCounts& counts);

/// Progress of one stream, for progress lines and ETAs.
struct Progress {
    std::int64_t records_done = 0;
    std::optional<std::int64_t> records_total;
    std::optional<std::int64_t> bytes_done;
    std::optional<std::int64_t> bytes_total;
    std::map<std::string, std::int64_t> retries; ///< so far, per cause (StreamReport::retries)

    /// Done as a fraction in [0, 1] from bytes or records, whichever is known; nullopt if neither.
    std::optional<double> fraction() const noexcept;
};

} // namespace ferry

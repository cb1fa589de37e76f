// SPDX-License-Identifier: Apache-2.0
// record_stream.h — the pull pipeline shared by HTTP streams and export mode: open the source
// (retries, circuit breaker), map batches, skip what the cursor says was passed, apply the
// consumer's field policy, and write NDJSON chunks with a cursor line after every batch.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ferry/batch_reader.h"
#include "ferry/reconciliation.h"

#include "bridge_context.h"
#include "cursor.h"

namespace ferry::bridge {

/// Where chunks go. write() returns false when the receiver is gone (client disconnected).
class ChunkSink {
public:
    virtual ~ChunkSink() = default;
    virtual bool write(std::string_view chunk) = 0;
};

struct PullOptions {
    Cursor start;
    std::optional<std::int64_t> limit; ///< records delivered at most; none: to the end
    bool cursor_lines = true;          ///< {"_cursor": …} after every batch
};

struct PullOutcome {
    Status status;              ///< OK, or why the stream ended early
    std::int64_t delivered = 0; ///< records written
    std::int64_t rejected = 0;  ///< source records rejected in the range passed
    /// Records the source skipped (no record by its rules), counted per source batch by the
    /// response that passes the batch's end.
    std::int64_t skipped = 0;
    Cursor next;           ///< resume here for the records after the last one written
    bool complete = false; ///< the source's end was reached (and the stream did not fail)
    bool receiver_gone = false;
    int retries = 0;
    /// The source's verdict, when the pull read to the source's end: reconciled or unverified
    /// with `complete`, or unreconciled with a Data error in `status`. None when the pull
    /// stopped before the end (a limit, a disconnect, a shutdown) or failed otherwise.
    std::optional<Reconciliation> reconciliation;

    bool unreconciled() const noexcept {
        return reconciliation && reconciliation->verdict == Verdict::Unreconciled;
    }
};

/// Opens a source stream under the dataset source's circuit breaker, retrying transient
/// (Unavailable) failures with backoff.
Result<BatchReader> open_source_stream(BridgeContext& context,
                                       const Dataset& dataset,
                                       const nlohmann::json& request,
                                       int* retries);

PullOutcome pull_records(BridgeContext& context,
                         const Dataset& dataset,
                         const FieldPolicy& policy,
                         const PullOptions& options,
                         ChunkSink& sink);

/// The differing figures of an unreconciled verdict as a consumer may read them: a control
/// total is named by its column, never with its amounts.
std::string consumer_summary(const Reconciliation& verdict);

/// The final line of a stream: {"_cursor": …, "_complete": …, "_delivered": …, "_rejected": …,
/// "_skipped": …}, plus "_verdict" when the source's end was reached and "_error" when the
/// stream ended on an error (an unreconciled source is one).
std::string summary_line(const BridgeContext& context, const PullOutcome& outcome);

} // namespace ferry::bridge

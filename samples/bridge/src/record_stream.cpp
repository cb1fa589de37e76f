// SPDX-License-Identifier: Apache-2.0
// record_stream.cpp — the pull loop. Exactly-once rests on two facts every adapter keeps:
// record numbers grow within a stream, and two streams opened at the same checkpoint number
// their records the same way. A cursor at a batch boundary is the batch's checkpoint alone; a
// cursor inside a batch (the limit cut it) is the checkpoint before the batch plus the last
// record number written.
#include "record_stream.h"

#include <algorithm>
#include <memory>

#include "ferry/mapped_reader.h"
#include "ferry/ndjson.h"

namespace ferry::bridge {

Result<BatchReader> open_source_stream(BridgeContext& context,
                                       const Dataset& dataset,
                                       const nlohmann::json& request,
                                       int* retries) {
    CircuitBreaker& breaker = context.breaker(dataset.source->config.id);
    std::optional<BatchReader> reader;
    const Status status = retry(
        context.backoff(),
        [&]() -> Status {
            if (!breaker.allow()) {
                return Status::unavailable("source \"" + dataset.source->config.id +
                                           "\" is failing; circuit open");
            }
            // The breaker counts requests, not attempts, and an adapter may connect only when
            // the first batch is asked for: BridgeContext::note_source records how the request
            // ended.
            Result<BatchReader> opened =
                dataset.source->handle.open_stream(dataset.source_dataset, request);
            if (!opened.ok()) {
                return opened.status();
            }
            reader.emplace(std::move(*opened));
            return {};
        },
        retries);
    context.metrics().set_circuit_state(dataset.id, static_cast<int>(breaker.state()));
    if (!status.ok()) {
        return status;
    }
    return std::move(*reader);
}

namespace {

// A cursor line at least this often within a source batch.
constexpr std::int64_t kCursorEvery = 1000;

std::int64_t last_record_no(const Batch& batch) {
    std::int64_t last = 0;
    if (batch.num_rows() > 0) {
        last = batch.record_no(batch.num_rows() - 1);
    }
    for (const FerryReject& reject : batch.rejects()) {
        last = std::max(last, reject.record_no);
    }
    return last;
}

} // namespace

// What a consumer may read of a verdict: counts and sizes as the SDK words them, but a control
// total only by its column, since the amounts themselves may be masked or withheld from this
// consumer (operators read the full figures in the export manifest and the audit).
std::string consumer_summary(const Reconciliation& verdict) {
    std::string text;
    for (const FigureCheck& check : verdict.checks) {
        if (check.matches) {
            continue;
        }
        text += text.empty() ? "" : "; ";
        text += check.declared.figure == "sum"
                    ? check.declared.by + ": the control total of " + check.declared.subject +
                          " differs from the records read"
                    : check.sentence;
    }
    return text;
}

namespace {

// With mapping workers the source may reach its end ahead of the batch that ends the pull (a
// reject limit, a mapping error): its verdict belongs to the pull only when the error handed
// out is the source's own unreconciled end, which BatchReader words "…unreconciled: <summary>".
bool is_unreconciled_end(const Status& status, const std::optional<Reconciliation>& verdict) {
    return verdict && verdict->verdict == Verdict::Unreconciled &&
           status.code() == StatusCode::Data &&
           status.message().ends_with("unreconciled: " + verdict->summary());
}

} // namespace

PullOutcome pull_records(BridgeContext& context,
                         const Dataset& dataset,
                         const FieldPolicy& policy,
                         const PullOptions& options,
                         ChunkSink& sink) {
    PullOutcome outcome;
    outcome.next = options.start;
    // The checkpoint the batch being read started from: where a mid-batch cursor resumes.
    Cursor base = options.start;
    base.after = 0;
    std::int64_t remaining = options.limit.value_or(INT64_MAX);
    const BackoffPolicy backoff = context.backoff();
    int failures = 0;

    while (remaining > 0) {
        nlohmann::json request{{"batch_rows", context.config().limits.batch_rows}};
        if (!outcome.next.resume.is_null()) {
            request["resume"] = outcome.next.resume;
        }
        int retries = 0;
        Result<BatchReader> reader = open_source_stream(context, dataset, request, &retries);
        outcome.retries += retries;
        if (!reader.ok()) {
            outcome.status = reader.status();
            break;
        }
        base = outcome.next;
        base.after = outcome.next.resume.is_null() ? 0 : base.after;
        // The plain reader is kept for its verdict; the mapped reader drives it.
        auto source = std::make_shared<BatchReader>(std::move(*reader));
        MappedReader mapped([source]() { return source->next(); }, dataset.mapping,
                            context.config().limits.mapping_threads);
        std::string chunk;
        bool reopen = false;
        while (remaining > 0) {
            if (context.cancel_streams.load()) {
                outcome.status = Status::cancelled("the bridge is shutting down");
                return outcome;
            }
            Result<std::optional<Batch>> next = mapped.next();
            if (!next.ok()) {
                // A transient failure mid-stream reopens from the cursor: nothing is lost or
                // repeated, because the cursor is exactly where the client stands.
                if (next.status().code() == StatusCode::Unavailable &&
                    ++failures < backoff.max_attempts) {
                    ++outcome.retries;
                    reopen = true;
                    break;
                }
                outcome.status = next.status();
                if (is_unreconciled_end(outcome.status, source->reconciliation())) {
                    // The consumer sees the differing figures, not the plugin's internals.
                    outcome.reconciliation = source->reconciliation();
                    outcome.status =
                        Status::data("unreconciled: " + consumer_summary(*outcome.reconciliation));
                }
                return outcome;
            }
            if (!*next) {
                outcome.complete = true;
                outcome.reconciliation = source->reconciliation();
                return outcome;
            }
            const Batch& batch = **next;
            const std::int64_t skip_through = outcome.next.after;
            std::int64_t first = 0;
            while (first < batch.num_rows() && batch.record_no(first) <= skip_through) {
                ++first;
            }
            const std::int64_t available = batch.num_rows() - first;
            const bool cut = available > remaining;
            const std::int64_t end = cut ? first + remaining : batch.num_rows();
            // Rejects up to the last record passed belong to this response.
            const std::int64_t last_in_batch = last_record_no(batch);
            const std::int64_t passed_through = cut ? batch.record_no(end - 1) : last_in_batch;
            // Skipped records carry no record number: the response that passes the batch's
            // end counts them (a batch wholly before the cursor was counted by an earlier one).
            if (!cut && !(last_in_batch > 0 && last_in_batch <= skip_through)) {
                outcome.skipped += batch.records_skipped();
            }
            for (const FerryReject& reject : batch.rejects()) {
                if (reject.record_no > skip_through && reject.record_no <= passed_through) {
                    ++outcome.rejected;
                    context.quarantine().add(dataset.id, reject);
                }
            }
            // Rows go out in runs of kCursorEvery records, each followed by a cursor line, so a
            // client that is cut off inside a large source batch still has a place to resume
            // (the batch's starting checkpoint and the last record it received).
            std::int64_t run_start = first;
            for (; options.cursor_lines && end - run_start > kCursorEvery;
                 run_start += kCursorEvery) {
                chunk.clear();
                policy.append_rows(batch, run_start, run_start + kCursorEvery, chunk);
                outcome.delivered += kCursorEvery;
                remaining -= kCursorEvery;
                outcome.next =
                    Cursor{dataset.id, base.resume,
                           std::max(skip_through, batch.record_no(run_start + kCursorEvery - 1))};
                chunk += "{\"_cursor\":";
                append_json_string(context.cursors().encode(outcome.next), chunk);
                chunk += "}\n";
                if (!sink.write(chunk)) {
                    outcome.receiver_gone = true;
                    outcome.status = Status::cancelled("the client disconnected");
                    return outcome;
                }
            }
            chunk.clear();
            policy.append_rows(batch, run_start, end, chunk);
            outcome.delivered += end - run_start;
            remaining -= end - run_start;
            const nlohmann::json checkpoint =
                batch.checkpoint() ? nlohmann::json::parse(*batch.checkpoint(), nullptr,
                                                           /*allow_exceptions=*/false)
                                   : nlohmann::json(nlohmann::json::value_t::discarded);
            if (cut) {
                outcome.next = Cursor{dataset.id, base.resume, passed_through};
            } else if (!checkpoint.is_discarded()) {
                outcome.next = Cursor{dataset.id, checkpoint, 0};
                base = outcome.next;
            } else {
                // No checkpoint: the stream can only be re-read from the start and skipped.
                outcome.next =
                    Cursor{dataset.id, base.resume, std::max(skip_through, passed_through)};
            }
            if (options.cursor_lines && !cut) {
                chunk += "{\"_cursor\":";
                append_json_string(context.cursors().encode(outcome.next), chunk);
                chunk += "}\n";
            }
            if (!chunk.empty() && !sink.write(chunk)) {
                outcome.receiver_gone = true;
                outcome.status = Status::cancelled("the client disconnected");
                return outcome;
            }
        }
        if (!reopen) {
            break;
        }
    }
    return outcome;
}

std::string summary_line(const BridgeContext& context, const PullOutcome& outcome) {
    nlohmann::json line{{"_cursor", context.cursors().encode(outcome.next)},
                        {"_complete", outcome.complete},
                        {"_delivered", outcome.delivered},
                        {"_rejected", outcome.rejected},
                        {"_skipped", outcome.skipped}};
    if (outcome.reconciliation) {
        line["_verdict"] = to_string(outcome.reconciliation->verdict);
    }
    if (!outcome.status.ok()) {
        line["_error"] = {{"code", status_code_name(outcome.status.code())},
                          {"message", outcome.status.message()}};
    }
    return line.dump() + "\n";
}

} // namespace ferry::bridge

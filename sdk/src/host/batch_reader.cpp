// SPDX-License-Identifier: Apache-2.0
// batch_reader.cpp — pulling, checking and counting batches from a plugin stream.
#include "ferry/batch_reader.h"

#include "ferry/abi_error.h"
#include "ferry/json_schema.h"

#include "host_internal.h"

namespace ferry {

namespace {

std::string context_of(const detail::StreamCore& core) {
    return "plugin " + core.source->library->name + ": dataset \"" + core.dataset + "\"";
}

Result<StreamReport> fetch_report(detail::StreamCore& core) {
    if (core.stream.get_report == nullptr || core.stream.release == nullptr) {
        return StreamReport{};
    }
    FerryText text{};
    FerryError error{};
    const FerryStatus code = core.stream.get_report(&core.stream, &text, &error);
    FERRY_RETURN_IF_ERROR(import_error(code, &error, "get_report").with_context(context_of(core)));
    const std::string json_text(text.data ? text.data : "", text.data ? text.size : 0);
    if (text.release != nullptr) {
        text.release(&text);
    }
    FERRY_ASSIGN_OR_RETURN(nlohmann::json json, parse_json(json_text, "stream report"));
    Result<StreamReport> report = StreamReport::parse(json);
    if (!report.ok()) {
        return Status::internal(report.status().message()).with_context(context_of(core));
    }
    return report;
}

// The end of the stream: the verdict decides whether it is an end or a failure.
Result<std::optional<Batch>> finish(detail::StreamCore& core) {
    FERRY_ASSIGN_OR_RETURN(StreamReport report, fetch_report(core));
    core.reconciliation =
        reconcile(report, {core.read, core.delivered, core.rejected, core.skipped});
    if (core.reconciliation->verdict == Verdict::Unreconciled) {
        return Status::data("unreconciled: " + core.reconciliation->summary())
            .with_context(context_of(core));
    }
    return std::optional<Batch>();
}

} // namespace

const Schema& BatchReader::schema() const noexcept {
    return *core_->schema;
}

Result<std::optional<Batch>> BatchReader::next() {
    detail::StreamCore& core = *core_;
    if (core.finished) {
        return std::optional<Batch>();
    }
    FerryBatch raw{};
    FerryError error{};
    const FerryStatus code = core.stream.get_next(&core.stream, &raw, &error);
    if (code != FERRY_OK) {
        core.finished = true;
        if (raw.release != nullptr) {
            raw.release(&raw); // a plugin that failed should not have filled it; do not leak
        }
        return import_error(code, &error, "get_next")
            .with_context("plugin " + core.source->library->name + ": dataset \"" + core.dataset +
                          "\"");
    }
    if (raw.release == nullptr) {
        core.finished = true;
        return finish(core);
    }
    if (Status shape = validate_batch(raw, *core.schema, BatchCheck::Structure); !shape.ok()) {
        core.finished = true;
        raw.release(&raw);
        return std::move(shape).with_context("plugin " + core.source->library->name +
                                             ": dataset \"" + core.dataset + "\"");
    }
    core.read += raw.records_read;
    core.delivered += raw.data.length;
    core.rejected += raw.n_rejects;
    core.skipped += raw.records_skipped;
    return std::optional<Batch>(Batch(std::move(raw), core.schema, core.source->library));
}

void BatchReader::cancel() noexcept {
    if (core_->stream.release != nullptr) {
        core_->stream.cancel(&core_->stream);
    }
}

std::int64_t BatchReader::records_read() const noexcept {
    return core_->read;
}

std::int64_t BatchReader::records_delivered() const noexcept {
    return core_->delivered;
}

std::int64_t BatchReader::records_rejected() const noexcept {
    return core_->rejected;
}

std::int64_t BatchReader::records_skipped() const noexcept {
    return core_->skipped;
}

Result<StreamReport> BatchReader::report() const {
    return fetch_report(*core_);
}

Progress BatchReader::progress() const {
    Progress progress;
    progress.records_done = core_->read;
    if (Result<StreamReport> report = fetch_report(*core_); report.ok()) {
        progress.records_total = report->records_total;
        progress.bytes_done = report->bytes_done;
        progress.bytes_total = report->bytes_total;
        progress.retries = std::move(report->retries);
    }
    return progress;
}

const std::optional<Reconciliation>& BatchReader::reconciliation() const noexcept {
    return core_->reconciliation;
}

} // namespace ferry

// SPDX-License-Identifier: Apache-2.0
// batch_reader.cpp — pulling, checking and counting batches from a plugin stream.
#include "ferry/batch_reader.h"

#include "ferry/abi_error.h"

#include "host_internal.h"

namespace ferry {

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
        return std::optional<Batch>();
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

} // namespace ferry

// SPDX-License-Identifier: Apache-2.0
// ferry/plugin/stream.h — what an adapter implements to produce records: Stream and its request.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ferry/batch_builder.h"
#include "ferry/data_type.h"
#include "ferry/plugin/accounting.h"
#include "ferry/result.h"

namespace ferry::plugin {

/// open_stream's request, parsed from request_json. Every adapter understands these keys;
/// adapter-specific ones go under "params". Unknown top-level keys are an InvalidArgument error.
struct StreamRequest {
    std::string dataset;
    nlohmann::json resume;             ///< a checkpoint a previous batch returned, or null
    nlohmann::json lookup;             ///< key field -> value for a key lookup, or null
    nlohmann::json params;             ///< adapter-specific, or null
    std::optional<std::int64_t> limit; ///< at most this many source records read
    std::int64_t batch_rows = 4096;    ///< records (delivered + rejected) per batch

    static Result<StreamRequest> parse(std::string dataset, const char* request_json);
};

/// One open stream of records. The SDK calls fill() until it returns false and turns each filled
/// builder into a FerryBatch. Runs on one thread at a time; cancelled() may flip at any moment.
class Stream {
public:
    explicit Stream(Schema schema)
        : schema_(std::move(schema)) {}

    virtual ~Stream() = default;
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;

    const Schema& schema() const noexcept { return schema_; }

    /// Appends records to `out` until out.full() or the data ends. Returns false at the end of
    /// data (the builder may still hold the last records), true if more may follow.
    /// Per-record problems are rejects in `out`; an error Status means the stream cannot go on.
    virtual Result<bool> fill(BatchBuilder& out) = 0;

    /// What the source declares it holds and what this stream observed of it, reported to the
    /// host (see ferry/plugin/accounting.h). Fill it as the stream reads, at any batch.
    StreamAccounting& accounting() noexcept { return accounting_; }

    const StreamAccounting& accounting() const noexcept { return accounting_; }

    /// True once the host asked the stream to stop; long fills should check it.
    bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }

    void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }

private:
    Schema schema_;
    StreamAccounting accounting_;
    std::atomic<bool> cancelled_{false};
};

/// A Stream from a function, for adapters whose stream state fits in a lambda's captures.
using FillFunction = std::function<Result<bool>(BatchBuilder& out, Stream& self)>;
std::unique_ptr<Stream> make_stream(Schema schema, FillFunction fill);

} // namespace ferry::plugin

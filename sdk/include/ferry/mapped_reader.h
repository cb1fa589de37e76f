// SPDX-License-Identifier: Apache-2.0
// ferry/mapped_reader.h — a stream of mapped batches: pulls source batches, maps them on worker
// threads, hands them out in source order, and stops when the reject policy is exceeded.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "ferry/batch.h"
#include "ferry/batch_reader.h"
#include "ferry/mapping.h"
#include "ferry/result.h"

namespace ferry {

/// Where source batches come from: the next batch, std::nullopt at the end, or an error.
/// Called from one thread at a time.
using BatchSource = std::function<Result<std::optional<Batch>>()>;

/// Adapts a plugin stream.
BatchSource batch_source(BatchReader reader);

class MappedReader {
public:
    /// `threads` workers map batches in parallel (at most 2 × threads batches in memory);
    /// 0 or 1 maps on the caller's thread.
    MappedReader(BatchSource source, Mapping mapping, int threads = 1);
    MappedReader(MappedReader&&) noexcept;
    MappedReader& operator=(MappedReader&&) noexcept;
    ~MappedReader();

    /// The next mapped batch in source order; std::nullopt at the end. A source error, or a
    /// Data error once the mapping's reject policy is exceeded (returned after the batch that
    /// crossed the limit, so every record read is still accounted for), ends the stream.
    Result<std::optional<Batch>> next();

    std::int64_t records_read() const noexcept;
    std::int64_t records_delivered() const noexcept;
    std::int64_t records_rejected() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ferry

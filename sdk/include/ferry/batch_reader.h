// SPDX-License-Identifier: Apache-2.0
// ferry/batch_reader.h — BatchReader: pulls checked batches from a plugin stream, counting them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "ferry/batch.h"
#include "ferry/data_type.h"
#include "ferry/result.h"

namespace ferry {

namespace detail {
struct StreamCore;
} // namespace detail

/// Reads one stream. Every batch is checked (shape, and read = delivered + rejected) before it is
/// handed out. One thread reads; cancel() may come from any thread.
class BatchReader {
public:
    explicit BatchReader(std::shared_ptr<detail::StreamCore> core)
        : core_(std::move(core)) {}

    const Schema& schema() const noexcept;
    /// The next batch; std::nullopt at the end. After an error the stream is finished.
    Result<std::optional<Batch>> next();
    /// Asks the plugin to stop; next() then returns Cancelled (or the end) promptly.
    void cancel() noexcept;

    std::int64_t records_read() const noexcept;
    std::int64_t records_delivered() const noexcept;
    std::int64_t records_rejected() const noexcept;

private:
    std::shared_ptr<detail::StreamCore> core_;
};

} // namespace ferry

// SPDX-License-Identifier: Apache-2.0
// ferry/batch_reader.h — BatchReader: pulls checked batches from a plugin stream, counting them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "ferry/batch.h"
#include "ferry/data_type.h"
#include "ferry/reconciliation.h"
#include "ferry/result.h"

namespace ferry {

namespace detail {
struct StreamCore;
} // namespace detail

/// Reads one stream. Every batch is checked (shape, and read = delivered + rejected + skipped)
/// before it is handed out. At the end of the stream the source's report is compared with the
/// counts (ferry/reconciliation.h): an unreconciled stream ends with a Data error naming every
/// differing figure instead of the end, so no host mistakes it for a complete read.
/// One thread reads; cancel() may come from any thread.
class BatchReader {
public:
    explicit BatchReader(std::shared_ptr<detail::StreamCore> core)
        : core_(std::move(core)) {}

    const Schema& schema() const noexcept;
    /// The next batch; std::nullopt at the end (reconciled or unverified). After an error the
    /// stream is finished.
    Result<std::optional<Batch>> next();
    /// Asks the plugin to stop; next() then returns Cancelled (or the end) promptly.
    void cancel() noexcept;

    std::int64_t records_read() const noexcept;
    std::int64_t records_delivered() const noexcept;
    std::int64_t records_rejected() const noexcept;
    std::int64_t records_skipped() const noexcept;

    /// The stream's report so far: what the source declares and what the stream observed (an
    /// empty report from a 1.0 plugin). Between next() calls only.
    Result<StreamReport> report() const;
    /// Records done and, where the stream knows them, bytes done and the totals.
    Progress progress() const;
    /// The verdict, once next() returned the end or the unreconciled error; nullopt before, and
    /// after any other error.
    const std::optional<Reconciliation>& reconciliation() const noexcept;

private:
    std::shared_ptr<detail::StreamCore> core_;
};

} // namespace ferry

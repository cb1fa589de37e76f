// SPDX-License-Identifier: Apache-2.0
// mapped_reader.cpp — maps batches on worker threads and hands them out in source order.
//
// Not a general thread pool: the source is read under one lock (streams are single-threaded),
// each worker maps the batch it took, and results wait in a small ordered window so memory
// stays bounded (at most 2 × threads batches in flight) and consumers see source order.
#include "ferry/mapped_reader.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace ferry {

BatchSource batch_source(BatchReader reader) {
    auto shared = std::make_shared<BatchReader>(std::move(reader));
    return [shared]() { return shared->next(); };
}

struct MappedReader::Impl {
    BatchSource source;
    Mapping mapping;
    int threads;

    std::int64_t read = 0;
    std::int64_t delivered = 0;
    std::int64_t rejected = 0;
    Status pending; // the reject policy's verdict, returned after the batch that crossed it
    bool finished = false;

    // Parallel mode only.
    std::mutex lock;
    std::condition_variable changed;
    std::vector<std::thread> workers;
    std::map<std::int64_t, Result<std::optional<Batch>>> done;
    std::int64_t next_take = 0;
    std::int64_t next_emit = 0;
    std::int64_t end_at = -1; // sequence number of the end (or of the error that ended it)
    bool stopping = false;

    Impl(BatchSource s, Mapping m, int t)
        : source(std::move(s))
        , mapping(std::move(m))
        , threads(t) {}

    Result<std::optional<Batch>> map_next_inline() {
        FERRY_ASSIGN_OR_RETURN(std::optional<Batch> batch, source());
        if (!batch) {
            return std::optional<Batch>();
        }
        FERRY_ASSIGN_OR_RETURN(Batch mapped, mapping.apply(*batch));
        return std::optional<Batch>(std::move(mapped));
    }

    void work() {
        std::unique_lock<std::mutex> guard(lock);
        while (true) {
            changed.wait(guard, [&] {
                return stopping || end_at >= 0 || next_take - next_emit < 2 * threads;
            });
            if (stopping || end_at >= 0) {
                return;
            }
            const std::int64_t sequence = next_take++;
            Result<std::optional<Batch>> input = source(); // under the lock: one reader
            if (!input.ok() || !*input) {
                end_at = sequence;
                done.emplace(sequence, std::move(input));
                changed.notify_all();
                return;
            }
            guard.unlock();
            Result<Batch> mapped = mapping.apply(**input);
            Result<std::optional<Batch>> result =
                mapped.ok() ? Result<std::optional<Batch>>(std::optional<Batch>(std::move(*mapped)))
                            : Result<std::optional<Batch>>(std::move(mapped).status());
            guard.lock();
            done.emplace(sequence, std::move(result));
            changed.notify_all();
        }
    }

    Result<std::optional<Batch>> map_next_parallel() {
        std::unique_lock<std::mutex> guard(lock);
        if (workers.empty()) {
            for (int idx = 0; idx < threads; ++idx) {
                workers.emplace_back([this] { work(); });
            }
        }
        changed.wait(guard, [&] { return done.contains(next_emit); });
        const auto it = done.find(next_emit);
        Result<std::optional<Batch>> result = std::move(it->second);
        done.erase(it);
        ++next_emit;
        changed.notify_all();
        return result;
    }

    void stop() {
        {
            std::lock_guard<std::mutex> guard(lock);
            stopping = true;
        }
        changed.notify_all();
        for (std::thread& worker : workers) {
            worker.join();
        }
        workers.clear();
    }

    void account(const Batch& batch) {
        read += batch.records_read();
        delivered += batch.num_rows();
        rejected += static_cast<std::int64_t>(batch.rejects().size());
        const RejectPolicy& policy = mapping.reject_policy();
        if (policy.max_count && rejected > *policy.max_count) {
            pending =
                Status::data("reject limit exceeded: " + std::to_string(rejected) +
                             " records rejected, mapping " + mapping.id() + " allows at most " +
                             std::to_string(*policy.max_count) + " (rejects.max_count)");
        } else if (policy.max_ratio && read >= policy.min_records &&
                   static_cast<double>(rejected) > *policy.max_ratio * static_cast<double>(read)) {
            pending = Status::data("reject limit exceeded: " + std::to_string(rejected) + " of " +
                                   std::to_string(read) + " records rejected, mapping " +
                                   mapping.id() + " allows a ratio of " +
                                   std::to_string(*policy.max_ratio) + " (rejects.max_ratio)");
        }
    }
};

MappedReader::MappedReader(BatchSource source, Mapping mapping, int threads)
    : impl_(std::make_unique<Impl>(std::move(source), std::move(mapping), threads)) {}

MappedReader::MappedReader(MappedReader&&) noexcept = default;
MappedReader& MappedReader::operator=(MappedReader&&) noexcept = default;

MappedReader::~MappedReader() {
    if (impl_) {
        impl_->stop();
    }
}

Result<std::optional<Batch>> MappedReader::next() {
    Impl& impl = *impl_;
    if (impl.finished) {
        return std::optional<Batch>();
    }
    if (!impl.pending.ok()) {
        impl.finished = true;
        impl.stop();
        return std::move(impl.pending);
    }
    Result<std::optional<Batch>> result =
        impl.threads > 1 ? impl.map_next_parallel() : impl.map_next_inline();
    if (!result.ok() || !*result) {
        impl.finished = true;
        impl.stop();
        return result;
    }
    impl.account(**result);
    return result;
}

std::int64_t MappedReader::records_read() const noexcept {
    return impl_->read;
}

std::int64_t MappedReader::records_delivered() const noexcept {
    return impl_->delivered;
}

std::int64_t MappedReader::records_rejected() const noexcept {
    return impl_->rejected;
}

} // namespace ferry

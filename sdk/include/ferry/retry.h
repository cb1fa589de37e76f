// SPDX-License-Identifier: Apache-2.0
// ferry/retry.h — retries with exponential backoff and jitter, and a circuit breaker.
//
// Contract: only StatusCode::Unavailable is transient (status.h); every other error is final and
// returned at once. Adapters use these around connects and remote calls; hosts use the breaker's
// state for health and metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

#include "ferry/status.h"

namespace ferry {

/// Exponential backoff with full jitter: the n-th wait is uniform in
/// [0, min(max, initial * multiplier^(n-1))], so many clients retrying together spread out.
struct BackoffPolicy {
    int max_attempts = 4; ///< including the first try; 1 means no retry
    std::chrono::milliseconds initial{100};
    std::chrono::milliseconds max{5000};
    double multiplier = 2.0;

    /// The wait after `failed_attempts` failures (>= 1), drawn with `random` (any 64-bit value):
    /// a pure function, so it is testable.
    std::chrono::milliseconds delay(int failed_attempts, std::uint64_t random) const;
};

/// Closed until `failure_threshold` consecutive failures, then open (allow() is false: callers
/// fail fast with Status::unavailable) for `cool_down`; then half-open: one probe is allowed, and
/// its outcome closes or re-opens the circuit. Thread-safe.
class CircuitBreaker {
public:
    enum class State { Closed, Open, HalfOpen };
    using Clock = std::chrono::steady_clock;

    explicit CircuitBreaker(int failure_threshold = 5,
                            std::chrono::milliseconds cool_down = std::chrono::seconds(30));

    /// True when a call may go ahead now.
    bool allow();
    void record_success();
    void record_failure();
    State state() const;
    /// "closed", "open" or "half_open" (for metrics and health output).
    static const char* name(State state) noexcept;

    /// For tests: the clock the breaker reads (default Clock::now).
    void set_clock(std::function<Clock::time_point()> now);

private:
    mutable std::mutex mutex_;
    int failure_threshold_;
    std::chrono::milliseconds cool_down_;
    int consecutive_failures_ = 0;
    State state_ = State::Closed;
    bool probe_in_flight_ = false;
    Clock::time_point opened_at_{};
    std::function<Clock::time_point()> now_;
};

/// Runs `op` until it returns OK or an error that is not Unavailable, or the policy's attempts
/// run out (then the last error, its message prefixed with the attempt count). Sleeps between
/// attempts; adds the number of retries to *retries when given.
Status
retry(const BackoffPolicy& policy, const std::function<Status()>& op, int* retries = nullptr);

} // namespace ferry

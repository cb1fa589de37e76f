// SPDX-License-Identifier: Apache-2.0
// rate_limiter.h — per-consumer token buckets (requests per second with a burst) and daily
// record quotas (UTC days).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "consumers.h"

namespace ferry::bridge {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    /// True when the consumer may make a request now (takes one token); otherwise
    /// `retry_after_seconds` says when the next token is due.
    bool allow_request(const Consumer& consumer, Clock::time_point now, int& retry_after_seconds);
    /// Records the consumer may still receive today (INT64_MAX when unlimited).
    std::int64_t remaining_quota(const Consumer& consumer, std::int64_t utc_day);
    void add_delivered(const Consumer& consumer, std::int64_t utc_day, std::int64_t records);

    static std::int64_t utc_day_now();

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
        bool started = false;
    };

    struct Quota {
        std::int64_t day = -1;
        std::int64_t delivered = 0;
    };

    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
    std::map<std::string, Quota> quotas_;
};

} // namespace ferry::bridge

// SPDX-License-Identifier: Apache-2.0
// rate_limiter.cpp — token buckets and daily quotas.
#include "rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ferry::bridge {

bool RateLimiter::allow_request(const Consumer& consumer,
                                Clock::time_point now,
                                int& retry_after_seconds) {
    const RateLimit& rate = consumer.rate;
    if (rate.requests_per_second <= 0) {
        return true;
    }
    std::lock_guard lock(mutex_);
    Bucket& bucket = buckets_[consumer.id];
    if (!bucket.started) {
        bucket.tokens = rate.burst;
        bucket.updated = now;
        bucket.started = true;
    }
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(rate.burst, bucket.tokens + elapsed * rate.requests_per_second);
    bucket.updated = now;
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return true;
    }
    retry_after_seconds =
        std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / rate.requests_per_second)));
    return false;
}

std::int64_t RateLimiter::remaining_quota(const Consumer& consumer, std::int64_t utc_day) {
    if (consumer.rate.daily_records <= 0) {
        return std::numeric_limits<std::int64_t>::max();
    }
    std::lock_guard lock(mutex_);
    Quota& quota = quotas_[consumer.id];
    if (quota.day != utc_day) {
        quota = Quota{utc_day, 0};
    }
    return std::max<std::int64_t>(0, consumer.rate.daily_records - quota.delivered);
}

void RateLimiter::add_delivered(const Consumer& consumer,
                                std::int64_t utc_day,
                                std::int64_t records) {
    if (consumer.rate.daily_records <= 0) {
        return;
    }
    std::lock_guard lock(mutex_);
    Quota& quota = quotas_[consumer.id];
    if (quota.day != utc_day) {
        quota = Quota{utc_day, 0};
    }
    quota.delivered += records;
}

std::int64_t RateLimiter::utc_day_now() {
    return std::chrono::duration_cast<std::chrono::days>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace ferry::bridge

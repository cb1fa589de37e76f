// SPDX-License-Identifier: Apache-2.0
// retry.cpp — backoff delays, the circuit breaker's state machine, and the retry loop.
#include "ferry/retry.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <thread>
#include <utility>

namespace ferry {

std::chrono::milliseconds BackoffPolicy::delay(int failed_attempts, std::uint64_t random) const {
    const int exponent = std::max(0, failed_attempts - 1);
    const double ceiling_ms =
        std::min(static_cast<double>(max.count()),
                 static_cast<double>(initial.count()) * std::pow(multiplier, exponent));
    const auto ceiling = static_cast<std::uint64_t>(std::max(0.0, ceiling_ms));
    return std::chrono::milliseconds(static_cast<std::int64_t>(random % (ceiling + 1)));
}

CircuitBreaker::CircuitBreaker(int failure_threshold, std::chrono::milliseconds cool_down)
    : failure_threshold_(std::max(1, failure_threshold))
    , cool_down_(cool_down)
    , now_([] { return Clock::now(); }) {}

bool CircuitBreaker::allow() {
    const std::lock_guard lock(mutex_);
    switch (state_) {
    case State::Closed:
        return true;
    case State::Open:
        if (now_() - opened_at_ < cool_down_) {
            return false;
        }
        state_ = State::HalfOpen;
        probe_in_flight_ = true;
        return true;
    case State::HalfOpen:
        if (probe_in_flight_) {
            return false; // one probe at a time
        }
        probe_in_flight_ = true;
        return true;
    }
    return false;
}

void CircuitBreaker::record_success() {
    const std::lock_guard lock(mutex_);
    consecutive_failures_ = 0;
    probe_in_flight_ = false;
    state_ = State::Closed;
}

void CircuitBreaker::record_failure() {
    const std::lock_guard lock(mutex_);
    probe_in_flight_ = false;
    ++consecutive_failures_;
    if (state_ == State::HalfOpen || consecutive_failures_ >= failure_threshold_) {
        state_ = State::Open;
        opened_at_ = now_();
    }
}

CircuitBreaker::State CircuitBreaker::state() const {
    const std::lock_guard lock(mutex_);
    return state_;
}

const char* CircuitBreaker::name(State state) noexcept {
    switch (state) {
    case State::Closed:
        return "closed";
    case State::Open:
        return "open";
    case State::HalfOpen:
        return "half_open";
    }
    return "unknown";
}

void CircuitBreaker::set_clock(std::function<Clock::time_point()> now) {
    const std::lock_guard lock(mutex_);
    now_ = std::move(now);
}

Status retry(const BackoffPolicy& policy, const std::function<Status()>& op, int* retries) {
    thread_local std::mt19937_64 random{std::random_device{}()};
    const int attempts = std::max(1, policy.max_attempts);
    for (int attempt = 1;; ++attempt) {
        Status status = op();
        if (status.ok() || status.code() != StatusCode::Unavailable) {
            return status;
        }
        if (attempt >= attempts) {
            return std::move(status).with_context("after " + std::to_string(attempt) + " attempts");
        }
        if (retries != nullptr) {
            ++*retries;
        }
        std::this_thread::sleep_for(policy.delay(attempt, random()));
    }
}

} // namespace ferry

// SPDX-License-Identifier: Apache-2.0
// retry_test.cpp — backoff delays, the circuit breaker's states, and which errors are retried.
#include <chrono>

#include <catch2/catch.hpp>

#include "ferry/retry.h"

using namespace std::chrono_literals;
using ferry::BackoffPolicy;
using ferry::CircuitBreaker;
using ferry::Status;

TEST_CASE("Backoff grows exponentially up to its ceiling, with full jitter", "[retry]") {
    BackoffPolicy policy;
    policy.initial = 100ms;
    policy.max = 1000ms;
    const std::uint64_t top = ~std::uint64_t{0};
    CHECK(policy.delay(1, 0) == 0ms);
    CHECK(policy.delay(1, 100) == 100ms);
    CHECK(policy.delay(2, 200) == 200ms);
    CHECK(policy.delay(3, 400) == 400ms);
    CHECK(policy.delay(10, 1000) == 1000ms); // capped at max
    for (int attempt = 1; attempt < 20; ++attempt) {
        CHECK(policy.delay(attempt, top) <= 1000ms);
    }
}

TEST_CASE("retry repeats only Unavailable, and says how many attempts it made", "[retry]") {
    BackoffPolicy policy;
    policy.max_attempts = 3;
    policy.initial = 1ms;
    policy.max = 2ms;

    int calls = 0;
    int retries = 0;
    Status status = ferry::retry(
        policy,
        [&] {
            ++calls;
            return calls < 3 ? Status::unavailable("connection reset") : Status();
        },
        &retries);
    CHECK(status.ok());
    CHECK(calls == 3);
    CHECK(retries == 2);

    calls = 0;
    status = ferry::retry(policy, [&] {
        ++calls;
        return Status::unavailable("connection refused");
    });
    CHECK(calls == 3);
    CHECK(status.code() == ferry::StatusCode::Unavailable);
    CHECK(status.message() == "after 3 attempts: connection refused");

    calls = 0;
    status = ferry::retry(policy, [&] {
        ++calls;
        return Status::unauthorized("bad password");
    });
    CHECK(calls == 1); // final errors are never retried
    CHECK(status.code() == ferry::StatusCode::Unauthorized);
}

TEST_CASE("CircuitBreaker opens, cools down, probes once and closes", "[retry]") {
    CircuitBreaker breaker(3, 10s);
    auto now = CircuitBreaker::Clock::time_point{} + 1h;
    breaker.set_clock([&] { return now; });

    CHECK(breaker.state() == CircuitBreaker::State::Closed);
    breaker.record_failure();
    breaker.record_failure();
    breaker.record_success(); // a success resets the run of failures
    breaker.record_failure();
    breaker.record_failure();
    CHECK(breaker.allow());
    breaker.record_failure();
    CHECK(breaker.state() == CircuitBreaker::State::Open);
    CHECK_FALSE(breaker.allow());

    now += 11s;
    CHECK(breaker.allow()); // the probe
    CHECK(breaker.state() == CircuitBreaker::State::HalfOpen);
    CHECK_FALSE(breaker.allow()); // only one probe at a time
    breaker.record_failure();
    CHECK(breaker.state() == CircuitBreaker::State::Open);
    CHECK_FALSE(breaker.allow());

    now += 11s;
    CHECK(breaker.allow());
    breaker.record_success();
    CHECK(breaker.state() == CircuitBreaker::State::Closed);
    CHECK(breaker.allow());
    CHECK(std::string(CircuitBreaker::name(CircuitBreaker::State::HalfOpen)) == "half_open");
}

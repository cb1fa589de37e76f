// SPDX-License-Identifier: Apache-2.0
// metrics.h — the bridge's counters, gauges and latency histograms, rendered as Prometheus
// text exposition (format 0.0.4).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/reconciliation.h"
#include "ferry/status.h"

namespace ferry::bridge {

class Metrics {
public:
    /// One finished request.
    void observe_request(const std::string& route,
                         const std::string& dataset,
                         const std::string& consumer,
                         int status,
                         double seconds);
    void add_records(const std::string& dataset,
                     std::int64_t delivered,
                     std::int64_t rejected,
                     std::int64_t skipped = 0);
    /// A record stream that read to its source's end, by the source's verdict.
    void add_stream_verdict(const std::string& dataset, Verdict verdict);
    void add_source_error(const std::string& dataset);
    /// How a request that reached the dataset's source ended for the source: OK, or an outage
    /// (unavailable, I/O). Drives the health /readyz shows and ferry_bridge_source_up.
    void note_source(const std::string& dataset, const Status& outcome);
    /// Per dataset whose source was reached: errors in a row, the last error and when, the
    /// breaker, and "ok" / "failing".
    nlohmann::json source_health() const;
    void add_source_retries(const std::string& dataset, std::int64_t retries);
    /// 0 closed, 1 open, 2 half-open.
    void set_circuit_state(const std::string& dataset, int state);
    void stream_started();
    void stream_finished();
    std::int64_t streams_in_flight() const;

    std::string render() const;

private:
    static constexpr std::array<double, 13> kBuckets{
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> counts{};
        std::uint64_t count = 0;
        double sum = 0;
    };

    mutable std::mutex mutex_;
    std::map<std::string, std::uint64_t> requests_; ///< label set -> count
    std::map<std::string, Histogram> latency_;      ///< route -> histogram
    std::map<std::string, std::int64_t> delivered_;
    std::map<std::string, std::int64_t> rejected_;
    std::map<std::string, std::int64_t> skipped_;
    /// dataset -> streams ended reconciled, unreconciled, unverified (Verdict order)
    std::map<std::string, std::array<std::int64_t, 3>> verdicts_;
    std::map<std::string, std::int64_t> source_errors_;
    std::map<std::string, std::int64_t> source_retries_;
    std::map<std::string, int> circuit_;

    struct SourceHealth {
        std::int64_t errors_in_a_row = 0;
        std::string last_error;
        std::chrono::system_clock::time_point last_error_at{};
    };

    std::map<std::string, SourceHealth> health_;
    std::int64_t in_flight_ = 0;
};

/// Escapes a Prometheus label value.
std::string prometheus_label(const std::string& value);

} // namespace ferry::bridge

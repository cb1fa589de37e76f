// SPDX-License-Identifier: Apache-2.0
// metrics.cpp — Prometheus text rendering of the bridge's metrics.
#include "metrics.h"

#include <sstream>

namespace ferry::bridge {

std::string prometheus_label(const std::string& value) {
    std::string out;
    for (const char ch : value) {
        if (ch == '\\' || ch == '"') {
            out += '\\';
            out += ch;
        } else if (ch == '\n') {
            out += "\\n";
        } else {
            out += ch;
        }
    }
    return out;
}

void Metrics::observe_request(const std::string& route,
                              const std::string& dataset,
                              const std::string& consumer,
                              int status,
                              double seconds) {
    const std::string labels = "route=\"" + prometheus_label(route) + "\",dataset=\"" +
                               prometheus_label(dataset) + "\",consumer=\"" +
                               prometheus_label(consumer) + "\",status=\"" +
                               std::to_string(status) + "\"";
    std::lock_guard lock(mutex_);
    ++requests_[labels];
    Histogram& histogram = latency_[route];
    for (std::size_t idx = 0; idx < kBuckets.size(); ++idx) {
        if (seconds <= kBuckets[idx]) {
            ++histogram.counts[idx];
        }
    }
    ++histogram.count;
    histogram.sum += seconds;
}

void Metrics::add_records(const std::string& dataset,
                          std::int64_t delivered,
                          std::int64_t rejected,
                          std::int64_t skipped) {
    std::lock_guard lock(mutex_);
    delivered_[dataset] += delivered;
    rejected_[dataset] += rejected;
    skipped_[dataset] += skipped;
}

void Metrics::add_stream_verdict(const std::string& dataset, Verdict verdict) {
    std::lock_guard lock(mutex_);
    ++verdicts_[dataset][static_cast<std::size_t>(verdict)];
}

void Metrics::add_source_error(const std::string& dataset) {
    std::lock_guard lock(mutex_);
    ++source_errors_[dataset];
}

void Metrics::note_source(const std::string& dataset, const Status& outcome) {
    std::lock_guard lock(mutex_);
    SourceHealth& health = health_[dataset];
    if (outcome.ok()) {
        health.errors_in_a_row = 0;
        return;
    }
    ++source_errors_[dataset];
    ++health.errors_in_a_row;
    health.last_error = outcome.message();
    health.last_error_at = std::chrono::system_clock::now();
}

nlohmann::json Metrics::source_health() const {
    std::lock_guard lock(mutex_);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [dataset, health] : health_) {
        const auto found = circuit_.find(dataset);
        const int circuit = found == circuit_.end() ? 0 : found->second;
        nlohmann::json entry = {
            {"state", health.errors_in_a_row == 0 && circuit == 0 ? "ok" : "failing"},
            {"errors_in_a_row", health.errors_in_a_row},
            {"circuit", circuit == 0   ? "closed"
                        : circuit == 1 ? "open"
                                       : "half_open"},
            {"last_error",
             health.last_error.empty() ? nlohmann::json() : nlohmann::json(health.last_error)}};
        if (!health.last_error.empty()) {
            entry["last_error_at"] = std::chrono::duration_cast<std::chrono::seconds>(
                                         health.last_error_at.time_since_epoch())
                                         .count();
        }
        out[dataset] = std::move(entry);
    }
    return out;
}

void Metrics::add_source_retries(const std::string& dataset, std::int64_t retries) {
    std::lock_guard lock(mutex_);
    source_retries_[dataset] += retries;
}

void Metrics::set_circuit_state(const std::string& dataset, int state) {
    std::lock_guard lock(mutex_);
    circuit_[dataset] = state;
}

void Metrics::stream_started() {
    std::lock_guard lock(mutex_);
    ++in_flight_;
}

void Metrics::stream_finished() {
    std::lock_guard lock(mutex_);
    --in_flight_;
}

std::int64_t Metrics::streams_in_flight() const {
    std::lock_guard lock(mutex_);
    return in_flight_;
}

std::string Metrics::render() const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    out << "# HELP ferry_bridge_requests_total HTTP requests by route, dataset, consumer and "
           "status.\n# TYPE ferry_bridge_requests_total counter\n";
    for (const auto& [labels, count] : requests_) {
        out << "ferry_bridge_requests_total{" << labels << "} " << count << '\n';
    }
    out << "# HELP ferry_bridge_request_duration_seconds Request latency (to the last byte).\n"
           "# TYPE ferry_bridge_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : latency_) {
        const std::string label = "route=\"" + prometheus_label(route) + "\"";
        for (std::size_t idx = 0; idx < kBuckets.size(); ++idx) {
            out << "ferry_bridge_request_duration_seconds_bucket{" << label << ",le=\""
                << kBuckets[idx] << "\"} " << histogram.counts[idx] << '\n';
        }
        out << "ferry_bridge_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} "
            << histogram.count << '\n'
            << "ferry_bridge_request_duration_seconds_sum{" << label << "} " << histogram.sum
            << '\n'
            << "ferry_bridge_request_duration_seconds_count{" << label << "} " << histogram.count
            << '\n';
    }
    const auto family = [&out](const char* name, const char* help, const char* type,
                               const auto& values) {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
        for (const auto& [dataset, value] : values) {
            out << name << "{dataset=\"" << prometheus_label(dataset) << "\"} " << value << '\n';
        }
    };
    family("ferry_bridge_records_delivered_total", "Records delivered to consumers.", "counter",
           delivered_);
    family("ferry_bridge_records_rejected_total", "Source records rejected (quarantined).",
           "counter", rejected_);
    family("ferry_bridge_records_skipped_total",
           "Source records skipped by the source's rules (no record there, e.g. a vacant slot).",
           "counter", skipped_);
    out << "# HELP ferry_bridge_stream_verdicts_total Record streams that read to their source's "
           "end, by the source's verdict.\n# TYPE ferry_bridge_stream_verdicts_total counter\n";
    for (const auto& [dataset, counts] : verdicts_) {
        // Every verdict of a dataset is written, zeros too, so rates and alerts see the series.
        for (const Verdict verdict :
             {Verdict::Reconciled, Verdict::Unreconciled, Verdict::Unverified}) {
            out << "ferry_bridge_stream_verdicts_total{dataset=\"" << prometheus_label(dataset)
                << "\",verdict=\"" << to_string(verdict) << "\"} "
                << counts[static_cast<std::size_t>(verdict)] << '\n';
        }
    }
    family("ferry_bridge_source_errors_total", "Source errors that ended a request.", "counter",
           source_errors_);
    family("ferry_bridge_source_retries_total", "Retries of transient source failures.", "counter",
           source_retries_);
    family("ferry_bridge_circuit_state", "Source circuit breaker: 0 closed, 1 open, 2 half-open.",
           "gauge", circuit_);
    std::map<std::string, std::int64_t> up;
    std::map<std::string, std::int64_t> in_a_row;
    for (const auto& [dataset, health] : health_) {
        const auto found = circuit_.find(dataset);
        const bool closed = found == circuit_.end() || found->second == 0;
        up[dataset] = health.errors_in_a_row == 0 && closed ? 1 : 0;
        in_a_row[dataset] = health.errors_in_a_row;
    }
    family("ferry_bridge_source_up",
           "1 when the last request that reached the dataset's source succeeded and its breaker "
           "is closed.",
           "gauge", up);
    family("ferry_bridge_source_errors_in_a_row",
           "Source outages (unavailable, I/O) in a row since the last success.", "gauge", in_a_row);
    out << "# HELP ferry_bridge_streams_in_flight Record streams being served.\n"
           "# TYPE ferry_bridge_streams_in_flight gauge\nferry_bridge_streams_in_flight "
        << in_flight_ << '\n';
    return out.str();
}

} // namespace ferry::bridge

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
    out << "# HELP ferry_bridge_streams_in_flight Record streams being served.\n"
           "# TYPE ferry_bridge_streams_in_flight gauge\nferry_bridge_streams_in_flight "
        << in_flight_ << '\n';
    return out.str();
}

} // namespace ferry::bridge

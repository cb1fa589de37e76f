// SPDX-License-Identifier: Apache-2.0
// accounting.cpp — a stream's source accounting and its JSON report.
#include "ferry/plugin/accounting.h"

#include <algorithm>
#include <utility>

namespace ferry::plugin {

namespace {

void declare(std::vector<StreamReport::Declared>& known, StreamReport::Declared declared) {
    const auto same = std::find_if(known.begin(), known.end(), [&](const auto& figure) {
        return figure.figure == declared.figure && figure.subject == declared.subject;
    });
    if (same != known.end()) {
        *same = std::move(declared);
    } else {
        known.push_back(std::move(declared));
    }
}

} // namespace

void StreamAccounting::declare_records(std::int64_t count,
                                       std::string by,
                                       std::string segment,
                                       bool includes_skipped) {
    declare(report_.declared, {"records", std::move(segment), std::to_string(count), std::move(by),
                               includes_skipped});
}

void StreamAccounting::declare_sum(std::string column, Decimal sum, std::string by) {
    declare(report_.declared, {"sum", std::move(column), sum.to_string(), std::move(by), false});
}

void StreamAccounting::declare_bytes(std::int64_t size, std::string by) {
    declare(report_.declared, {"bytes", {}, std::to_string(size), std::move(by), false});
}

void StreamAccounting::count_segment(std::string_view segment, std::int64_t records) {
    report_.segments[std::string(segment)] += records;
}

Status StreamAccounting::add_to_sum(std::string_view column, const Decimal& value) {
    auto found = sums_.find(column);
    if (found == sums_.end()) {
        found = sums_.emplace(std::string(column), Decimal::from_int64(0)).first;
    }
    Result<Decimal> total = found->second.add(value);
    if (!total.ok()) {
        return Status::data("the running total of \"" + std::string(column) +
                            "\" no longer fits: " + total.status().message());
    }
    found->second = *total;
    return {};
}

void StreamAccounting::observe_sum(std::string_view column, const Decimal& total) {
    const auto found = sums_.find(column);
    if (found != sums_.end()) {
        found->second = total;
    } else {
        sums_.emplace(std::string(column), total);
    }
}

void StreamAccounting::set_expected_total(std::optional<std::int64_t> records,
                                          std::optional<std::int64_t> bytes) {
    report_.records_total = records;
    report_.bytes_total = bytes;
}

void StreamAccounting::count_skipped(const std::string& reason, std::int64_t records) {
    report_.skipped[reason] += records;
}

nlohmann::json StreamAccounting::to_json() const {
    StreamReport report = report_;
    for (const auto& [column, total] : sums_) {
        report.sums[column] = total.to_string();
    }
    return report.to_json();
}

} // namespace ferry::plugin

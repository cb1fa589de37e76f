// SPDX-License-Identifier: Apache-2.0
// quarantine.h — the rejects each dataset's pulls met, kept for operators: record number,
// field, rule, reason and location; never the raw value (reasons never quote values either).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "ferry/plugin_abi.h"

namespace ferry::bridge {

class Quarantine {
public:
    explicit Quarantine(std::int64_t per_dataset)
        : per_dataset_(per_dataset) {}

    /// Keeps one entry per (dataset, record number); the lowest record numbers when full.
    void add(const std::string& dataset, const FerryReject& reject);

    /// {"dataset", "rejects": [...], "count", "truncated"} with record numbers > `after`, at
    /// most `limit` of them, in record order.
    nlohmann::json list(const std::string& dataset, std::int64_t after, std::int64_t limit) const;

private:
    struct Entry {
        std::string field, rule, reason, location, status;
    };

    std::int64_t per_dataset_;
    mutable std::mutex mutex_;
    std::map<std::string, std::map<std::int64_t, Entry>> entries_;
    std::map<std::string, bool> truncated_;
};

} // namespace ferry::bridge

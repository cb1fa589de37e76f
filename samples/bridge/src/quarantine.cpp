// SPDX-License-Identifier: Apache-2.0
// quarantine.cpp — bounded per-dataset reject store.
#include "quarantine.h"

#include "ferry/status.h"

namespace ferry::bridge {

void Quarantine::add(const std::string& dataset, const FerryReject& reject) {
    if (per_dataset_ <= 0) {
        return;
    }
    std::lock_guard lock(mutex_);
    auto& entries = entries_[dataset];
    if (entries.contains(reject.record_no)) {
        return;
    }
    if (static_cast<std::int64_t>(entries.size()) >= per_dataset_) {
        truncated_[dataset] = true;
        if (reject.record_no > entries.rbegin()->first) {
            return;
        }
        entries.erase(std::prev(entries.end()));
    }
    const auto text = [](const char* value) { return value == nullptr ? std::string() : value; };
    entries.emplace(reject.record_no,
                    Entry{text(reject.field), text(reject.rule), text(reject.reason),
                          text(reject.location),
                          status_code_name(static_cast<StatusCode>(reject.code))});
}

nlohmann::json
Quarantine::list(const std::string& dataset, std::int64_t after, std::int64_t limit) const {
    std::lock_guard lock(mutex_);
    nlohmann::json rejects = nlohmann::json::array();
    std::int64_t total = 0;
    if (const auto found = entries_.find(dataset); found != entries_.end()) {
        total = static_cast<std::int64_t>(found->second.size());
        for (auto it = found->second.upper_bound(after);
             it != found->second.end() && static_cast<std::int64_t>(rejects.size()) < limit; ++it) {
            nlohmann::json item{{"record_no", it->first},
                                {"reason", it->second.reason},
                                {"code", it->second.status}};
            item["field"] =
                it->second.field.empty() ? nlohmann::json() : nlohmann::json(it->second.field);
            item["rule"] =
                it->second.rule.empty() ? nlohmann::json() : nlohmann::json(it->second.rule);
            item["location"] = it->second.location.empty() ? nlohmann::json()
                                                           : nlohmann::json(it->second.location);
            rejects.push_back(std::move(item));
        }
    }
    const auto truncated = truncated_.find(dataset);
    return {{"dataset", dataset},
            {"rejects", std::move(rejects)},
            {"held", total},
            {"truncated", truncated != truncated_.end() && truncated->second}};
}

} // namespace ferry::bridge

// SPDX-License-Identifier: Apache-2.0
// usage.cpp — the usage report over the audit log's segments (see usage.h).
#include "usage.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>

#include "ferry/date.h"

#include "audit_chain.h"

namespace ferry::bridge {

namespace {

struct Use {
    std::int64_t calls = 0;
    std::int64_t records = 0;
    std::string last_use; ///< the audit line's time

    void add(std::int64_t count, const std::string& time) {
        ++calls;
        records += count;
        last_use = std::max(last_use, time);
    }

    nlohmann::json to_json() const {
        return {{"calls", calls}, {"records", records}, {"last_use", last_use}};
    }
};

// The closed segments in chain order, then the active file.
std::vector<std::filesystem::path> segments_of(const std::filesystem::path& file) {
    std::vector<std::pair<std::int64_t, std::filesystem::path>> closed;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(file.parent_path(), error)) {
        const std::int64_t first = audit::segment_number(file, entry.path().filename().string());
        if (first >= 0) {
            closed.emplace_back(first, entry.path());
        }
    }
    std::sort(closed.begin(), closed.end());
    std::vector<std::filesystem::path> out;
    for (auto& [first, path] : closed) {
        out.push_back(std::move(path));
    }
    if (std::filesystem::exists(file, error)) {
        out.push_back(file);
    }
    return out;
}

std::vector<std::string> string_list(const nlohmann::json& value) {
    std::vector<std::string> out;
    if (value.is_array()) {
        for (const auto& item : value) {
            if (item.is_string()) {
                out.push_back(item.get<std::string>());
            }
        }
    }
    return out;
}

} // namespace

Status check_day(const std::string& day, const std::string& what) {
    if (day.size() != 10 || !Date::parse_iso(day).ok()) {
        return Status::invalid_argument("parameter \"" + what + "\" must be a day, YYYY-MM-DD")
            .with_field(what);
    }
    return {};
}

std::string add_days(const std::string& day, int days) {
    const Result<Date> parsed = Date::parse_iso(day);
    return parsed.ok() ? Date::from_days(parsed->days_since_epoch() + days).to_string() : day;
}

std::string utc_today() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return Date::from_days(static_cast<std::int32_t>(
                               std::chrono::duration_cast<std::chrono::days>(now).count()))
        .to_string();
}

Result<nlohmann::json> usage_report(const std::filesystem::path& audit_file,
                                    const ConsumerRegistry& consumers,
                                    const std::vector<std::string>& datasets,
                                    const UsageQuery& query) {
    FERRY_RETURN_IF_ERROR(check_day(query.from, "from"));
    FERRY_RETURN_IF_ERROR(check_day(query.to, "to"));
    std::map<std::pair<std::string, std::string>, Use> by_grant; // consumer, dataset
    std::map<std::pair<std::string, std::string>, std::map<std::string, Use>> by_field;
    std::map<std::pair<std::string, std::string>, std::string> last_use_ever;
    std::int64_t lines = 0;
    std::int64_t unreadable = 0;
    for (const std::filesystem::path& segment : segments_of(audit_file)) {
        std::ifstream in(segment);
        for (std::string line; std::getline(in, line);) {
            ++lines;
            const nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
            if (!event.is_object() || !event.contains("time") || !event["time"].is_string()) {
                ++unreadable;
                continue;
            }
            const std::string time = event["time"].get<std::string>();
            const std::string consumer = event.value("consumer", std::string());
            const std::string route = event.value("route", std::string());
            const bool ok = event.value("result", std::string()) == "ok";
            if (!ok || consumer.empty() || consumer == "-") {
                continue;
            }
            // What left: one (dataset, fields, records) for a pull or lookup, several for an
            // export (one line per export, a "datasets" array).
            std::vector<nlohmann::json> deliveries;
            if (route == "records" || route == "lookup") {
                deliveries.push_back(event);
            } else if (route == "export" && event.contains("datasets") &&
                       event["datasets"].is_array()) {
                deliveries.assign(event["datasets"].begin(), event["datasets"].end());
            }
            const bool in_window =
                time.compare(0, 10, query.from) >= 0 && time.compare(0, 10, query.to) < 0;
            for (const nlohmann::json& delivery : deliveries) {
                const std::string dataset = delivery.value("dataset", std::string());
                if (dataset.empty()) {
                    continue;
                }
                const std::pair key{consumer, dataset};
                std::string& ever = last_use_ever[key];
                ever = std::max(ever, time);
                if (!in_window) {
                    continue;
                }
                const std::int64_t records = delivery.value("records", std::int64_t{0});
                by_grant[key].add(records, time);
                for (const std::string& field :
                     string_list(delivery.value("fields", nlohmann::json()))) {
                    by_field[key][field].add(records, time);
                }
            }
        }
    }

    nlohmann::json usage = nlohmann::json::array();
    std::set<std::string> read_datasets;
    for (const auto& [key, use] : by_grant) {
        nlohmann::json entry = use.to_json();
        entry["consumer"] = key.first;
        entry["dataset"] = key.second;
        nlohmann::json fields = nlohmann::json::object();
        for (const auto& [field, field_use] : by_field[key]) {
            fields[field] = field_use.to_json();
        }
        entry["fields"] = std::move(fields);
        usage.push_back(std::move(entry));
        read_datasets.insert(key.second);
    }
    const std::string unused_since = add_days(query.today, -30);
    nlohmann::json unused = nlohmann::json::array();
    for (const Consumer& consumer : consumers.consumers()) {
        for (const Grant& grant : consumer.grants) {
            const auto found = last_use_ever.find({consumer.id, grant.dataset});
            const std::string last = found == last_use_ever.end() ? "" : found->second;
            if (last.compare(0, 10, unused_since) < 0) {
                unused.push_back(
                    {{"consumer", consumer.id},
                     {"dataset", grant.dataset},
                     {"last_use", last.empty() ? nlohmann::json() : nlohmann::json(last)}});
            }
        }
    }
    nlohmann::json unread = nlohmann::json::array();
    for (const std::string& dataset : datasets) {
        if (!read_datasets.contains(dataset)) {
            unread.push_back(dataset);
        }
    }
    return nlohmann::json{{"from", query.from},
                          {"to", query.to},
                          {"usage", std::move(usage)},
                          {"unused_grants_30_days", std::move(unused)},
                          {"unread_datasets", std::move(unread)},
                          {"audit_lines", lines},
                          {"unreadable_lines", unreadable}};
}

} // namespace ferry::bridge

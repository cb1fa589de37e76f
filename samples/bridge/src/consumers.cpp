// SPDX-License-Identifier: Apache-2.0
// consumers.cpp — parses the consumers file; API keys are never stored, only their SHA-256.
#include "consumers.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "ferry/json_schema.h"

#include "bridge_config.h"
#include "crypto.h"

namespace ferry::bridge {

namespace {

constexpr const char* kConsumersSchema = R"({
  "type": "object",
  "additionalProperties": false,
  "required": ["consumers"],
  "properties": {
    "$comment": {"type": "string"},
    "consumers": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "key_sha256"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "key_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
          "role": {"enum": ["consumer", "operator"]},
          "rate_limit": {
            "type": "object", "additionalProperties": false,
            "properties": {
              "requests_per_second": {"type": "number", "minimum": 0},
              "burst": {"type": "number", "minimum": 0},
              "daily_records": {"type": "integer", "minimum": 0}
            }
          },
          "grants": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": ["dataset"],
              "properties": {
                "dataset": {"type": "string"},
                "purpose": {"type": "string", "minLength": 1},
                "expires": {"type": "string"},
                "fields": {"oneOf": [{"const": "*"},
                                     {"type": "array", "items": {"type": "string"}}]},
                "clear": {"type": "array", "items": {"type": "string"}}
              }
            }
          }
        }
      }
    }
  }
})";

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * (month + (month > 2 ? -3U : 9U)) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parse_expiry(std::string_view text) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
    char tail = 0;
    const std::string copy(text);
    std::int64_t seconds = 0;
    if (copy.size() == 10 && std::sscanf(copy.c_str(), "%4d-%2u-%2u", &year, &month, &day) == 3) {
        seconds = (days_from_civil(year, month, day) + 1) * 86400; // through the whole day
    } else if (copy.size() == 20 &&
               std::sscanf(copy.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%c", &year, &month, &day, &hour,
                           &minute, &second, &tail) == 7 &&
               tail == 'Z') {
        seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    } else {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

std::string utc_now_iso() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                  parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                  static_cast<int>(millis));
    return text;
}

const Grant* Consumer::grant_for(std::string_view dataset) const noexcept {
    for (const Grant& grant : grants) {
        if (grant.dataset == dataset) {
            return &grant;
        }
    }
    return nullptr;
}

Result<ConsumerRegistry> ConsumerRegistry::parse(std::string_view text, const std::string& origin) {
    FERRY_ASSIGN_OR_RETURN(nlohmann::json doc, parse_json(text, origin));
    static const Result<JsonSchema> schema =
        JsonSchema::parse_text(kConsumersSchema, "consumers file");
    if (!schema.ok()) {
        return schema.status();
    }
    FERRY_RETURN_IF_ERROR(schema->validate(doc, origin));
    ConsumerRegistry registry;
    for (std::size_t idx = 0; idx < doc["consumers"].size(); ++idx) {
        const nlohmann::json& spec = doc["consumers"][idx];
        const std::string pointer = origin + ": /consumers/" + std::to_string(idx);
        Consumer consumer;
        consumer.id = spec["id"].get<std::string>();
        if (!valid_id(consumer.id)) {
            return Status::invalid_argument(pointer + "/id: consumer ids are ^[a-z][a-z0-9_-]*$");
        }
        if (registry.find(consumer.id) != nullptr) {
            return Status::invalid_argument(pointer + "/id: consumer \"" + consumer.id +
                                            "\" is declared twice");
        }
        consumer.name = spec.value("name", consumer.id);
        consumer.key_sha256 = spec["key_sha256"].get<std::string>();
        consumer.operator_role = spec.value("role", std::string("consumer")) == "operator";
        const nlohmann::json rate = spec.value("rate_limit", nlohmann::json::object());
        consumer.rate.requests_per_second = rate.value("requests_per_second", 0.0);
        consumer.rate.burst = rate.value("burst", std::max(1.0, consumer.rate.requests_per_second));
        consumer.rate.daily_records = rate.value("daily_records", std::int64_t{0});
        const nlohmann::json grants = spec.value("grants", nlohmann::json::array());
        for (std::size_t gidx = 0; gidx < grants.size(); ++gidx) {
            const nlohmann::json& g = grants[gidx];
            const std::string gpointer = pointer + "/grants/" + std::to_string(gidx);
            Grant grant;
            grant.dataset = g["dataset"].get<std::string>();
            if (consumer.grant_for(grant.dataset) != nullptr) {
                return Status::invalid_argument(gpointer + ": a second grant for dataset \"" +
                                                grant.dataset + "\"");
            }
            grant.purpose = g.value("purpose", std::string());
            if (g.contains("expires")) {
                grant.expires_text = g["expires"].get<std::string>();
                grant.expires = parse_expiry(grant.expires_text);
                if (!grant.expires) {
                    return Status::invalid_argument(gpointer + "/expires: \"" + grant.expires_text +
                                                    "\" is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
                }
            }
            if (grant.purpose.empty() != grant.expires_text.empty()) {
                return Status::invalid_argument(
                    gpointer + ": purpose and expires go together (有条件共享 data needs both)");
            }
            if (g.contains("fields") && g["fields"].is_array()) {
                grant.all_fields = false;
                for (const auto& field : g["fields"]) {
                    grant.fields.insert(field.get<std::string>());
                }
            }
            for (const auto& field : g.value("clear", nlohmann::json::array())) {
                grant.clear.insert(field.get<std::string>());
            }
            consumer.grants.push_back(std::move(grant));
        }
        if (registry.by_hash_.contains(consumer.key_sha256)) {
            return Status::invalid_argument(pointer + "/key_sha256: two consumers share a key");
        }
        registry.by_hash_.emplace(consumer.key_sha256, registry.consumers_.size());
        registry.consumers_.push_back(std::move(consumer));
    }
    return registry;
}

Result<ConsumerRegistry> ConsumerRegistry::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        return Status::not_found("consumers file not found: " + file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), file.string());
}

const Consumer* ConsumerRegistry::authenticate(std::string_view api_key) const {
    if (api_key.empty() || api_key.size() > 256) {
        return nullptr;
    }
    // The lookup goes by the key's hash, so no stored secret is compared byte by byte.
    const auto found = by_hash_.find(sha256_hex(api_key));
    return found == by_hash_.end() ? nullptr : &consumers_[found->second];
}

const Consumer* ConsumerRegistry::find(std::string_view id) const {
    for (const Consumer& consumer : consumers_) {
        if (consumer.id == id) {
            return &consumer;
        }
    }
    return nullptr;
}

} // namespace ferry::bridge

// SPDX-License-Identifier: Apache-2.0
// consumers.h — who may call the bridge: consumers with API keys (stored only as SHA-256
// hashes), rate limits, and grants per dataset and field.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/result.h"

namespace ferry::bridge {

/// One consumer's access to one dataset.
struct Grant {
    std::string dataset;
    /// 有条件共享 data leaves only under a grant that names both.
    std::string purpose;
    std::optional<std::chrono::system_clock::time_point> expires;
    bool all_fields = true;       ///< "fields": "*" (the default)
    std::set<std::string> fields; ///< otherwise these target fields only
    std::set<std::string> clear;  ///< sensitive fields delivered unmasked
    std::string expires_text;     ///< as written, for messages and the audit log

    /// Names a purpose and an expiry (whether or not that expiry has passed).
    bool conditional() const noexcept { return !purpose.empty() && expires.has_value(); }

    bool expired(std::chrono::system_clock::time_point now) const noexcept {
        return expires.has_value() && now >= *expires;
    }

    bool covers(const std::string& field) const { return all_fields || fields.contains(field); }
};

struct RateLimit {
    double requests_per_second = 0; ///< 0: unlimited
    double burst = 0;               ///< bucket size; default max(1, requests_per_second)
    std::int64_t daily_records = 0; ///< records delivered per UTC day; 0: unlimited
};

struct Consumer {
    std::string id;
    std::string name;
    std::string key_sha256;     ///< hex SHA-256 of the API key
    bool operator_role = false; ///< may read rejects, reload mappings
    RateLimit rate;
    std::vector<Grant> grants;

    const Grant* grant_for(std::string_view dataset) const noexcept;
};

/// The consumers file, loaded once (and again on reload). Immutable; share freely.
class ConsumerRegistry {
public:
    static Result<ConsumerRegistry> parse(std::string_view text, const std::string& origin);
    static Result<ConsumerRegistry> load(const std::filesystem::path& file);

    /// The consumer whose key hashes to the stored hash, or nullptr.
    const Consumer* authenticate(std::string_view api_key) const;
    const Consumer* find(std::string_view id) const;

    const std::vector<Consumer>& consumers() const noexcept { return consumers_; }

private:
    std::vector<Consumer> consumers_;
    std::map<std::string, std::size_t, std::less<>> by_hash_;
};

/// "2027-12-31" (valid through that UTC day) or "2027-12-31T12:00:00Z".
std::optional<std::chrono::system_clock::time_point> parse_expiry(std::string_view text);

/// Current time as "2026-11-29T20:21:32.123Z".
std::string utc_now_iso();

} // namespace ferry::bridge

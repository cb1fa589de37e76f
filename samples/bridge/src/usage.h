// SPDX-License-Identifier: Apache-2.0
// usage.h — who used what: calls, records and last use per consumer × dataset × field, computed
// from the audit log (every segment), so the figures survive restarts and match the record of
// what left. A sharing interface nobody calls is a failure however well it was built: the report
// also lists grants unused for 30 days and datasets nobody read.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

#include "consumers.h"

namespace ferry::bridge {

struct UsageQuery {
    std::string from;  ///< first UTC day counted, YYYY-MM-DD
    std::string to;    ///< first UTC day not counted, YYYY-MM-DD
    std::string today; ///< for "unused for 30 days", YYYY-MM-DD
};

/// Reads the audit log `audit_file` (its closed segments, then the active file) and aggregates
/// the successful record pulls, lookups and exports of [from, to). Lines that are not JSON are
/// counted in "unreadable_lines", never guessed at (`--verify-audit` says why).
Result<nlohmann::json> usage_report(const std::filesystem::path& audit_file,
                                    const ConsumerRegistry& consumers,
                                    const std::vector<std::string>& datasets,
                                    const UsageQuery& query);

/// Checks a YYYY-MM-DD day; InvalidArgument naming `what` otherwise.
Status check_day(const std::string& day, const std::string& what);

/// `day` moved by `days` (YYYY-MM-DD).
std::string add_days(const std::string& day, int days);

/// The UTC day today (YYYY-MM-DD).
std::string utc_today();

} // namespace ferry::bridge

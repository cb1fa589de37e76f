// SPDX-License-Identifier: Apache-2.0
// audit_log.h — the append-only audit trail: one JSON line per request (consumer, dataset,
// fields, record count, purpose, result), chained by SHA-256 so that editing, inserting or
// deleting a line breaks the chain at that line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

namespace ferry::bridge {

/// Line i holds "seq", "time", "prev" (line i-1's hash; 64 zeros for the first) and the event;
/// "hash" is the hex SHA-256 of the line's JSON without "hash" (keys sorted, compact).
class AuditLog {
public:
    /// Opens (creating) the file and continues the chain from its last line. A last line that
    /// does not parse is an error: the bridge refuses to extend a broken chain.
    static Result<std::unique_ptr<AuditLog>> open(const std::filesystem::path& file);

    /// Appends one event (an object; its "seq", "time", "prev", "hash" are overwritten) and
    /// flushes. Thread-safe.
    Status append(nlohmann::json event);

    std::int64_t lines() const;

private:
    explicit AuditLog(const std::filesystem::path& file)
        : out_(file, std::ios::app | std::ios::binary) {}

    mutable std::mutex mutex_;
    std::ofstream out_;
    std::string last_hash_;
    std::int64_t seq_ = 0;
};

struct AuditVerification {
    std::int64_t lines = 0;    ///< lines checked
    std::int64_t bad_line = 0; ///< 1-based first line that breaks the chain; 0 when intact
    std::string problem;       ///< what is wrong with it
};

/// Re-computes the chain of `file`. NotFound when the file does not exist.
Result<AuditVerification> verify_audit_log(const std::filesystem::path& file);

/// The hash of one line's event (without its "hash" member).
std::string audit_hash(const nlohmann::json& event_without_hash);

} // namespace ferry::bridge

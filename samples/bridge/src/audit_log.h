// SPDX-License-Identifier: Apache-2.0
// audit_log.h — the append-only audit trail: one JSON line per request (consumer, dataset,
// fields, record count, purpose, result), chained by SHA-256 so that editing, inserting or
// deleting a line breaks the chain at that line. Several processes (the daemon and an export)
// append to one chain; the log rotates into segments that chain to each other.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

namespace ferry::bridge {

/// When the active segment is closed and a new one begun. The closed segment keeps the file's
/// name with the first sequence number it holds: audit.jsonl -> audit.000000000001.jsonl.
struct AuditRotation {
    std::int64_t max_bytes = 64LL * 1024 * 1024; ///< 0: no size limit
    bool daily = true;                           ///< a new segment each UTC day
};

/// Line i holds "seq", "time", "prev" (line i-1's hash, across segments; 64 zeros for the
/// first) and the event; "hash" is the hex SHA-256 of the line's JSON without "hash" (keys
/// sorted, compact).
class AuditLog {
public:
    /// Opens (creating, 0600) the active segment and checks the chain's tail: the last lines
    /// must match their hashes and chain to each other (and to the previous segment when the
    /// active one is short). A broken tail is an error: the bridge refuses to extend it.
    static Result<std::unique_ptr<AuditLog>> open(const std::filesystem::path& file,
                                                  AuditRotation rotation = {});

    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    /// Appends one event (an object; its "seq", "time", "prev", "hash" are overwritten).
    /// Thread-safe, and safe beside other processes appending to the same file: each append
    /// takes an exclusive lock on `<file>.lock` and continues from the chain's tail as it is
    /// on disk, rotating first when the active segment is full or of an earlier day.
    Status append(nlohmann::json event);

    /// The sequence number of the last line this object wrote or saw.
    std::int64_t lines() const;

private:
    AuditLog(std::filesystem::path file, AuditRotation rotation);

    Status reopen_locked();
    Status sync_tail_locked();
    Status rotate_locked();

    const std::filesystem::path file_;
    const AuditRotation rotation_;
    mutable std::mutex mutex_;
    int fd_ = -1;      ///< the active segment, O_APPEND
    int lock_fd_ = -1; ///< `<file>.lock`, flock()ed around every append
    // What this object knows of the active segment; re-read when another process changed it.
    dev_t device_ = 0;
    ino_t inode_ = 0;
    std::int64_t size_ = -1;
    std::int64_t first_seq_ = 0; ///< of the active segment; 0 while it is empty
    std::string first_day_;      ///< UTC day (YYYY-MM-DD) of its first line
    std::string last_hash_;
    std::int64_t seq_ = 0;
};

struct AuditVerification {
    std::int64_t lines = 0;         ///< lines checked, over every segment
    std::int64_t segments = 0;      ///< files checked
    std::filesystem::path bad_file; ///< the segment holding bad_line
    std::int64_t bad_line = 0;      ///< 1-based line in bad_file that breaks the chain; 0: intact
    std::string problem;            ///< what is wrong with it
};

/// The segments of the audit log whose active file is `file`, oldest first: the closed ones
/// (`<stem>.<12-digit first seq><ext>` beside it) then `file` itself when it exists.
std::vector<std::filesystem::path> audit_segments(const std::filesystem::path& file);

/// Re-computes the chain over every segment of the log. `path` is the active file, or a folder
/// holding one log's segments (`audit.jsonl` when several logs are there). NotFound when there
/// is no segment.
Result<AuditVerification> verify_audit_log(const std::filesystem::path& path);

/// The hash of one line's event (without its "hash" member).
std::string audit_hash(const nlohmann::json& event_without_hash);

} // namespace ferry::bridge

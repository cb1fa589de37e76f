// SPDX-License-Identifier: Apache-2.0
// audit_chain.h — the audit log's files as the writer and the verifier both read them: one line
// checked against its hash, the tail of a segment, the names of closed segments.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/result.h"

namespace ferry::bridge::audit {

inline const std::string kGenesis(64, '0');

/// One line's place in the chain.
struct Link {
    std::int64_t seq = 0;
    std::string prev;
    std::string hash;
    std::string day; ///< YYYY-MM-DD of "time", empty when absent
};

/// Parses a line and checks it against its own hash; Data with the reason otherwise.
Result<Link> check_record(std::string_view line);

struct Tail {
    std::vector<std::string> lines; ///< the last lines, oldest first
    bool from_start = false;        ///< lines[0] is the file's first line
};

/// The last `count` lines of `file` (none when it is missing or empty), read from its end.
Result<Tail> read_tail(const std::filesystem::path& file, std::size_t count);

Result<std::string> read_first_line(const std::filesystem::path& file);

/// `<stem>.<12-digit first_seq><ext>` for the active file `file`.
std::string segment_name(const std::filesystem::path& file, std::int64_t first_seq);

/// The first sequence number a closed segment's name gives, or -1 when `name` is none of
/// `file`'s segments.
std::int64_t segment_number(const std::filesystem::path& file, const std::string& name);

/// The chain's last link before the active segment `file`: the last line of the newest closed
/// segment, or the genesis link (seq 0).
Result<Link> previous_segment_tail(const std::filesystem::path& file);

} // namespace ferry::bridge::audit

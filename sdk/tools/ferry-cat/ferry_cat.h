// SPDX-License-Identifier: Apache-2.0
// ferry_cat.h — what ferry-cat's parts share: its arguments, exit codes and the copy of streams.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/mapping.h"
#include "ferry/plugin_library.h"
#include "ferry/reconciliation.h"

namespace ferry::cat {

/// ferry-cat's exit codes (docs/ferry-check.md and `ferry-cat --help` list them).
enum ExitCode : int {
    kComplete = 0,     ///< every record delivered; reconciled, or nothing declared to check
    kFailed = 1,       ///< the read failed: source, mapping or output error
    kUsage = 2,        ///< bad arguments
    kRejects = 3,      ///< complete, and every record accounted for, but some were rejected
    kUnreconciled = 4, ///< the source declares other figures than were read
};

struct Args {
    std::string plugin;
    std::string options = "{}";
    bool options_given = false;
    std::string dataset;
    std::string request;
    bool discover = false;
    bool describe = false;
    bool lineage = false;
    std::string mapping;
    std::string catalog;
    std::string output;
    std::string state;
    bool require_reconciled = false;
    int threads = 1;
    int partitions = 0;
};

/// One stream's outcome.
struct StreamOutcome {
    StreamCounts counts;
    std::optional<Reconciliation> reconciliation;
    std::map<std::string, std::int64_t> retries; ///< requests the source's adapter repeated
};

/// Where records, rejects and progress go; shared by the partitions' threads under `lock`.
struct Sink {
    std::mutex lock;
    std::FILE* records = stdout;
    bool progress = false;        ///< a progress line on stderr (stderr is a terminal)
    std::string state_path;       ///< save checkpoints here, or empty
    bool state_per_batch = false; ///< records go straight out, so each batch's checkpoint holds
    nlohmann::json state;         ///< {"dataset": ..., "checkpoints": {piece id: checkpoint}}
};

/// Reads one stream (one piece of a dataset) to its end: NDJSON lines to sink.records, rejects
/// to stderr, checkpoints into sink.state. The outcome is filled in even when the stream ends
/// unreconciled (the returned Status is then that Data error).
Status copy_stream(const SourceHandle& source,
                   const std::string& dataset,
                   const std::string& piece_id,
                   const nlohmann::json& request,
                   const std::optional<Mapping>& mapping,
                   const Args& args,
                   Sink& sink,
                   StreamOutcome& outcome);

/// Writes sink.state to sink.state_path (atomically).
Status save_state(const Sink& sink);

/// "<lead>3 retries (http_5xx 2, truncated_body 1)", or "" when nothing was repeated.
std::string retries_text(const std::map<std::string, std::int64_t>& retries, std::string_view lead);

} // namespace ferry::cat

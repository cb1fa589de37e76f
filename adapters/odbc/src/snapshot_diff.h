// SPDX-License-Identifier: Apache-2.0
// snapshot_diff.h — snapshot diff by row hash, for tables without a usable cursor column: each
// run reads the table in key order, merges it with the previous run's sorted (key, hash) state
// and delivers only inserted and updated rows and the keys of deleted ones.
#pragma once

#include <memory>

#include "ferry/plugin/stream.h"

#include "discovery.h"
#include "source_config.h"

namespace ferry::odbc {

/// The extra last field of a diff stream: "insert", "update" or "delete".
inline constexpr const char* kChangeField = "_change";

/// A diff stream over `table` against `request.resume` (the state of the last completed run, or
/// null for the first run: every row is an insert). Only the last batch carries a checkpoint:
/// the new state, which the host persists once it has committed the run.
Result<std::unique_ptr<plugin::Stream>>
open_snapshot_diff(std::unique_ptr<Connection> conn,
                   const TableInfo& table,
                   const std::vector<ColumnMapping>& columns,
                   const SnapshotSpec& spec,
                   const plugin::StreamRequest& request,
                   const SourceConfig& config);

} // namespace ferry::odbc

// SPDX-License-Identifier: Apache-2.0
// incremental.h — incremental reads that never lose a row: cursor + tie-breaker, lag window,
// overlap re-read with dedupe; the state is the checkpoint JSON the host persists.
#pragma once

#include <memory>

#include "ferry/plugin/stream.h"

#include "discovery.h"
#include "source_config.h"

namespace ferry::odbc {

Result<std::unique_ptr<plugin::Stream>> open_incremental(std::unique_ptr<Connection> conn,
                                                         const TableInfo& table,
                                                         const std::vector<ColumnMapping>& columns,
                                                         const IncrementalSpec& spec,
                                                         const plugin::StreamRequest& request,
                                                         const SourceConfig& config);

} // namespace ferry::odbc

// SPDX-License-Identifier: Apache-2.0
// incremental.cpp — incremental reads (see incremental.h).
#include "incremental.h"

namespace ferry::odbc {

Result<std::unique_ptr<plugin::Stream>> open_incremental(std::unique_ptr<Connection>,
                                                         const TableInfo&,
                                                         const std::vector<ColumnMapping>&,
                                                         const IncrementalSpec&,
                                                         const plugin::StreamRequest&,
                                                         const SourceConfig&) {
    return Status::not_implemented("incremental reads are not implemented yet");
}

} // namespace ferry::odbc

// SPDX-License-Identifier: Apache-2.0
// keyset.h — "after this key" predicates, for resume and incremental reads.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "discovery.h"
#include "select_stream.h"

namespace ferry::odbc {

/// " WHERE (k1 > ?) OR (k1 = ? AND k2 > ?) …" for the key values in `after` (JSON strings, as
/// checkpoints carry them), appending the parameters to `params`. `prefix` is " WHERE " or
/// " AND ".
Result<std::string> keyset_after(const Connection& conn,
                                 const TableInfo& table,
                                 const std::vector<std::size_t>& key_columns,
                                 const nlohmann::json& after,
                                 std::vector<Parameter>& params,
                                 const std::string& prefix = " WHERE ");

} // namespace ferry::odbc

// SPDX-License-Identifier: Apache-2.0
// export_mode.h — batch exchange: the same pipeline as the HTTP streams, into one NDJSON file
// per dataset plus a manifest (counts per dataset, SHA-256 and size of each file): the
// reconciliation record both sides can check.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bridge_context.h"

namespace ferry::bridge {

/// Exports `datasets` (all when empty) as consumer `consumer_id` sees them into `out_dir`
/// (created), writing `out_dir/manifest.json`. Returns the manifest. Each export is audited.
Result<nlohmann::json> run_export(BridgeContext& context,
                                  const std::filesystem::path& out_dir,
                                  const std::string& consumer_id,
                                  const std::vector<std::string>& datasets);

} // namespace ferry::bridge

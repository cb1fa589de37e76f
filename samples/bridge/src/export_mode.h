// SPDX-License-Identifier: Apache-2.0
// export_mode.h — batch exchange: the same pipeline as the HTTP streams, into one NDJSON file
// per dataset plus a manifest (counts per dataset, the source's verdict, SHA-256 and size of
// each file): the reconciliation record both sides can check.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bridge_context.h"

namespace ferry::bridge {

struct ExportResult {
    nlohmann::json manifest; ///< as written to out_dir/manifest.json
    Status status;           ///< OK, or why the export failed (the manifest names the dataset)
};

/// Exports `datasets` (all when empty) as consumer `consumer_id` sees them into `out_dir`
/// (created), writing `out_dir/manifest.json`; each export is audited. A dataset's file appears
/// under its name only once the dataset was read to its end and did not end unreconciled; the
/// first dataset that fails ends the export (the manifest says which and why). An error
/// without a manifest means the export could not start: unknown consumer or dataset, no
/// grant, no writable folder.
Result<ExportResult> run_export(BridgeContext& context,
                                const std::filesystem::path& out_dir,
                                const std::string& consumer_id,
                                const std::vector<std::string>& datasets);

} // namespace ferry::bridge

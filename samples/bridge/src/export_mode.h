// SPDX-License-Identifier: Apache-2.0
// export_mode.h — batch exchange: the same pipeline as the HTTP streams, into one NDJSON file
// per dataset plus a manifest (counts per dataset, the source's verdict, SHA-256 and size of
// each file): the reconciliation record both sides can check. An export appears whole or not
// at all.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bridge_context.h"

namespace ferry::bridge {

struct ExportResult {
    nlohmann::json manifest; ///< as written to out_dir/manifest.json (or would have been)
    Status status;           ///< OK, or why the export failed (the manifest names the dataset)
};

/// Exports `datasets` as consumer `consumer_id` sees them into the folder `out_dir`. Without
/// `datasets`, every dataset the consumer is granted; the manifest's "left_out" lists the
/// others and why. Everything is written to a staging folder beside `out_dir`, the manifest
/// last; the export is audited once, then the folder is renamed to `out_dir` (replacing an
/// earlier export there). The first dataset that fails ends the export: the staging folder is
/// removed, the failure audited, and the result's manifest says which dataset and why. An error
/// without a manifest means the export could not start (unknown consumer or dataset, no grant,
/// `out_dir` holds something that is not an export): nothing was written.
Result<ExportResult> run_export(BridgeContext& context,
                                const std::filesystem::path& out_dir,
                                const std::string& consumer_id,
                                const std::vector<std::string>& datasets);

} // namespace ferry::bridge

// SPDX-License-Identifier: Apache-2.0
// ferry/ndjson.h — batches as newline-delimited JSON, one object per delivered record.
#pragma once

#include <string>

#include "ferry/batch.h"

namespace ferry {

struct NdjsonOptions {
    /// Adds "_record_no": the source record number (lineage) to every object.
    bool lineage = false;
};

/// Appends one JSON object per row to `out`. Types map as: bool and int64 to JSON literals;
/// decimal to a string of its exact digits ("4129.90": a JSON number would lose precision in
/// most consumers); date and timestamp to ISO 8601 strings; text to a string; bytes to base64;
/// struct to a nested object; null to null.
void append_ndjson(const Batch& batch, std::string& out, const NdjsonOptions& options = {});

/// Appends `text` as a JSON string literal, quotes included.
void append_json_string(std::string_view text, std::string& out);

} // namespace ferry

// SPDX-License-Identifier: Apache-2.0
// ferry/plugin/scan_lookup.h — key lookups for sources that can only scan (flat files, dBase
// tables, SOAP lists without a get-by-key operation): a filter over the stream of all records.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "ferry/plugin/stream.h"
#include "ferry/result.h"

namespace ferry::plugin {

struct ScanLookupOptions {
    /// The lookup fields form a unique key: the scan ends after the first batch of the inner
    /// stream that holds a match (the rest of that batch is still checked, so a duplicate in it
    /// is delivered too). False, the default: the whole source is scanned.
    bool unique_key = false;
};

/// A stream that delivers only the records of `inner` whose fields named in `lookup` (a
/// request's "lookup" object: field name → value) equal those values, for open_stream to
/// return when request.lookup is set and the source cannot seek:
///   FERRY_ASSIGN_OR_RETURN(auto all, open_scan(request));
///   if (request.lookup.is_object()) { return filter_by_key(std::move(all), request.lookup); }
///
/// - It scans: every record of `inner` is read (to the end, or see unique_key). The cost of a
///   lookup is the cost of a full read; prefer a real lookup where the source offers one.
/// - Values compare by the field's type: text exactly (no trimming or case folding: a JSON
///   string), int64 (a JSON integer or its digits as a string), decimal numerically (a JSON
///   number or decimal text, so "123.4" equals 123.40), date ("YYYY-MM-DD"), timestamp (ISO
///   8601), bool (true/false), bytes (a string of the raw bytes).
/// - Rejects of `inner` pass through as rejects: a rejected record's key is unknown, so it may
///   have been the record sought. They count as read (read = delivered + rejected per batch);
///   records that do not match are neither delivered nor counted.
/// - A match keeps its source record number; each batch carries the checkpoint of the last
///   inner batch it consumed. Cancel reaches `inner` before its next batch.
///
/// InvalidArgument, naming the field, when `lookup` is not an object of at least one field, a
/// field is not in the schema (with a "did you mean"), or a value is null or does not read as
/// its field's type.
Result<std::unique_ptr<Stream>> filter_by_key(std::unique_ptr<Stream> inner,
                                              const nlohmann::json& lookup,
                                              ScanLookupOptions options = {});

} // namespace ferry::plugin

// SPDX-License-Identifier: Apache-2.0
// soap_stream.h — a dataset read page by page (page number, continuation token, date windows,
// or one call), each response parsed as it streams in. A transient failure mid-page re-requests
// that page and skips the records already delivered from it, so every record arrives once.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "ferry/plugin/stream.h"

#include "soap_options.h"

namespace ferry::soap {

/// Where a stream stands; also its checkpoint (JSON).
struct PageCursor {
    std::int64_t page = 1;
    std::string token;
    bool started_token = false;
    std::int32_t window = 0;
    std::int64_t skip = 0;      ///< records of the current page already delivered
    std::int64_t record_no = 1; ///< the next record's number

    nlohmann::json to_json() const;
    static Result<PageCursor> from_json(const nlohmann::json& checkpoint);
};

/// `layout` and `operation` may differ from the dataset's (a key lookup); `params` are the
/// fixed parameters, paging adds its own. `paging` None means a single call.
Result<std::unique_ptr<plugin::Stream>> open_soap_stream(const DatasetConfig& dataset,
                                                         const Operation& operation,
                                                         const ResponseLayout& layout,
                                                         const PagingConfig& paging,
                                                         ParameterValues params,
                                                         std::unique_ptr<SoapClient> client,
                                                         PageCursor start);

} // namespace ferry::soap

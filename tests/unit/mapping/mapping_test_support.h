// SPDX-License-Identifier: Apache-2.0
// mapping_test_support.h — the fixture catalog and small batches for mapping tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ferry/batch.h"
#include "ferry/catalog.h"
#include "ferry/mapping.h"

namespace ferry::testing {

/// tests/unit/mapping/fixtures/catalog, loaded once.
std::shared_ptr<const Catalog> fixture_catalog();

/// Compiles `text` against the fixture catalog; diagnostics land in `out`.
Result<Mapping> compile_mapping(const std::string& text, std::vector<Diagnostic>& out);

/// A batch of all-text columns: rows[i][j] is field j of record `first_record_no + i`
/// ("\x01" stands for null).
Batch text_batch(const std::vector<std::string>& fields,
                 const std::vector<std::vector<std::string>>& rows,
                 std::int64_t first_record_no = 1);

/// The diagnostics rendered one per line, for failure messages.
std::string render(const std::vector<Diagnostic>& diagnostics);

} // namespace ferry::testing

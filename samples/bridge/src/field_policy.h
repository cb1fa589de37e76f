// SPDX-License-Identifier: Apache-2.0
// field_policy.h — what one consumer may see of one dataset, field by field: 不予共享 fields
// never leave; 有条件共享 fields only under a grant naming purpose and an unexpired expiry;
// sensitive fields go through their masking step unless the grant allows the clear value.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/batch.h"
#include "ferry/column.h"
#include "ferry/transform.h"

#include "consumers.h"
#include "dataset_registry.h"

namespace ferry::bridge {

enum class FieldAccess { Omitted, Clear, Masked };

struct FieldRule {
    std::size_t index = 0; ///< output column of the mapping
    std::string name;
    FieldAccess access = FieldAccess::Omitted;
    std::string
        why; ///< for Omitted / Masked: "不予共享", "no grant for 有条件共享", "masked: mask"
    std::shared_ptr<const Transform> mask;
    DataType mask_type = DataType::utf8();
};

class FieldPolicy {
public:
    /// The policy for `grant` on `dataset` at time `now`. Unauthorized when the grant is
    /// missing or expired, or the dataset is 有条件共享 and the grant names no purpose and expiry.
    static Result<std::shared_ptr<const FieldPolicy>>
    build(const Dataset& dataset, const Grant* grant, std::chrono::system_clock::time_point now);

    const std::vector<FieldRule>& rules() const noexcept { return rules_; }

    /// Delivered fields (clear or masked), in catalog order.
    std::vector<std::string> delivered_fields() const;

    const std::string& purpose() const noexcept { return purpose_; }

    /// The JSON Schema of one record as this consumer receives it: only delivered fields; masked
    /// fields lose their pattern (and are nullable when redacted) and carry "x-ferry-masked".
    nlohmann::json record_schema(const CatalogEntity& entity) const;

    /// Appends one NDJSON line per row in [first_row, end_row) of a mapped batch, applying the
    /// rules (masking runs column-wise over the whole range first).
    void append_rows(const Batch& batch,
                     std::int64_t first_row,
                     std::int64_t end_row,
                     std::string& out) const;

private:
    std::vector<FieldRule> rules_;
    std::string purpose_;
};

} // namespace ferry::bridge

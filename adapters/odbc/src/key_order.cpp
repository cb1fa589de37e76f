// SPDX-License-Identifier: Apache-2.0
// key_order.cpp — see key_order.h. Text that does not parse as its column's number falls back
// to code-point order, so the comparison is total.
#include "key_order.h"

#include <charconv>
#include <optional>

#include "ferry/decimal.h"

namespace ferry::odbc {

std::optional<std::int64_t> key_as_int(const std::string& text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

namespace {

int compare_part(const std::string& a, const std::string& b, FetchKind kind) {
    if (kind == FetchKind::Int64) {
        const auto x = key_as_int(a);
        const auto y = key_as_int(b);
        if (x && y) {
            return *x < *y ? -1 : (*x > *y ? 1 : 0);
        }
    } else if (kind == FetchKind::Decimal) {
        Result<Decimal> x = Decimal::parse(a);
        Result<Decimal> y = Decimal::parse(b);
        if (x.ok() && y.ok()) {
            const int cmp = x->compare(*y);
            return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
        }
    }
    const int cmp = a.compare(b);
    return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

} // namespace

int compare_keys(const std::vector<std::string>& a,
                 const std::vector<std::string>& b,
                 const std::vector<FetchKind>& kinds) {
    for (std::size_t pos = 0; pos < kinds.size() && pos < a.size() && pos < b.size(); ++pos) {
        if (const int cmp = compare_part(a[pos], b[pos], kinds[pos]); cmp != 0) {
            return cmp;
        }
    }
    return 0;
}

} // namespace ferry::odbc

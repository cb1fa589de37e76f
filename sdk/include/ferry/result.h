// SPDX-License-Identifier: Apache-2.0
// ferry/result.h — Result<T>: a value or the Status that explains why there is none.
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "ferry/status.h"

namespace ferry {

/// Holds a T or a non-OK Status (abseil StatusOr / Arrow Result, spelled so it can later become
/// std::expected<T, Status>). There is no default constructor, so `return {};` cannot fake a
/// success. Constructing from an OK Status is a programmer error and yields an Internal error.
template <typename T>
class [[nodiscard]] Result {
public:
    using value_type = T;

    Result(T value)
        : storage_(std::in_place_index<1>, std::move(value)) {} // NOLINT: implicit by design

    template <
        typename U,
        typename = std::enable_if_t<
            std::is_convertible_v<U&&, T> && !std::is_same_v<std::decay_t<U>, Status> &&
            !std::is_same_v<std::decay_t<U>, Result<T>> && !std::is_same_v<std::decay_t<U>, T>>>
    Result(U&& value) // NOLINT: implicit by design
        : storage_(std::in_place_index<1>, T(std::forward<U>(value))) {}

    Result(Status status) // NOLINT: implicit by design
        : storage_(std::in_place_index<0>,
                   status.ok() ? Status::internal("Result constructed from an OK Status")
                               : std::move(status)) {}

    bool ok() const noexcept { return storage_.index() == 1; }

    /// OK when a value is held.
    const Status& status() const& noexcept {
        static const Status kOk;
        return ok() ? kOk : std::get<0>(storage_);
    }

    Status status() && { return ok() ? Status() : std::move(std::get<0>(storage_)); }

    /// Throws BadResultAccess when there is no value (misuse).
    T& value() & {
        check();
        return std::get<1>(storage_);
    }

    const T& value() const& {
        check();
        return std::get<1>(storage_);
    }

    T&& value() && {
        check();
        return std::move(std::get<1>(storage_));
    }

    template <typename U>
    T value_or(U&& fallback) const& {
        return ok() ? std::get<1>(storage_) : static_cast<T>(std::forward<U>(fallback));
    }

    T& operator*() & { return value(); }

    const T& operator*() const& { return value(); }

    T&& operator*() && { return std::move(*this).value(); }

    T* operator->() { return &value(); }

    const T* operator->() const { return &value(); }

private:
    void check() const {
        if (!ok()) {
            throw BadResultAccess(std::get<0>(storage_));
        }
    }

    std::variant<Status, T> storage_;
};

namespace detail {
template <typename T>
Status to_status(const Result<T>& result) {
    return result.status();
}
} // namespace detail

} // namespace ferry

#define FERRY_CONCAT_IMPL_(a, b) a##b
#define FERRY_CONCAT_(a, b) FERRY_CONCAT_IMPL_(a, b)
#define FERRY_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr)                                              \
    auto tmp = (rexpr);                                                                            \
    if (!tmp.ok()) {                                                                               \
        return std::move(tmp).status();                                                            \
    }                                                                                              \
    lhs = std::move(tmp).value()

/// `FERRY_ASSIGN_OR_RETURN(auto rows, cursor.fetch());` unwraps a Result or returns its Status.
/// Expands to several statements (not usable as an unbraced `if` body); temporaries inside
/// `rexpr` die at the end of the macro, so do not bind references into them.
#define FERRY_ASSIGN_OR_RETURN(lhs, rexpr)                                                         \
    FERRY_ASSIGN_OR_RETURN_IMPL_(FERRY_CONCAT_(ferry_result_, __LINE__), lhs, rexpr)

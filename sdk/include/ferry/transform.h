// SPDX-License-Identifier: Apache-2.0
// ferry/transform.h — the transform contract of the field-mapping interface, and its registry.
//
// A mapping file names transforms in a chain ("trim", {"op": "substring", "start": 1, …}). Each
// name resolves through a TransformRegistry to a TransformDescriptor; its factory checks the
// arguments and the input types once, when the mapping is compiled, and returns a Transform with
// its output type. The Transform then runs once per batch over whole columns, possibly on several
// threads at once, so it must not mutate itself (per-call scratch lives in apply()).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/column.h"
#include "ferry/data_type.h"
#include "ferry/result.h"

namespace ferry {

/// What a transform does to the privacy of the value it outputs. The checker uses it: a
/// sensitive field needs a protecting step before it leaves without a grant, and a 不予共享
/// (not shared) value may reach a shared output only pseudonymised or redacted.
enum class Protection {
    None,
    Masks,         ///< part of the value stays readable (keep first / last N)
    Pseudonymises, ///< a keyed one-way function of the value (joinable, not readable)
    Redacts,       ///< nothing of the value remains
};

/// "none", "masks", "pseudonymises", "redacts".
const char* protection_name(Protection protection) noexcept;

/// The rows of one batch that the mapping has rejected, with the first reason of each.
class RowErrors {
public:
    struct Failure {
        std::int64_t row;
        std::string field; ///< the target field being mapped when the rule failed
        std::string rule;  ///< the transform or check that failed: "gb11643", "date", "required"
        std::string reason;
    };

    explicit RowErrors(std::int64_t rows)
        : rejected_(static_cast<std::size_t>(rows), 0) {}

    std::int64_t rows() const noexcept { return static_cast<std::int64_t>(rejected_.size()); }

    bool rejected(std::int64_t row) const noexcept {
        return rejected_[static_cast<std::size_t>(row)] != 0;
    }

    /// Rejects `row` under `rule`. `reason` is one line that never quotes the value: the engine
    /// attaches the raw source value itself, and only when the field is not sensitive. The first
    /// failure of a row is kept; later ones are ignored.
    void reject(std::int64_t row, std::string_view rule, std::string reason);

    /// The target field the following rejects belong to (set by the engine).
    void set_field(std::string_view field) { field_ = field; }

    const std::vector<Failure>& failures() const noexcept { return failures_; }

    std::int64_t count() const noexcept { return static_cast<std::int64_t>(failures_.size()); }

private:
    std::vector<std::uint8_t> rejected_;
    std::vector<Failure> failures_;
    std::string field_;
};

/// One step of a chain, ready to run.
class Transform {
public:
    Transform() = default;
    virtual ~Transform() = default;
    Transform(const Transform&) = delete;
    Transform& operator=(const Transform&) = delete;

    /// Appends exactly one cell to `out` (already typed with the output type) for every row of
    /// `inputs` (one or more columns of equal length): a null for each row that `errors` already
    /// rejected and for each row this step rejects through `errors`.
    virtual void
    apply(std::span<const Column* const> inputs, Column& out, RowErrors& errors) const = 0;
};

/// A rule failure of one cell: the rule's name and a reason that does not quote the value.
struct CellFailure {
    std::string rule;
    std::string reason;
};

/// The usual shape of a transform: one input, each row on its own. Rows already rejected get a
/// null; null cells get a null too unless `sees_nulls` (for default / null handling steps).
/// `fn` has the signature
///   std::optional<CellFailure> fn(const Column& in, std::int64_t row, Column& out)
/// and appends exactly one cell to `out` when it returns std::nullopt, none otherwise.
template <typename Fn>
class CellTransform final : public Transform {
public:
    explicit CellTransform(Fn fn, bool sees_nulls = false)
        : fn_(std::move(fn))
        , sees_nulls_(sees_nulls) {}

    void
    apply(std::span<const Column* const> inputs, Column& out, RowErrors& errors) const override {
        const Column& in = *inputs[0];
        const std::int64_t rows = in.size();
        out.reserve(rows, in.byte_size()); // text steps mostly keep the length
        for (std::int64_t row = 0; row < rows; ++row) {
            if (errors.rejected(row) || (!sees_nulls_ && in.is_null(row))) {
                out.append_null();
                continue;
            }
            if (std::optional<CellFailure> failure = fn_(in, row, out)) {
                errors.reject(row, failure->rule, std::move(failure->reason));
                out.append_null();
            }
        }
    }

private:
    Fn fn_;
    bool sees_nulls_;
};

template <typename Fn>
std::unique_ptr<Transform> make_cell_transform(Fn fn, bool sees_nulls = false) {
    return std::make_unique<CellTransform<Fn>>(std::move(fn), sees_nulls);
}

/// A crosswalk from one source code system into a catalog code table, as a mapping file
/// declares it. Resolved by the mapping before any transform is created.
struct Crosswalk {
    std::string name;
    std::string to_table;                   ///< catalog code table the targets belong to
    std::string from_system;                ///< the source's code system, for messages
    std::map<std::string, std::string> map; ///< source code -> target code
    std::vector<std::string> source_codes;  ///< codes the source is declared to use (may be empty)
};

/// What a factory receives when the mapping is compiled.
struct TransformSetup {
    /// The step's arguments: the step object without "op" (an empty object for a bare name).
    /// Already validated against the descriptor's args_schema.
    const nlohmann::json& args;
    /// The types of the step's inputs: the source fields for the first step, else the previous
    /// step's output type.
    std::span<const DataType> input_types;
    /// The mapping file's folder, for arguments that name files.
    std::filesystem::path base_dir;
    /// Looks up a crosswalk the mapping declares (nullptr when unknown).
    std::function<const Crosswalk*(std::string_view name)> crosswalk;
    /// Looks up a catalog code table's codes (nullptr when unknown).
    std::function<const std::vector<std::string>*(std::string_view table)> code_table;
    /// Keyed transforms (hmac) read their key from here: name -> key bytes (nullptr if absent).
    std::function<const std::string*(std::string_view key_name)> secret;
};

/// A created step and the type it outputs.
struct BoundTransform {
    std::unique_ptr<Transform> transform;
    DataType output_type;
};

/// Creates a step. Errors are InvalidArgument: about an argument with `.with_field("/name")`
/// (a JSON pointer into the arguments, so tools point at it), about the input types without a
/// field ("substring needs text input, got decimal(14,2)").
using TransformFactory = std::function<Result<BoundTransform>(const TransformSetup& setup)>;

struct TransformDescriptor {
    std::string name;    ///< snake_case, unique: "trim", "gb11643", "hmac_sm3"
    std::string summary; ///< one line for `ferry-check --list-transforms`
    /// JSON Schema (draft-07) of the arguments object; "" accepts only no arguments.
    std::string args_schema;
    std::int32_t min_inputs = 1;
    std::int32_t max_inputs = 1;
    Protection protection = Protection::None;
    TransformFactory create;
};

/// The transforms a mapping may name. Copies share the compiled argument schemas.
class TransformRegistry {
public:
    /// Empty.
    TransformRegistry();
    TransformRegistry(const TransformRegistry&);
    TransformRegistry& operator=(const TransformRegistry&);
    TransformRegistry(TransformRegistry&&) noexcept;
    TransformRegistry& operator=(TransformRegistry&&) noexcept;
    ~TransformRegistry();

    /// A registry holding every built-in transform (see docs/transforms.md).
    static TransformRegistry with_builtins();

    /// Adds one transform (plugins and hosts add their own). InvalidArgument on a duplicate or
    /// malformed name, an args_schema that does not compile, or a missing factory.
    Status add(TransformDescriptor descriptor);

    const TransformDescriptor* find(std::string_view name) const noexcept;

    /// Every descriptor, sorted by name.
    std::vector<const TransformDescriptor*> list() const;

    /// Checks the input count and the arguments against the schema (the first violation comes
    /// back with `.with_field(pointer)`), then calls the factory. NotFound for an unknown name.
    Result<BoundTransform> create(std::string_view name, const TransformSetup& setup) const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace ferry

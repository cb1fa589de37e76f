// SPDX-License-Identifier: Apache-2.0
// mapping_apply.cpp — the engine: one batch in, one mapped batch out, a column at a time.
#include <algorithm>
#include <deque>
#include <span>

#include "ferry/batch_builder.h"

#include "mapping_plan.h"

namespace ferry {

namespace {

using detail::CompiledField;
using detail::MappingPlan;

// Steps and sources hold values of their declared type, so an exact type match needs no work
// (a decimal of another precision or scale still needs fitting).
bool same_representation(const Column& chain, const DataType& target) {
    return chain.type().kind() == target.kind() &&
           (target.kind() != TypeKind::Decimal128 || chain.type() == target);
}

// Stores the chain's output into the target type; the conversions are exactly those the
// compiler's type_flow() accepts without a step. Only called when the representation differs
// (or for decimals, whose scale must be fitted).
Column conform(const Column& chain, const DataType& target, RowErrors& errors) {
    Column out(target);
    const std::int64_t rows = chain.size();
    out.reserve(rows);
    for (std::int64_t row = 0; row < rows; ++row) {
        if (chain.is_null(row) || errors.rejected(row)) {
            out.append_null();
            continue;
        }
        switch (target.kind()) {
        case TypeKind::Decimal128: {
            const Decimal value = chain.type().kind() == TypeKind::Int64
                                      ? Decimal::from_int64(chain.int64(row))
                                      : chain.decimal(row);
            Result<Decimal> fitted =
                value.to_type(target.precision(), target.scale(), RoundingMode::Unnecessary);
            if (!fitted.ok()) {
                errors.reject(row, "type",
                              "value does not fit " + target.to_string() +
                                  " (add a round step or widen the source)");
                out.append_null();
            } else {
                out.append_decimal(*fitted);
            }
            break;
        }
        case TypeKind::Int64: {
            const Decimal& value = chain.decimal(row);
            const Int128 unscaled = value.unscaled();
            if (value.scale() != 0 || unscaled > INT64_MAX || unscaled < INT64_MIN) {
                errors.reject(row, "type", "value does not fit int64");
                out.append_null();
            } else {
                out.append_int64(static_cast<std::int64_t>(unscaled));
            }
            break;
        }
        case TypeKind::TimestampMicros:
            out.append_timestamp(Timestamp::from_micros(
                std::int64_t{chain.date(row).days_since_epoch()} * Timestamp::kMicrosPerDay));
            break;
        default:
            out.append_from(chain, row);
            break;
        }
    }
    return out;
}

void check_target_rules(const CompiledField& field, const Column& column, RowErrors& errors) {
    const std::int64_t rows = column.size();
    for (std::int64_t row = 0; row < rows; ++row) {
        if (errors.rejected(row)) {
            continue;
        }
        if (column.is_null(row)) {
            if (field.target.required) {
                errors.reject(row, "required",
                              "required field " + field.target.name + " has no value");
            }
            continue;
        }
        if (field.codes && !field.codes_guaranteed && !field.codes->contains(column.text(row))) {
            errors.reject(row, "code_table",
                          "code is not in code table " + field.target.code_table);
        }
    }
}

// Appends the delivered rows of one final column to the output column, one switch per column.
void append_column(const Column& column, std::span<const std::int64_t> rows, ColumnBuilder& out) {
    const TypeKind kind = column.type().kind();
    out.reserve(static_cast<std::int64_t>(rows.size()), column.byte_size());
    for (const std::int64_t row : rows) {
        if (column.is_null(row)) {
            out.append_null();
            continue;
        }
        switch (kind) {
        case TypeKind::Bool:
            out.append_bool(column.boolean(row));
            break;
        case TypeKind::Int64:
            out.append_int64(column.int64(row));
            break;
        case TypeKind::Decimal128:
            (void)out.append_decimal(column.decimal(row)); // conform() fitted it exactly
            break;
        case TypeKind::Date32:
            out.append_date(column.date(row));
            break;
        case TypeKind::TimestampMicros:
            out.append_timestamp(column.timestamp(row));
            break;
        case TypeKind::Utf8:
            out.append_text_unchecked(column.text(row));
            break;
        case TypeKind::Binary:
            out.append_bytes(column.text(row));
            break;
        case TypeKind::Struct:
            out.append_null();
            break;
        }
    }
}

// The entity's key fields, when every one reads only source fields that are not sensitive: then a
// reject can name the record's key, so a person can find the row; otherwise nothing.
std::vector<const CompiledField*> printable_key(const MappingPlan& plan) {
    std::vector<const CompiledField*> key;
    for (const std::string& name : plan.entity.key) {
        const auto field = std::find_if(
            plan.fields.begin(), plan.fields.end(),
            [&](const CompiledField& candidate) { return candidate.target.name == name; });
        if (field == plan.fields.end() || field->sources.empty() || !field->attach_raw) {
            return {};
        }
        key.push_back(&*field);
    }
    return key;
}

std::string raw_value(const CompiledField& field,
                      const std::vector<std::optional<Column>>& sources,
                      std::int64_t row) {
    std::string raw;
    for (std::size_t idx = 0; idx < field.sources.size(); ++idx) {
        if (idx > 0) {
            raw += " | ";
        }
        const Column& column = *sources[field.sources[idx]];
        if (column.is_null(row)) {
            raw += "null";
        } else if (column.type().kind() == TypeKind::Utf8 ||
                   column.type().kind() == TypeKind::Binary) {
            raw += column.text(row);
        } else {
            raw += column.value(row).to_string();
        }
    }
    return raw;
}

Reject copy_reject(const FerryReject& reject) {
    auto text = [](const char* s) { return s == nullptr ? std::string() : std::string(s); };
    std::optional<std::string> raw;
    if (reject.raw != nullptr) {
        raw.emplace(static_cast<const char*>(reject.raw),
                    static_cast<std::size_t>(reject.raw_size));
    }
    return Reject(text(reject.field), text(reject.rule), text(reject.reason), text(reject.location),
                  std::move(raw), static_cast<StatusCode>(reject.code));
}

} // namespace

Result<Batch> Mapping::apply(const Batch& input) const {
    const MappingPlan& plan = *plan_;
    const std::int64_t rows = input.num_rows();
    // The batch's own schema may order (or name the case of) fields differently.
    std::vector<std::optional<Column>> sources(plan.source_schema.size());
    for (const CompiledField& field : plan.fields) {
        for (std::size_t source : field.sources) {
            if (sources[source]) {
                continue;
            }
            const Field& wanted = plan.source_schema.field(source);
            const auto index = input.schema().index_of(wanted.name);
            if (!index) {
                return Status::invalid_argument("mapping " + plan.id +
                                                ": the stream has no field " + wanted.name)
                    .with_location(plan.file);
            }
            if (!(input.schema().field(*index).type == wanted.type)) {
                return Status::invalid_argument("mapping " + plan.id + ": source field " +
                                                wanted.name + " is " +
                                                input.schema().field(*index).type.to_string() +
                                                ", the mapping expects " + wanted.type.to_string())
                    .with_location(plan.file);
            }
            sources[source] = Column::from_view(input.column(*index));
        }
    }

    RowErrors errors(rows);
    // Columns the fields produced; a deque keeps their addresses stable as it grows.
    std::deque<Column> owned;
    std::vector<const Column*> finals;
    finals.reserve(plan.fields.size());
    std::vector<const Column*> inputs;
    for (const CompiledField& field : plan.fields) {
        errors.set_field(field.target.name);
        inputs.clear();
        if (field.constant) {
            Column& constant = owned.emplace_back(field.target.type);
            for (std::int64_t row = 0; row < rows; ++row) {
                (void)constant.append_value(*field.constant); // typed when compiled
            }
            inputs.push_back(&constant);
        } else {
            for (std::size_t source : field.sources) {
                inputs.push_back(&*sources[source]);
            }
        }
        for (const detail::CompiledStep& step : field.steps) {
            Column& out = owned.emplace_back(step.output_type);
            step.transform->apply(std::span<const Column* const>(inputs), out, errors);
            inputs.assign(1, &out);
        }
        const Column* final_column = inputs.front();
        if (!same_representation(*final_column, field.target.type)) {
            final_column = &owned.emplace_back(conform(*final_column, field.target.type, errors));
        }
        check_target_rules(field, *final_column, errors);
        finals.push_back(final_column);
    }

    // Which field each rejected row failed on, to find its raw value and location.
    std::vector<const RowErrors::Failure*> failure_of(static_cast<std::size_t>(rows), nullptr);
    for (const RowErrors::Failure& failure : errors.failures()) {
        failure_of[static_cast<std::size_t>(failure.row)] = &failure;
    }
    const auto input_rejects = input.rejects();
    BatchBuilder builder(plan.output_schema,
                         rows + static_cast<std::int64_t>(input_rejects.size()));
    // Delivered rows go in column by column; rejects follow (the batch keeps them apart, each
    // with its record number, so the interleaving does not matter).
    std::vector<std::int64_t> delivered;
    std::vector<std::int64_t> delivered_record_nos;
    delivered.reserve(static_cast<std::size_t>(rows));
    delivered_record_nos.reserve(static_cast<std::size_t>(rows));
    for (std::int64_t row = 0; row < rows; ++row) {
        if (failure_of[static_cast<std::size_t>(row)] == nullptr) {
            delivered.push_back(row);
            delivered_record_nos.push_back(input.record_no(row));
        }
    }
    for (std::size_t idx = 0; idx < finals.size(); ++idx) {
        append_column(*finals[idx], delivered, builder.column(idx));
    }
    FERRY_RETURN_IF_ERROR(builder.commit_records(delivered_record_nos));
    const std::vector<const CompiledField*> key =
        errors.failures().empty() ? std::vector<const CompiledField*>() : printable_key(plan);
    std::size_t next_reject = 0;
    auto flush_input_rejects = [&](std::int64_t before) -> Status {
        while (next_reject < input_rejects.size() &&
               input_rejects[next_reject].record_no < before) {
            const FerryReject& reject = input_rejects[next_reject++];
            FERRY_RETURN_IF_ERROR(builder.reject(reject.record_no, copy_reject(reject)));
        }
        return {};
    };
    for (std::int64_t row = 0; row < rows; ++row) {
        const std::int64_t record_no = input.record_no(row);
        if (const RowErrors::Failure* failure = failure_of[static_cast<std::size_t>(row)]) {
            FERRY_RETURN_IF_ERROR(flush_input_rejects(record_no));
            const auto field = std::find_if(plan.fields.begin(), plan.fields.end(),
                                            [&](const CompiledField& candidate) {
                                                return candidate.target.name == failure->field;
                                            });
            std::optional<std::string> raw;
            std::string location = plan.file;
            if (field != plan.fields.end()) {
                location = field->location;
                if (field->attach_raw && !field->sources.empty()) {
                    raw = raw_value(*field, sources, row);
                }
            }
            for (std::size_t part = 0; part < key.size(); ++part) {
                location += (part == 0 ? ", key " : ", ") + key[part]->target.name + "=" +
                            raw_value(*key[part], sources, row);
            }
            FERRY_RETURN_IF_ERROR(builder.reject(
                record_no,
                Reject(failure->field, failure->rule, failure->reason,
                       "stream " + plan.document["source"]["dataset"].get<std::string>() + ", " +
                           location,
                       std::move(raw))));
        }
    }
    FERRY_RETURN_IF_ERROR(flush_input_rejects(INT64_MAX));
    builder.carry_skipped(input.records_skipped());
    if (const auto checkpoint = input.checkpoint()) {
        builder.set_checkpoint(std::string(*checkpoint));
    }
    FerryBatch raw{};
    FERRY_RETURN_IF_ERROR(builder.finish(&raw));
    return Batch(std::move(raw), plan.output_schema_shared, nullptr);
}

} // namespace ferry

// SPDX-License-Identifier: Apache-2.0
// transform_test_support.cpp — helpers for the transform tests.
#include "transform_test_support.h"

#include <span>

namespace ferry::testing {

Column text_column(const std::vector<std::optional<std::string>>& cells) {
    Column column(DataType::utf8());
    for (const auto& cell : cells) {
        if (cell) {
            column.append_text(*cell);
        } else {
            column.append_null();
        }
    }
    return column;
}

Column value_column(const DataType& type, const std::vector<Value>& cells) {
    Column column(type);
    for (const Value& cell : cells) {
        Status status = column.append_value(cell);
        if (!status.ok()) {
            throw BadResultAccess(status);
        }
    }
    return column;
}

TransformRun run_transform(const std::string& op,
                           const nlohmann::json& args,
                           const std::vector<Column>& inputs,
                           const TransformEnv& env) {
    static const TransformRegistry registry = TransformRegistry::with_builtins();
    std::vector<DataType> types;
    std::vector<const Column*> pointers;
    for (const Column& input : inputs) {
        types.push_back(input.type());
        pointers.push_back(&input);
    }
    const nlohmann::json arguments = args.is_null() ? nlohmann::json::object() : args;
    TransformSetup setup{arguments, types, {}, {}, {}, {}};
    setup.crosswalk = [&env](std::string_view name) -> const Crosswalk* {
        const auto it = env.crosswalks.find(std::string(name));
        return it == env.crosswalks.end() ? nullptr : &it->second;
    };
    setup.code_table = [&env](std::string_view name) -> const std::vector<std::string>* {
        const auto it = env.code_tables.find(std::string(name));
        return it == env.code_tables.end() ? nullptr : &it->second;
    };
    setup.secret = [&env](std::string_view name) -> const std::string* {
        const auto it = env.secrets.find(std::string(name));
        return it == env.secrets.end() ? nullptr : &it->second;
    };
    TransformRun run;
    Result<BoundTransform> bound = registry.create(op, setup);
    if (!bound.ok()) {
        run.status = std::move(bound).status();
        return run;
    }
    run.output_type = bound->output_type;
    const std::int64_t rows = inputs.empty() ? 0 : inputs.front().size();
    Column out(bound->output_type);
    RowErrors errors(rows);
    errors.set_field("field");
    bound->transform->apply(std::span<const Column* const>(pointers), out, errors);
    if (out.size() != rows) {
        run.status = Status::internal("transform appended " + std::to_string(out.size()) +
                                      " cells for " + std::to_string(rows) + " rows");
        return run;
    }
    for (std::int64_t row = 0; row < rows; ++row) {
        run.out.push_back(out.value(row));
    }
    for (const RowErrors::Failure& failure : errors.failures()) {
        run.rejects[failure.row] = failure.rule + ": " + failure.reason;
    }
    return run;
}

TransformRun run_text(const std::string& op,
                      const nlohmann::json& args,
                      const std::vector<std::optional<std::string>>& cells,
                      const TransformEnv& env) {
    return run_transform(op, args, {text_column(cells)}, env);
}

} // namespace ferry::testing

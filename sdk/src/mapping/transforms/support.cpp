// SPDX-License-Identifier: Apache-2.0
// support.cpp — helpers shared by the built-in transforms.
#include "support.h"

#include <stdexcept>

namespace ferry::transforms {

Status require_inputs(const TransformSetup& setup,
                      std::string_view op,
                      std::initializer_list<TypeKind> kinds,
                      std::string_view wanted) {
    for (const DataType& type : setup.input_types) {
        bool accepted = false;
        for (TypeKind kind : kinds) {
            accepted = accepted || type.kind() == kind;
        }
        if (!accepted) {
            return Status::invalid_argument(std::string(op) + " needs " + std::string(wanted) +
                                            " input, got " + type.to_string());
        }
    }
    return {};
}

Status bad_argument(std::string_view op, std::string_view name, std::string_view why) {
    return Status::invalid_argument(std::string(op) + ": " + std::string(name) + ": " +
                                    std::string(why))
        .with_field("/" + std::string(name));
}

void add(TransformRegistry& registry,
         std::string name,
         std::string summary,
         std::string schema,
         TransformFactory create,
         std::int32_t min_inputs,
         std::int32_t max_inputs) {
    TransformDescriptor descriptor;
    descriptor.name = std::move(name);
    descriptor.summary = std::move(summary);
    descriptor.args_schema = std::move(schema);
    descriptor.min_inputs = min_inputs;
    descriptor.max_inputs = max_inputs;
    descriptor.create = std::move(create);
    must_add(registry, std::move(descriptor));
}

void must_add(TransformRegistry& registry, TransformDescriptor descriptor) {
    Status status = registry.add(std::move(descriptor));
    if (!status.ok()) {
        throw std::logic_error("built-in transform: " + status.to_string());
    }
}

} // namespace ferry::transforms

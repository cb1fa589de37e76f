// SPDX-License-Identifier: Apache-2.0
// mapping_fields.cpp — compiles each target field: inputs, transform chain, type flow; then the
// sharing and sensitivity rules across fields.
#include <algorithm>
#include <set>

#include "mapping_compiler.h"

namespace ferry::detail {

namespace {

struct Finding {
    Severity severity;
    const char* code;
    std::string message;
};

// The parse step a person should add to turn text into `to`.
std::string parse_step_for(const DataType& to) {
    switch (to.kind()) {
    case TypeKind::Date32:
        return "{\"op\": \"date\", \"format\": \"yyyyMMdd\"}";
    case TypeKind::TimestampMicros:
        return "{\"op\": \"datetime\", \"format\": \"yyyy-MM-dd HH:mm:ss\"}";
    case TypeKind::Decimal128:
        return "{\"op\": \"decimal\", \"precision\": " + std::to_string(to.precision()) +
               ", \"scale\": " + std::to_string(to.scale()) + "}";
    case TypeKind::Int64:
        return "\"integer\"";
    case TypeKind::Bool:
        return "\"boolean\"";
    default:
        return "\"to_text\"";
    }
}

// Whether a value of type `from` may be stored into `to` without a further step. The engine's
// conform() implements exactly the conversions accepted here.
std::optional<Finding> type_flow(const DataType& from, const DataType& to) {
    const TypeKind a = from.kind();
    const TypeKind b = to.kind();
    const std::string into = from.to_string() + " into " + to.to_string();
    if (a == TypeKind::Decimal128 && b == TypeKind::Decimal128) {
        if (from.scale() > to.scale()) {
            return Finding{Severity::Error, "FC032",
                           into + " drops decimal places: add {\"op\": \"round\", \"scale\": " +
                               std::to_string(to.scale()) + "} with an explicit rounding mode"};
        }
        if (from.precision() - from.scale() > to.precision() - to.scale()) {
            return Finding{Severity::Error, "FC031",
                           into + " loses precision: up to " +
                               std::to_string(from.precision() - from.scale()) +
                               " integer digits into " +
                               std::to_string(to.precision() - to.scale())};
        }
        return std::nullopt;
    }
    if (a == b) {
        return std::nullopt;
    }
    if (a == TypeKind::Int64 && b == TypeKind::Decimal128) {
        if (to.precision() - to.scale() < 19) {
            return Finding{Severity::Warning, "FC031",
                           into + " may overflow: an int64 has up to 19 digits, the target " +
                               std::to_string(to.precision() - to.scale()) +
                               " integer digits (larger values are rejected)"};
        }
        return std::nullopt;
    }
    if (a == TypeKind::Decimal128 && b == TypeKind::Int64) {
        if (from.scale() > 0) {
            return Finding{Severity::Error, "FC032",
                           into + " drops decimal places: add {\"op\": \"round\", \"scale\": 0} "
                                  "then \"integer\""};
        }
        return std::nullopt;
    }
    if (a == TypeKind::Date32 && b == TypeKind::TimestampMicros) {
        return std::nullopt;
    }
    if (a == TypeKind::Binary && b == TypeKind::Utf8) {
        return Finding{Severity::Error, "FC030",
                       into + ": bytes need a charset step such as {\"op\": \"decode\", "
                              "\"from\": \"GBK\"}"};
    }
    return Finding{Severity::Error, "FC030",
                   "type " + into + " does not flow without a step: add " + parse_step_for(to)};
}

Result<Value> constant_value(const nlohmann::json& value, const DataType& type) {
    if (value.is_null()) {
        return Value::null();
    }
    switch (type.kind()) {
    case TypeKind::Bool:
        if (value.is_boolean()) {
            return Value::boolean(value.get<bool>());
        }
        break;
    case TypeKind::Int64:
        if (value.is_number_integer()) {
            return Value::int64(value.get<std::int64_t>());
        }
        break;
    case TypeKind::Decimal128:
        if (value.is_string()) {
            FERRY_ASSIGN_OR_RETURN(Decimal number, Decimal::parse(value.get<std::string>()));
            FERRY_ASSIGN_OR_RETURN(Decimal fitted, number.to_type(type.precision(), type.scale(),
                                                                  RoundingMode::Unnecessary));
            return Value::decimal(fitted);
        }
        break;
    case TypeKind::Date32:
        if (value.is_string()) {
            FERRY_ASSIGN_OR_RETURN(Date date, Date::parse_iso(value.get<std::string>()));
            return Value::date(date);
        }
        break;
    case TypeKind::TimestampMicros:
        if (value.is_string()) {
            FERRY_ASSIGN_OR_RETURN(Timestamp at, Timestamp::parse_iso(value.get<std::string>()));
            return Value::timestamp(at);
        }
        break;
    case TypeKind::Utf8:
        if (value.is_string()) {
            return Value::text(value.get<std::string>());
        }
        break;
    default:
        break;
    }
    return Status::invalid_argument(
        "constant " + value.dump() + " does not fit " + type.to_string() +
        (type.kind() == TypeKind::Decimal128 || type.kind() == TypeKind::Date32
             ? " (write it as a string)"
             : ""));
}

std::vector<std::string> names_of(const Schema& schema) {
    std::vector<std::string> names;
    for (const Field& field : schema.fields()) {
        names.push_back(field.name);
    }
    return names;
}

TransformSetup
make_setup(Compiler& compiler, const nlohmann::json& args, std::span<const DataType> types) {
    MappingPlan& plan = *compiler.plan;
    TransformSetup setup{args, types, compiler.base_dir, {}, {}, {}};
    setup.crosswalk = [&plan](std::string_view name) -> const Crosswalk* {
        const auto it = plan.crosswalks.find(name);
        return it == plan.crosswalks.end() ? nullptr : &it->second;
    };
    setup.code_table = [&plan](std::string_view id) -> const std::vector<std::string>* {
        const CodeTable* table = plan.catalog->code_table(id);
        return table == nullptr ? nullptr : &table->codes;
    };
    setup.secret = [&plan](std::string_view name) -> const std::string* {
        const auto it = plan.secrets.find(name);
        return it == plan.secrets.end() ? nullptr : &it->second;
    };
    return setup;
}

// Whether the chain's last step can only output codes of `table` (then the engine skips its
// own membership check): a crosswalk lookup into that table that never keeps unmapped values,
// or an in_code_table check against it.
bool chain_keeps_to(const nlohmann::json& spec,
                    const std::map<std::string, Crosswalk, std::less<>>& crosswalks,
                    const std::string& table) {
    if (!spec.contains("transforms") || spec["transforms"].empty()) {
        return false;
    }
    const nlohmann::json& last = spec["transforms"].back();
    if (!last.is_object() || !last.contains("op")) {
        return false;
    }
    const std::string op = last["op"].get<std::string>();
    if (op == "in_code_table") {
        return last.value("table", std::string()) == table;
    }
    if (op == "code" && last.value("unmapped", std::string("reject")) != "keep") {
        const auto it = crosswalks.find(last.value("crosswalk", std::string()));
        return it != crosswalks.end() && it->second.to_table == table;
    }
    return false;
}

// One step: {"op": name, args…} or "name". Returns false when the step could not be created.
bool compile_step(Compiler& compiler,
                  const nlohmann::json& step,
                  const std::string& pointer,
                  std::vector<DataType>& types,
                  CompiledField& field) {
    const std::string op =
        step.is_string() ? step.get<std::string>() : step["op"].get<std::string>();
    nlohmann::json args = step.is_object() ? step : nlohmann::json::object();
    args.erase("op");
    const std::string op_pointer = step.is_object() ? pointer + "/op" : pointer;
    const TransformRegistry& registry = compiler.options.transforms;
    const TransformDescriptor* descriptor = registry.find(op);
    if (descriptor == nullptr) {
        std::vector<std::string> names;
        for (const TransformDescriptor* known : registry.list()) {
            names.push_back(known->name);
        }
        compiler.report(Severity::Error, "FC020", op_pointer, "unknown transform \"" + op + "\"",
                        did_you_mean(op, names), false);
        return false;
    }
    Result<BoundTransform> bound = registry.create(op, make_setup(compiler, args, types));
    if (!bound.ok()) {
        const Status& status = bound.status();
        if (status.field().starts_with("/")) {
            compiler.report(Severity::Error, "FC021", pointer + status.field(), status.message());
        } else {
            compiler.report(Severity::Error, "FC022", op_pointer, status.message(), {}, false);
        }
        return false;
    }
    if (op == "code" && args.contains("crosswalk") && !field.target.code_table.empty()) {
        const auto it = compiler.plan->crosswalks.find(args["crosswalk"].get<std::string>());
        if (it != compiler.plan->crosswalks.end() &&
            it->second.to_table != field.target.code_table) {
            compiler.report(Severity::Error, "FC040", pointer + "/crosswalk",
                            "crosswalk \"" + it->first + "\" maps into code table " +
                                it->second.to_table + ", but " + field.target.name + " uses " +
                                field.target.code_table);
        }
    }
    types = {bound->output_type};
    field.steps.push_back(
        {op, descriptor->protection, std::move(bound->transform), bound->output_type});
    return true;
}

void compile_field(Compiler& compiler,
                   const CatalogField& target,
                   const nlohmann::json& spec,
                   const std::string& pointer) {
    MappingPlan& plan = *compiler.plan;
    CompiledField field;
    field.target = target;
    if (spec.contains("sharing")) {
        const Sharing wanted = parse_sharing(spec["sharing"].get<std::string>()).value();
        if (wanted < target.sharing) {
            compiler.report(
                Severity::Error, "FC051", pointer + "/sharing",
                "the catalog shares " + target.name + " as " + sharing_name(target.sharing) +
                    "; a mapping may only restrict it further, not to " + sharing_name(wanted));
        } else {
            field.target.sharing = wanted;
        }
    }
    if (spec.contains("masking")) {
        field.target.masking = spec["masking"];
    }
    const TextPosition at = compiler.positions.key(pointer);
    field.location = compiler.file + ":" + std::to_string(at.line);

    std::vector<DataType> types;
    const bool has_from = spec.contains("from");
    const bool has_value = spec.contains("value");
    if (has_from == has_value) {
        compiler.report(Severity::Error, "FC008", pointer,
                        "field " + target.name + " needs exactly one of \"from\" and \"value\"");
        return;
    }
    if (has_value) {
        Result<Value> constant = constant_value(spec["value"], target.type);
        if (!constant.ok()) {
            compiler.report(Severity::Error, "FC007", pointer + "/value",
                            constant.status().message(), {}, false);
            return;
        }
        if (constant->is_null() && target.required) {
            compiler.report(Severity::Error, "FC007", pointer + "/value",
                            "required field " + target.name + " cannot be the constant null", {},
                            false);
            return;
        }
        field.constant = *constant;
        types.push_back(target.type);
    } else {
        std::vector<std::string> from;
        if (spec["from"].is_string()) {
            from.push_back(spec["from"].get<std::string>());
        } else {
            for (const auto& name : spec["from"]) {
                from.push_back(name.get<std::string>());
            }
        }
        bool resolved = true;
        for (std::size_t idx = 0; idx < from.size(); ++idx) {
            const auto index = plan.source_schema.index_of(from[idx]);
            if (!index && compiler.bad_source_fields.contains(from[idx])) {
                resolved = false; // already reported where it is declared (FC004)
                continue;
            }
            if (!index) {
                const std::string at_pointer = spec["from"].is_string()
                                                   ? pointer + "/from"
                                                   : pointer + "/from/" + std::to_string(idx);
                compiler.report(Severity::Error, "FC013", at_pointer,
                                "unknown source field \"" + from[idx] + "\"",
                                did_you_mean(from[idx], names_of(plan.source_schema)), false);
                resolved = false;
                continue;
            }
            field.sources.push_back(*index);
            types.push_back(plan.source_schema.field(*index).type);
        }
        if (!resolved) {
            return;
        }
    }
    if (const auto steps = spec.find("transforms"); steps != spec.end()) {
        for (std::size_t idx = 0; idx < steps->size(); ++idx) {
            if (!compile_step(compiler, (*steps)[idx],
                              pointer + "/transforms/" + std::to_string(idx), types, field)) {
                return; // later steps would only repeat the same problem
            }
        }
    }
    if (types.size() > 1) {
        compiler.report(Severity::Error, "FC009", pointer,
                        "field " + target.name + " reads " + std::to_string(types.size()) +
                            " source fields: its first step must combine them (e.g. concat)");
        return;
    }
    field.chain_type = types.front();
    if (auto finding = type_flow(field.chain_type, target.type)) {
        compiler.report(finding->severity, finding->code, pointer,
                        "field " + target.name + ": " + finding->message);
        if (finding->severity == Severity::Error) {
            return;
        }
    }
    if (target.type_name == "code") {
        const CodeTable* table = plan.catalog->code_table(target.code_table);
        auto codes = std::make_shared<std::unordered_set<std::string_view>>();
        if (table != nullptr) {
            codes->insert(table->codes.begin(),
                          table->codes.end()); // the catalog outlives the plan
        }
        field.codes = std::move(codes);
        field.codes_guaranteed = chain_keeps_to(spec, compiler.plan->crosswalks, target.code_table);
    }
    plan.fields.push_back(std::move(field));
}

} // namespace

void compile_fields(Compiler& compiler) {
    MappingPlan& plan = *compiler.plan;
    const nlohmann::json& specs = plan.document["fields"];
    std::vector<std::string> target_names;
    for (const CatalogField& field : plan.entity.fields) {
        target_names.push_back(field.name);
    }
    for (const auto& [name, spec] : specs.items()) {
        if (plan.entity.field(name) == nullptr) {
            compiler.report(Severity::Error, "FC011", JsonPositions::child("/fields", name),
                            "entity " + plan.entity.name + " has no field \"" + name + "\"",
                            did_you_mean(name, target_names));
        }
    }
    std::vector<Field> output;
    for (const CatalogField& target : plan.entity.fields) {
        const auto spec = specs.find(target.name);
        if (spec == specs.end()) {
            if (target.required) {
                compiler.report(Severity::Error, "FC012", "/fields",
                                "required field " + plan.entity.name + "." + target.name + " (" +
                                    target.title_zh + ") is not mapped");
            }
            continue;
        }
        const std::size_t before = plan.fields.size();
        compile_field(compiler, target, *spec, JsonPositions::child("/fields", target.name));
        if (plan.fields.size() > before) {
            output.push_back({target.name, target.type, !target.required});
        }
    }
    plan.output_schema = Schema(std::move(output));
    plan.output_schema_shared = std::make_shared<const Schema>(plan.output_schema);
}

void check_policies(Compiler& compiler) {
    MappingPlan& plan = *compiler.plan;
    std::optional<Sharing> dataset_sharing;
    const nlohmann::json& doc = plan.document;
    if (doc.contains("dataset") && doc["dataset"].contains("sharing") &&
        doc["dataset"]["sharing"].contains("type") &&
        doc["dataset"]["sharing"]["type"].is_string()) {
        if (Result<Sharing> parsed =
                parse_sharing(doc["dataset"]["sharing"]["type"].get<std::string>());
            parsed.ok()) {
            dataset_sharing = *parsed;
        }
    }
    // How restricted each source field is: what it was declared, and the strictest target
    // field that reads it. Which source fields carry sensitive values.
    std::vector<Sharing> source_level(plan.source_schema.size(), Sharing::Unconditional);
    std::vector<bool> source_sensitive(plan.source_schema.size(), false);
    for (std::size_t idx = 0; idx < plan.source_schema.size(); ++idx) {
        const std::string& name = plan.source_schema.field(idx).name;
        if (const auto it = compiler.source_sharing.find(name);
            it != compiler.source_sharing.end()) {
            source_level[idx] = it->second;
        }
        source_sensitive[idx] = compiler.source_sensitive.contains(name);
    }
    for (const CompiledField& field : plan.fields) {
        for (std::size_t source : field.sources) {
            source_level[source] = std::max(source_level[source], field.target.sharing);
            source_sensitive[source] = source_sensitive[source] || field.target.sensitive();
        }
    }
    for (CompiledField& field : plan.fields) {
        const std::string pointer = JsonPositions::child("/fields", field.target.name);
        const std::string label = field.target.name + " (" + field.target.title_zh + ")";
        if (dataset_sharing == Sharing::Unconditional && field.target.sharing == Sharing::None) {
            compiler.report(Severity::Error, "FC050", pointer,
                            label + " is 不予共享 (not shared) and can never reach this "
                                    "无条件共享 (unconditional) dataset: leave it out");
        } else if (dataset_sharing == Sharing::Unconditional &&
                   field.target.sharing == Sharing::Conditional) {
            compiler.report(Severity::Warning, "FC053", pointer,
                            label + " is 有条件共享 (conditional) inside a 无条件共享 dataset: "
                                    "consumers see it only under a grant");
        }
        const bool protected_chain =
            std::any_of(field.steps.begin(), field.steps.end(), [](const CompiledStep& step) {
                return step.protection == Protection::Pseudonymises ||
                       step.protection == Protection::Redacts;
            });
        for (std::size_t source : field.sources) {
            if (source_level[source] <= field.target.sharing || protected_chain) {
                continue;
            }
            const std::string& name = plan.source_schema.field(source).name;
            const bool never = source_level[source] == Sharing::None;
            compiler.report(never ? Severity::Error : Severity::Warning, never ? "FC052" : "FC054",
                            pointer,
                            label + " is " + sharing_name(field.target.sharing) +
                                " but reads source field " + name + ", which is " +
                                (never ? "不予共享 (not shared)" : "有条件共享 (conditional)") +
                                " elsewhere: pseudonymise or redact it in the chain, or restrict "
                                "this field");
        }
        const bool masked_in_chain =
            std::any_of(field.steps.begin(), field.steps.end(), [](const CompiledStep& step) {
                return step.protection != Protection::None;
            });
        const std::string masking_pointer =
            plan.document["fields"][field.target.name].contains("masking") ? pointer + "/masking"
                                                                           : pointer;
        if (field.target.sensitive() && field.target.masking.is_null() && !masked_in_chain) {
            compiler.report(Severity::Warning, "FC060", masking_pointer,
                            label + " is sensitive (" + sensitivity_name(field.target.sensitivity) +
                                ") but has no masking: consumers without a clear-value grant "
                                "would see it");
        }
        if (field.target.masking.is_object()) {
            // The masking step runs in the bridge for consumers without a clear-value grant;
            // it must accept this field's type.
            const nlohmann::json& step = field.target.masking;
            if (!step.contains("op") || !step["op"].is_string()) {
                compiler.report(Severity::Error, "FC062", masking_pointer,
                                label + ": masking needs an \"op\"");
            } else {
                nlohmann::json args = step;
                args.erase("op");
                const std::vector<DataType> types{field.target.type};
                Result<BoundTransform> masking = compiler.options.transforms.create(
                    step["op"].get<std::string>(), make_setup(compiler, args, types));
                if (!masking.ok()) {
                    compiler.report(
                        Severity::Error, "FC062", masking_pointer,
                        label + ": masking step does not fit: " + masking.status().message());
                }
            }
        }
        bool raw_allowed = !field.target.sensitive();
        for (std::size_t source : field.sources) {
            raw_allowed = raw_allowed && !source_sensitive[source];
        }
        field.attach_raw = raw_allowed;
    }
}

} // namespace ferry::detail

// SPDX-License-Identifier: Apache-2.0
// soap_options.cpp — options schema and loading (including the WSDL import).
#include "soap_options.h"

#include <cstdlib>

#include "type_mapping.h"
#include "wsdl_import.h"

namespace ferry::soap {

const DatasetConfig* SourceConfig::find(std::string_view name) const {
    for (const DatasetConfig& dataset : datasets) {
        if (dataset.name == name) {
            return &dataset;
        }
    }
    return nullptr;
}

namespace {

std::string scalar_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

Result<std::string> secret(const nlohmann::json& block, const std::string& what) {
    if (const auto env = block.find("password_env"); env != block.end()) {
        const char* value = std::getenv(env->get<std::string>().c_str());
        if (value == nullptr) {
            return Status::invalid_argument(what + ": environment variable " +
                                            env->get<std::string>() + " is not set");
        }
        return std::string(value);
    }
    return block.value("password", std::string());
}

Result<std::vector<QName>> parse_path(const std::string& text, const nlohmann::json& namespaces) {
    std::vector<QName> path;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t slash = std::min(text.find('/', start), text.size());
        const std::string step = text.substr(start, slash - start);
        if (step.empty()) {
            return Status::invalid_argument("path \"" + text + "\" has an empty step");
        }
        QName name;
        const std::size_t colon = step.find(':');
        if (colon == std::string::npos) {
            name.local = step;
        } else {
            const std::string prefix = step.substr(0, colon);
            if (!namespaces.contains(prefix)) {
                return Status::invalid_argument("path \"" + text + "\": prefix \"" + prefix +
                                                "\" is not in \"namespaces\"");
            }
            name.ns = namespaces[prefix].get<std::string>();
            name.local = step.substr(colon + 1);
        }
        path.push_back(std::move(name));
        start = slash + 1;
    }
    return path;
}

Schema schema_of(const std::vector<RecordField>& fields) {
    std::vector<Field> columns;
    for (const RecordField& field : fields) {
        columns.push_back(Field{field.name, field.type, field.nullable});
    }
    return Schema(std::move(columns));
}

Status parse_paging(const nlohmann::json& spec, const Operation& operation, PagingConfig& paging) {
    const std::string kind = spec.at("kind").get<std::string>();
    auto require_param = [&](const char* key) -> Result<std::string> {
        const std::string name = spec.value(key, std::string());
        if (name.empty()) {
            return Status::invalid_argument(std::string("paging \"") + kind + "\" needs \"" + key +
                                            "\"");
        }
        for (const Parameter& parameter : operation.parameters) {
            if (parameter.name.local == name) {
                return name;
            }
        }
        return Status::invalid_argument("paging: operation \"" + operation.name +
                                        "\" has no parameter \"" + name + "\"");
    };
    paging.max_pages = spec.value("max_pages", paging.max_pages);
    if (kind == "page") {
        paging.kind = PagingKind::Page;
        FERRY_ASSIGN_OR_RETURN(paging.page_param, require_param("page_param"));
        if (spec.contains("size_param")) {
            FERRY_ASSIGN_OR_RETURN(paging.size_param, require_param("size_param"));
        }
        paging.size = spec.value("size", std::int64_t{100});
        paging.first = spec.value("first", std::int64_t{1});
        paging.concurrency = spec.value("concurrency", paging.concurrency);
    } else if (kind == "token") {
        paging.kind = PagingKind::Token;
        FERRY_ASSIGN_OR_RETURN(paging.token_param, require_param("token_param"));
        paging.token_field = spec.value("token_field", std::string());
        if (spec.contains("token_path")) {
            FERRY_ASSIGN_OR_RETURN(
                paging.token_path,
                parse_path(spec["token_path"].get<std::string>(), nlohmann::json::object()));
        }
        if (paging.token_field.empty() == paging.token_path.empty()) {
            return Status::invalid_argument(
                "paging \"token\" needs exactly one of \"token_path\" and \"token_field\"");
        }
    } else if (kind == "date_window") {
        paging.kind = PagingKind::DateWindow;
        FERRY_ASSIGN_OR_RETURN(paging.from_param, require_param("from_param"));
        FERRY_ASSIGN_OR_RETURN(paging.to_param, require_param("to_param"));
        FERRY_ASSIGN_OR_RETURN(paging.start, Date::parse_iso(spec.value("start", std::string())));
        FERRY_ASSIGN_OR_RETURN(paging.end, Date::parse_iso(spec.value("end", std::string())));
        paging.days = spec.value("days", 1);
    }
    return Status();
}

} // namespace

std::string ambiguity(const Operation& operation) {
    std::string paths;
    for (const std::vector<QName>& path : operation.ambiguous_records) {
        paths += (paths.empty() ? "" : ", ") + path_text(path);
    }
    return "operation \"" + operation.name + "\" answers with " +
           std::to_string(operation.ambiguous_records.size()) +
           " repeated elements, and Ferry will not guess which one holds the records: " + paths +
           "; set \"record_path\" to one of them";
}

void apply_page_fields(const std::vector<PageField>& page_fields, DatasetConfig& dataset) {
    for (const PageField& field : page_fields) {
        switch (field.role) {
        case PageRole::Total:
            if (dataset.layout.total_path.empty()) {
                dataset.layout.total_path = field.path;
                dataset.total_path_text = path_text(field.path);
            }
            break;
        case PageRole::PageCount:
            dataset.layout.page_count_path = field.path;
            break;
        case PageRole::HasMore:
            dataset.layout.has_more_path = field.path;
            break;
        case PageRole::IsLast:
            dataset.layout.is_last_path = field.path;
            break;
        case PageRole::None:
            break;
        }
    }
}

// record_path names the record element itself: its fields and page metadata come from the
// schema at that path, not from the element discovery chose.
Status use_record_path(const Operation& operation,
                       const std::vector<QName>& path,
                       DatasetConfig& dataset) {
    const ElementShape* shape = operation.shape_at(path);
    if (shape == nullptr) {
        std::string known;
        for (const ElementShape& candidate : operation.shapes) {
            known += (known.empty() ? "" : ", ") + path_text(candidate.path) +
                     (candidate.repeated ? " (repeated)" : "");
        }
        return Status::invalid_argument(
            "record_path \"" + path_text(path) + "\" is not a structured element of operation \"" +
            operation.name + "\"'s response" +
            (known.empty() ? std::string() : "; the response has: " + known));
    }
    dataset.layout.record_path = path;
    dataset.layout.fields = shape->fields;
    dataset.layout.total_path.clear();
    dataset.layout.page_count_path.clear();
    dataset.layout.has_more_path.clear();
    dataset.layout.is_last_path.clear();
    dataset.total_path_text.clear();
    apply_page_fields(shape->page_fields, dataset);
    return Status();
}

Result<DatasetConfig> default_dataset(const Operation& operation, const std::string& name) {
    if (!operation.ambiguous_records.empty()) {
        return Status::invalid_argument(ambiguity(operation));
    }
    if (operation.record_path.empty()) {
        return Status::invalid_argument("operation \"" + operation.name +
                                        "\" returns no records the WSDL describes");
    }
    DatasetConfig dataset;
    dataset.name = name;
    dataset.operation = &operation;
    dataset.layout.record_path = operation.record_path;
    dataset.layout.fields = operation.fields;
    apply_page_fields(operation.page_fields, dataset);
    dataset.schema = schema_of(dataset.layout.fields);
    return dataset;
}

Result<std::unique_ptr<SourceConfig>> load_config(const nlohmann::json& options) {
    auto config = std::make_unique<SourceConfig>();
    ClientOptions& client = config->client;
    const auto timeouts = options.value("timeouts", nlohmann::json::object());
    client.transport.connect_timeout =
        std::chrono::milliseconds(timeouts.value("connect_ms", 10'000));
    client.transport.receive_timeout =
        std::chrono::milliseconds(timeouts.value("receive_ms", 60'000));
    const auto retry = options.value("retry", nlohmann::json::object());
    client.retry.max_attempts = retry.value("max_attempts", 4);
    client.retry.initial = std::chrono::milliseconds(retry.value("initial_ms", 100));
    client.retry.max = std::chrono::milliseconds(retry.value("max_ms", 5000));
    client.retryable_faults = retry.value("retryable_faults", std::vector<std::string>{});
    client.final_faults = retry.value("final_faults", std::vector<std::string>{});
    const auto breaker = options.value("circuit_breaker", nlohmann::json::object());
    config->breaker_threshold = breaker.value("failure_threshold", 5);
    config->breaker_cool_down = std::chrono::milliseconds(breaker.value("cool_down_ms", 30'000));
    const auto limits = options.value("limits", nlohmann::json::object());
    client.limits.max_depth = limits.value("max_depth", client.limits.max_depth);
    client.limits.max_bytes = limits.value("max_response_bytes", client.limits.max_bytes);
    client.limits.max_text_bytes = limits.value("max_text_bytes", client.limits.max_text_bytes);
    const auto auth = options.value("auth", nlohmann::json::object());
    if (auth.contains("ws_security")) {
        const auto& block = auth["ws_security"];
        UsernameToken token;
        token.username = block.at("username").get<std::string>();
        FERRY_ASSIGN_OR_RETURN(token.password, secret(block, "auth.ws_security"));
        token.digest = block.value("password_type", std::string("text")) == "digest";
        client.ws_security = token;
    }
    if (auth.contains("basic")) {
        client.transport.basic_user = auth["basic"].at("username").get<std::string>();
        FERRY_ASSIGN_OR_RETURN(client.transport.basic_password,
                               secret(auth["basic"], "auth.basic"));
    }
    const auto tls = options.value("tls", nlohmann::json::object());
    client.transport.tls_certificate = tls.value("certificate", std::string());
    client.transport.tls_private_key = tls.value("private_key", std::string());
    client.transport.tls_ca = tls.value("ca", std::string());
    client.transport.tls_verify = tls.value("verify", true);

    WsdlOptions wsdl_options;
    if (options.contains("soap_version")) {
        wsdl_options.version =
            options["soap_version"] == "1.2" ? SoapVersion::Soap12 : SoapVersion::Soap11;
    }
    config->wsdl = options.at("wsdl").get<std::string>();
    const std::string endpoint = options.value("endpoint", std::string());
    if (config->wsdl.rfind("http://", 0) == 0 || config->wsdl.rfind("https://", 0) == 0) {
        TransportOptions fetch = client.transport;
        fetch.endpoint = endpoint.empty() ? config->wsdl : endpoint;
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<HttpTransport> transport,
                               HttpTransport::create(fetch));
        auto fetched = transport->get(config->wsdl, static_cast<std::size_t>(16) << 20);
        if (!fetched.ok()) {
            return std::move(fetched).status().with_context("fetching the WSDL");
        }
        const std::string text = std::move(*fetched);
        FERRY_ASSIGN_OR_RETURN(config->service, import_wsdl(text, "", wsdl_options));
    } else {
        FERRY_ASSIGN_OR_RETURN(config->service, import_wsdl_file(config->wsdl, wsdl_options));
    }
    client.transport.endpoint = endpoint.empty() ? config->service.endpoint : endpoint;
    if (client.transport.endpoint.empty()) {
        return Status::invalid_argument(
            "no endpoint: the WSDL has no soap:address; set \"endpoint\"");
    }

    const auto datasets = options.value("datasets", nlohmann::json::object());
    for (const auto& [name, spec] : datasets.items()) {
        const std::string operation_name = spec.at("operation").get<std::string>();
        const Operation* operation = config->service.find(operation_name);
        if (operation == nullptr) {
            return Status::not_found("dataset \"" + name + "\": the WSDL has no operation \"" +
                                     operation_name + "\"");
        }
        const auto namespaces = spec.value("namespaces", nlohmann::json::object());
        DatasetConfig dataset;
        if (spec.contains("record_path")) {
            dataset.name = name;
            dataset.operation = operation;
            FERRY_ASSIGN_OR_RETURN(const std::vector<QName> record_path,
                                   parse_path(spec["record_path"].get<std::string>(), namespaces));
            FERRY_RETURN_IF_ERROR(use_record_path(*operation, record_path, dataset)
                                      .with_context("dataset \"" + name + "\""));
            dataset.schema = schema_of(dataset.layout.fields);
        } else {
            auto made = default_dataset(*operation, name);
            if (!made.ok()) {
                return std::move(made).status().with_context("dataset \"" + name + "\"");
            }
            dataset = std::move(*made);
        }
        dataset.title = spec.value("title", std::string());
        if (spec.contains("total_path")) {
            dataset.total_path_text = spec["total_path"].get<std::string>();
            FERRY_ASSIGN_OR_RETURN(dataset.layout.total_path,
                                   parse_path(dataset.total_path_text, namespaces));
        }
        const nlohmann::json fixed_params = spec.value("params", nlohmann::json::object());
        for (const auto& [param, value] : fixed_params.items()) {
            dataset.params[param] = scalar_text(value);
        }
        if (spec.contains("template")) {
            dataset.body_template = spec["template"].get<std::string>();
        }
        // "fields" retypes a discovered field, or adds one the WSDL does not list: its name
        // is its element path below the record ("Address/City" becomes column Address_City).
        const nlohmann::json retyped = spec.value("fields", nlohmann::json::object());
        for (const auto& [field_name, type] : retyped.items()) {
            bool found = false;
            for (RecordField& field : dataset.layout.fields) {
                if (field.name == field_name) {
                    found = true;
                    FERRY_RETURN_IF_ERROR(override_type(type.get<std::string>(), field));
                }
            }
            if (!found) {
                RecordField added;
                FERRY_ASSIGN_OR_RETURN(const std::vector<QName> steps,
                                       parse_path(field_name, nlohmann::json::object()));
                for (const QName& step : steps) {
                    added.path.push_back(step.local);
                    added.name += (added.name.empty() ? "" : "_") + step.local;
                }
                if (dataset.schema.index_of(added.name)) {
                    return Status::invalid_argument("dataset \"" + name + "\": added field \"" +
                                                    field_name + "\" would be column \"" +
                                                    added.name + "\", which exists");
                }
                FERRY_RETURN_IF_ERROR(
                    override_type(type.get<std::string>(), added)
                        .with_context("dataset \"" + name + "\": field \"" + field_name + "\""));
                added.source_type = "added by the options (" + type.get<std::string>() + ")";
                dataset.layout.fields.push_back(std::move(added));
                dataset.schema = schema_of(dataset.layout.fields);
            }
        }
        dataset.schema = schema_of(dataset.layout.fields);
        if (spec.contains("paging")) {
            FERRY_RETURN_IF_ERROR(parse_paging(spec["paging"], *operation, dataset.paging)
                                      .with_context("dataset \"" + name + "\""));
            if (!dataset.paging.token_field.empty() &&
                !dataset.schema.index_of(dataset.paging.token_field)) {
                return Status::invalid_argument("dataset \"" + name + "\": token_field \"" +
                                                dataset.paging.token_field + "\" is not a field");
            }
            dataset.layout.token_path = dataset.paging.token_path;
        }
        if (spec.contains("lookup")) {
            const auto& block = spec["lookup"];
            LookupConfig lookup;
            lookup.operation = config->service.find(block.at("operation").get<std::string>());
            if (lookup.operation == nullptr || lookup.operation->record_path.empty()) {
                return Status::invalid_argument("dataset \"" + name + "\": lookup operation \"" +
                                                block.at("operation").get<std::string>() +
                                                "\" is not in the WSDL or returns no record");
            }
            lookup.param = block.at("param").get<std::string>();
            lookup.key = block.at("key").get<std::string>();
            if (!dataset.schema.index_of(lookup.key)) {
                return Status::invalid_argument("dataset \"" + name + "\": lookup key \"" +
                                                lookup.key + "\" is not a field");
            }
            lookup.layout.fields = dataset.layout.fields; // same record type, same columns
            lookup.layout.record_path = lookup.operation->record_path;
            if (block.contains("record_path")) {
                FERRY_ASSIGN_OR_RETURN(
                    lookup.layout.record_path,
                    parse_path(block["record_path"].get<std::string>(), namespaces));
            }
            dataset.lookup = std::move(lookup);
        }
        config->datasets.push_back(std::move(dataset));
    }
    for (const Operation& operation : config->service.operations) {
        bool used = false;
        for (const DatasetConfig& dataset : config->datasets) {
            used = used || dataset.operation == &operation ||
                   (dataset.lookup && dataset.lookup->operation == &operation);
        }
        if (!used && operation.repeated && !operation.fields.empty() &&
            operation.ambiguous_records.empty()) {
            config->candidates.push_back(&operation);
        }
    }
    return config;
}

} // namespace ferry::soap

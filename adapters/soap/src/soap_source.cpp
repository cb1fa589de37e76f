// SPDX-License-Identifier: Apache-2.0
// soap_source.cpp — the SOAP adapter: a WSDL's operations as catalog streams.
#include <ferry/plugin/define_plugin.h>
#include <ferry/plugin/source.h>

#include "options_schema.h"
#include "soap_options.h"
#include "soap_stream.h"

namespace ferry::soap {

namespace {

const char* style_name(const Operation& operation) {
    return operation.rpc ? "rpc" : "document";
}

nlohmann::json describe(const DatasetConfig& dataset, bool configured) {
    nlohmann::json fields = nlohmann::json::array();
    for (const RecordField& field : dataset.layout.fields) {
        fields.push_back({{"name", field.name},
                          {"type", field.type.to_string()},
                          {"nullable", field.nullable},
                          {"source_type", field.source_type}});
    }
    const Operation& operation = *dataset.operation;
    nlohmann::json out{
        {"name", dataset.name},
        {"title", dataset.title.empty() ? "SOAP operation " + operation.name : dataset.title},
        {"fields", std::move(fields)},
        {"capabilities", {{"lookup", dataset.lookup.has_value()}, {"resume", true}}},
        {"extensions",
         {{"operation", operation.name},
          {"style", style_name(operation)},
          {"soap_version", operation.version == SoapVersion::Soap12 ? "1.2" : "1.1"},
          {"record_path", path_text(dataset.layout.record_path)},
          {"configured", configured}}}};
    // The scalars beside the records, and what paging and the reconciliation take from them.
    nlohmann::json page = nlohmann::json::array();
    const ResponseLayout& layout = dataset.layout;
    const ElementShape* shape = operation.shape_at(layout.record_path);
    for (const PageField& field : shape ? shape->page_fields : operation.page_fields) {
        nlohmann::json item{{"path", path_text(field.path)}};
        const bool used = field.path == layout.total_path || field.path == layout.page_count_path ||
                          field.path == layout.has_more_path || field.path == layout.is_last_path;
        if (field.role != PageRole::None && used) {
            item["role"] = to_string(field.role);
        }
        page.push_back(std::move(item));
    }
    if (!page.empty()) {
        out["extensions"]["page_metadata"] = std::move(page);
    }
    if (!dataset.total_path_text.empty()) {
        out["extensions"]["total_path"] = dataset.total_path_text;
    }
    if (dataset.lookup) {
        out["key"] = {dataset.lookup->key};
        out["extensions"]["lookup_operation"] = dataset.lookup->operation->name;
    }
    return out;
}

class SoapSource : public plugin::Source {
public:
    static constexpr const char* kName = "soap";
    static constexpr const char* kVersion = "1.0.0";
    static constexpr const char* kDescription =
        "SOAP web services (WSDL 1.1, SOAP 1.1/1.2, document/literal and rpc) as record streams";
    static constexpr const char* kOptionsSchema = soap::kOptionsSchema;

    static Result<std::unique_ptr<SoapSource>> create(const nlohmann::json& options) {
        auto source = std::make_unique<SoapSource>();
        FERRY_ASSIGN_OR_RETURN(source->config_, load_config(options));
        source->breaker_ = std::make_shared<CircuitBreaker>(source->config_->breaker_threshold,
                                                            source->config_->breaker_cool_down);
        for (const Operation* operation : source->config_->candidates) {
            auto dataset = default_dataset(*operation, operation->name);
            if (dataset.ok()) {
                source->candidates_.push_back(std::move(*dataset));
            }
        }
        return source;
    }

    Result<nlohmann::json> discover() override {
        nlohmann::json datasets = nlohmann::json::array();
        for (const DatasetConfig& dataset : config_->datasets) {
            datasets.push_back(describe(dataset, true));
        }
        for (const DatasetConfig& dataset : candidates_) {
            datasets.push_back(describe(dataset, false));
        }
        return nlohmann::json{{"datasets", std::move(datasets)}};
    }

    Result<std::unique_ptr<plugin::Stream>>
    open_stream(const plugin::StreamRequest& request) override {
        const DatasetConfig* dataset = config_->find(request.dataset);
        if (dataset == nullptr) {
            for (const DatasetConfig& candidate : candidates_) {
                if (candidate.name == request.dataset) {
                    dataset = &candidate;
                }
            }
        }
        if (dataset == nullptr) {
            if (const Operation* operation = config_->service.find(request.dataset)) {
                // An operation discovery could not offer: say why (two record lists, none).
                if (auto refused = default_dataset(*operation, request.dataset); !refused.ok()) {
                    return std::move(refused).status();
                }
            }
            return Status::not_found("no dataset \"" + request.dataset +
                                     "\": configure it under \"datasets\" or use an operation "
                                     "that discover() lists");
        }
        ParameterValues params = dataset->params;
        if (request.params.is_object()) {
            for (const auto& [name, value] : request.params.items()) {
                params[name] = value.is_string() ? value.get<std::string>() : value.dump();
            }
        }
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<SoapClient> client,
                               SoapClient::create(config_->client, breaker_));
        if (request.lookup.is_object()) {
            if (!dataset->lookup) {
                return Status::invalid_argument("dataset \"" + dataset->name +
                                                "\" has no lookup operation configured");
            }
            const LookupConfig& lookup = *dataset->lookup;
            const auto key = request.lookup.find(lookup.key);
            if (key == request.lookup.end() || request.lookup.size() != 1 ||
                !(key->is_string() || key->is_number())) {
                return Status::invalid_argument("lookup needs exactly {\"" + lookup.key +
                                                "\": <value>}");
            }
            params = {{lookup.param, key->is_string() ? key->get<std::string>() : key->dump()}};
            return open_soap_stream(*dataset, *lookup.operation, lookup.layout, kSingleCall,
                                    std::move(params), std::move(client), PageCursor{});
        }
        PageCursor start;
        if (!request.resume.is_null()) {
            FERRY_ASSIGN_OR_RETURN(start, PageCursor::from_json(request.resume));
        }
        // Fail on a bad parameter now rather than at the first batch.
        for (const auto& [name, value] : params) {
            bool known = dataset->body_template.has_value();
            for (const Parameter& parameter : dataset->operation->parameters) {
                known = known || parameter.name.local == name;
            }
            if (!known) {
                return Status::invalid_argument("operation \"" + dataset->operation->name +
                                                "\" has no parameter \"" + name + "\"");
            }
        }
        return open_soap_stream(*dataset, *dataset->operation, dataset->layout, dataset->paging,
                                std::move(params), std::move(client), start);
    }

private:
    static inline const PagingConfig kSingleCall{};

    std::unique_ptr<SourceConfig> config_;
    std::vector<DatasetConfig> candidates_;
    std::shared_ptr<CircuitBreaker> breaker_;
};

} // namespace

} // namespace ferry::soap

FERRY_DEFINE_PLUGIN(Soap, ferry::soap::SoapSource);

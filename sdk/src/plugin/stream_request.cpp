// SPDX-License-Identifier: Apache-2.0
// stream_request.cpp — parsing open_stream's request JSON, and lambda-backed streams.
#include <utility>

#include "ferry/plugin/source.h"
#include "ferry/plugin/stream.h"

namespace ferry::plugin {

namespace {

// One batch never needs more records than this; it bounds a plugin's memory per batch.
constexpr std::int64_t kMaxBatchRows = 1'000'000;

Result<std::int64_t>
read_count(const nlohmann::json& value, const char* key, std::int64_t min, std::int64_t max) {
    if (!value.is_number_integer()) {
        return Status::invalid_argument(std::string("request \"") + key + "\" must be an integer");
    }
    const auto number = value.get<std::int64_t>();
    if (number < min || number > max) {
        return Status::invalid_argument(std::string("request \"") + key + "\" is " +
                                        std::to_string(number) + ", must be in [" +
                                        std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return number;
}

class FunctionStream final : public Stream {
public:
    FunctionStream(Schema schema, FillFunction fill)
        : Stream(std::move(schema))
        , fill_(std::move(fill)) {}

    Result<bool> fill(BatchBuilder& out) override { return fill_(out, *this); }

private:
    FillFunction fill_;
};

} // namespace

Result<StreamRequest> StreamRequest::parse(std::string dataset, const char* request_json) {
    StreamRequest request;
    request.dataset = std::move(dataset);
    if (request_json == nullptr || *request_json == '\0') {
        return request;
    }
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(request_json);
    } catch (const nlohmann::json::exception& error) { // 1e309 is out_of_range, not parse_error
        return Status::invalid_argument(std::string("request is not valid JSON: ") + error.what());
    }
    if (doc.is_null()) {
        return request;
    }
    if (!doc.is_object()) {
        return Status::invalid_argument("request must be a JSON object");
    }
    for (auto& [key, value] : doc.items()) {
        if (key == "resume") {
            request.resume = value;
        } else if (key == "lookup") {
            if (!value.is_object()) {
                return Status::invalid_argument("request \"lookup\" must be an object of key "
                                                "fields to values");
            }
            request.lookup = value;
        } else if (key == "params") {
            request.params = value;
        } else if (key == "limit") {
            FERRY_ASSIGN_OR_RETURN(request.limit, read_count(value, "limit", 0, INT64_MAX));
        } else if (key == "batch_rows") {
            FERRY_ASSIGN_OR_RETURN(request.batch_rows,
                                   read_count(value, "batch_rows", 1, kMaxBatchRows));
        } else {
            return Status::invalid_argument("unknown request key \"" + key +
                                            "\" (known: resume, lookup, params, limit, "
                                            "batch_rows)");
        }
    }
    return request;
}

std::unique_ptr<Stream> make_stream(Schema schema, FillFunction fill) {
    return std::make_unique<FunctionStream>(std::move(schema), std::move(fill));
}

nlohmann::json describe_fields(const Schema& schema) {
    nlohmann::json fields = nlohmann::json::array();
    for (const Field& field : schema.fields()) {
        fields.push_back(
            {{"name", field.name}, {"type", field.type.to_string()}, {"nullable", field.nullable}});
    }
    return fields;
}

Result<nlohmann::json> Source::list_partitions(const StreamRequest& request) {
    (void)request;
    return nlohmann::json::array({{{"id", "all"},
                                   {"request", nlohmann::json::object()},
                                   {"description", "the whole dataset"}}});
}

void Source::log(std::int32_t level, std::string_view message) const {
    if (host_ == nullptr || host_->log == nullptr) {
        return;
    }
    const std::string text(message);
    host_->log(host_->host_ctx, level, text.c_str());
}

} // namespace ferry::plugin

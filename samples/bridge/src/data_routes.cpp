// SPDX-License-Identifier: Apache-2.0
// data_routes.cpp — catalog, dataset description, record streams, key lookups and rejects.
#include <ostream>

#include "ferry/dcat.h"
#include "ferry/mapped_reader.h"
#include "ferry/text.h"

#include "record_stream.h"
#include "routes_internal.h"
#include "usage.h"

namespace ferry::bridge {

namespace {

// A dataset the consumer may read, with its field policy; sends the error otherwise.
struct Access {
    std::shared_ptr<const Dataset> dataset;
    std::shared_ptr<const FieldPolicy> policy;
};

std::optional<Access>
open_access(BridgeContext& context, Exchange& exchange, const std::string& id) {
    exchange.dataset = valid_id(id) ? id : "-";
    auto dataset = context.datasets().find(id);
    if (!dataset) {
        send_error(exchange, Status::not_found("no dataset \"" + exchange.dataset + "\""));
        return std::nullopt;
    }
    Result<std::shared_ptr<const FieldPolicy>> policy =
        context.policy(*exchange.consumer, *dataset);
    if (!policy.ok()) {
        send_error(exchange, policy.status());
        return std::nullopt;
    }
    exchange.purpose = (*policy)->purpose();
    exchange.fields = (*policy)->delivered_fields();
    return Access{std::move(dataset), std::move(*policy)};
}

std::string dataset_title(const Dataset& dataset) {
    const nlohmann::json& metadata = dataset.metadata();
    if (metadata.is_object() && metadata.contains("resource_name")) {
        return metadata["resource_name"].get<std::string>();
    }
    return dataset.mapping.entity().title;
}

std::string dataset_sharing(const Dataset& dataset) {
    const nlohmann::json& metadata = dataset.metadata();
    return metadata.is_object() ? metadata.value("sharing", nlohmann::json::object())
                                      .value("type", std::string("unconditional"))
                                : std::string("unconditional");
}

nlohmann::json info_items(const Dataset& dataset) {
    nlohmann::json items = nlohmann::json::array();
    const Schema& schema = dataset.mapping.output_schema();
    for (std::size_t idx = 0; idx < schema.size(); ++idx) {
        const CatalogField& field = dataset.mapping.output_field(idx);
        items.push_back({{"name", field.name},
                         {"title", field.title},
                         {"title_zh", field.title_zh},
                         {"type", field.type_name},
                         {"sharing", sharing_name(field.sharing)},
                         {"sensitivity", sensitivity_name(field.sensitivity)}});
    }
    return items;
}

class ResponseSink : public ChunkSink {
public:
    explicit ResponseSink(Exchange& exchange)
        : exchange_(exchange) {}

    bool write(std::string_view chunk) override {
        if (out_ == nullptr) {
            auto& response = exchange_.response;
            response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
            response.setContentType("application/x-ndjson; charset=utf-8");
            response.setChunkedTransferEncoding(true);
            response.set("Cache-Control", "no-store");
            exchange_.status = 200;
            exchange_.sent = true;
            out_ = &response.send();
        }
        try {
            out_->write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            out_->flush();
        } catch (const std::exception&) {
            return false;
        }
        return out_->good();
    }

    bool started() const noexcept { return out_ != nullptr; }

private:
    Exchange& exchange_;
    std::ostream* out_ = nullptr;
};

} // namespace

void handle_catalog(BridgeContext& context, Exchange& exchange) {
    if (!check_params(exchange, {"format"})) {
        return;
    }
    const std::string format = exchange.param("format");
    if (!format.empty() && format != "dcat" && format != "json") {
        send_error(exchange,
                   Status::invalid_argument("parameter \"format\" is \"json\" or \"dcat\"")
                       .with_field("format"));
        return;
    }
    const auto datasets = context.datasets().all();
    if (format == "dcat") {
        std::vector<DcatDataset> items;
        for (const auto& dataset : datasets) {
            items.push_back({dataset->id, dataset->metadata(), info_items(*dataset)});
        }
        const BridgeConfig& config = context.config();
        DcatCatalog catalog{context.base_url(), config.catalog_title, config.catalog_description,
                            config.publisher};
        exchange.detail = "dcat";
        send_text(exchange, 200, "application/ld+json; charset=utf-8",
                  to_dcat_jsonld(catalog, items).dump() + "\n");
        return;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& dataset : datasets) {
        const bool granted = context.policy(*exchange.consumer, *dataset).ok();
        list.push_back(
            {{"id", dataset->id},
             {"title", dataset_title(*dataset)},
             {"entity", dataset->mapping.entity().name},
             {"sharing", dataset_sharing(*dataset)},
             {"granted", granted},
             {"lookup", !dataset->key_field.empty()},
             {"href", context.base_url() + "/v1/datasets/" + dataset->id},
             {"records", context.base_url() + "/v1/datasets/" + dataset->id + "/records"}});
    }
    send_json(exchange, 200, {{"datasets", std::move(list)}});
}

void handle_dataset(BridgeContext& context, Exchange& exchange, const std::string& id) {
    if (!check_params(exchange, {})) {
        return;
    }
    const std::optional<Access> access = open_access(context, exchange, id);
    if (!access) {
        return;
    }
    const Dataset& dataset = *access->dataset;
    nlohmann::json fields = nlohmann::json::array();
    for (const FieldRule& rule : access->policy->rules()) {
        if (rule.access != FieldAccess::Omitted) {
            fields.push_back({{"name", rule.name},
                              {"access", rule.access == FieldAccess::Clear ? "clear" : "masked"}});
        }
    }
    const CatalogEntity& entity = dataset.mapping.entity();
    send_json(exchange, 200,
              {{"id", dataset.id},
               {"title", dataset_title(dataset)},
               {"entity", entity.name},
               {"key", entity.key},
               {"lookup", !dataset.key_field.empty()},
               {"resumable", dataset.resumable},
               {"metadata", dataset.metadata()},
               {"purpose", access->policy->purpose()},
               {"fields", std::move(fields)},
               {"schema", access->policy->record_schema(entity)}});
}

void handle_records(BridgeContext& context, Exchange& exchange, const std::string& id) {
    if (!check_params(exchange, {"since", "limit"})) {
        return;
    }
    const std::optional<Access> access = open_access(context, exchange, id);
    if (!access) {
        return;
    }
    std::optional<std::int64_t> limit;
    if (!int_param(exchange, "limit", context.config().limits.max_limit, limit)) {
        return;
    }
    PullOptions options;
    options.start.dataset = id;
    if (const std::string since = exchange.param("since"); !since.empty()) {
        Result<Cursor> cursor = context.cursors().decode(since, id);
        if (!cursor.ok()) {
            send_error(exchange, cursor.status());
            return;
        }
        options.start = std::move(*cursor);
    }
    if (context.draining.load()) {
        send_error(exchange, Status::unavailable("the bridge is shutting down"));
        return;
    }
    const std::int64_t day = RateLimiter::utc_day_now();
    const std::int64_t quota = context.limiter().remaining_quota(*exchange.consumer, day);
    if (quota <= 0) {
        exchange.response.set("Retry-After", "3600");
        send_json(exchange, 429,
                  error_body(Status::unavailable("daily record quota of consumer \"" +
                                                 exchange.consumer->id + "\" is used up"),
                             429));
        exchange.result = "quota_exceeded";
        return;
    }
    if (quota < limit.value_or(INT64_MAX)) {
        limit = quota;
    }
    options.limit = limit;
    ResponseSink sink(exchange);
    context.metrics().stream_started();
    PullOutcome outcome = pull_records(context, *access->dataset, *access->policy, options, sink);
    context.metrics().stream_finished();
    context.metrics().add_records(id, outcome.delivered, outcome.rejected, outcome.skipped);
    context.metrics().add_source_retries(id, outcome.retries);
    if (outcome.reconciliation) {
        context.metrics().add_stream_verdict(id, outcome.reconciliation->verdict);
    }
    context.limiter().add_delivered(*exchange.consumer, day, outcome.delivered);
    exchange.records = outcome.delivered;
    if (outcome.status.ok()) {
        context.note_source(*access->dataset, outcome.status);
    } else if (!outcome.receiver_gone && outcome.status.code() != StatusCode::Cancelled) {
        context.note_source(*access->dataset, outcome.status);
    }
    if (outcome.reconciliation) {
        exchange.verdict = std::string(to_string(outcome.reconciliation->verdict));
    }
    if (!sink.started() && !outcome.status.ok()) {
        send_error(exchange, outcome.status); // nothing sent yet: an error status
    } else if (!outcome.receiver_gone) {
        sink.write(summary_line(context, outcome));
    }
    if (outcome.receiver_gone) {
        exchange.result = "client_disconnected";
    } else if (!outcome.status.ok()) {
        // An unreconciled source is a failure of its own kind: the audit line says so.
        exchange.result = outcome.unreconciled() ? "unreconciled" : "error";
        exchange.detail = outcome.status.message();
    }
}

void handle_lookup(BridgeContext& context,
                   Exchange& exchange,
                   const std::string& id,
                   const std::string& key) {
    if (!check_params(exchange, {})) {
        return;
    }
    const std::optional<Access> access = open_access(context, exchange, id);
    if (!access) {
        return;
    }
    const Dataset& dataset = *access->dataset;
    if (key.empty() || key.size() > 256 || !is_valid_utf8(key) ||
        std::any_of(key.begin(), key.end(),
                    [](char ch) { return static_cast<unsigned char>(ch) < 0x20; })) {
        send_error(exchange, Status::invalid_argument("the key must be 1 to 256 bytes of UTF-8 "
                                                      "without control characters")
                                 .with_field("key"));
        return;
    }
    if (dataset.key_field.empty()) {
        send_error(exchange, Status::not_implemented("dataset \"" + id +
                                                     "\" cannot be looked up by key (its source "
                                                     "offers no lookup on the catalog key)"));
        return;
    }
    FieldAccess key_access = FieldAccess::Omitted;
    for (const FieldRule& rule : access->policy->rules()) {
        if (rule.name == dataset.key_field) {
            key_access = rule.access;
        }
    }
    if (key_access == FieldAccess::Omitted) {
        send_error(exchange, Status::unauthorized("the grant does not include the key field \"" +
                                                  dataset.key_field + "\""));
        return;
    }
    if (key_access == FieldAccess::Masked) {
        // The answer would pair the clear key asked with its masked form: asking for every ID
        // would map the pseudonyms back to people.
        send_error(exchange, Status::unauthorized("the key field \"" + dataset.key_field +
                                                  "\" reaches this consumer masked, so records "
                                                  "cannot be looked up by its clear value"));
        return;
    }
    int retries = 0;
    Result<BatchReader> reader = open_source_stream(
        context, dataset, {{"lookup", {{dataset.lookup_source_field, key}}}}, &retries);
    context.metrics().add_source_retries(id, retries);
    if (!reader.ok()) {
        if (reader.status().code() != StatusCode::InvalidArgument) {
            context.note_source(dataset, reader.status());
        }
        send_error(exchange, reader.status());
        return;
    }
    MappedReader mapped(batch_source(std::move(*reader)), dataset.mapping, 0);
    const std::size_t key_index = *dataset.mapping.output_schema().index_of(dataset.key_field);
    std::string body;
    std::optional<Status> rejected;
    for (;;) {
        Result<std::optional<Batch>> next = mapped.next();
        if (!next.ok()) {
            context.note_source(dataset, next.status());
            send_error(exchange, next.status());
            return;
        }
        if (!*next) {
            context.note_source(dataset, Status());
            break;
        }
        const Batch& batch = **next;
        const ColumnView keys = batch.column(key_index);
        for (std::int64_t row = 0; row < batch.num_rows() && body.empty(); ++row) {
            if (!keys.is_null(row) && keys.value(row).to_string() == key) {
                access->policy->append_rows(batch, row, row + 1, body);
            }
        }
        for (const FerryReject& reject : batch.rejects()) {
            context.quarantine().add(id, reject);
            rejected = Status::data(std::string("the record is rejected by the mapping") +
                                    (reject.rule ? std::string(": ") + reject.rule : "") + ": " +
                                    (reject.reason ? reject.reason : ""))
                           .with_field(reject.field ? reject.field : "")
                           .with_record_no(reject.record_no);
        }
    }
    if (!body.empty()) {
        body.pop_back(); // one JSON object, not an NDJSON line
        exchange.records = 1;
        context.metrics().add_records(id, 1, 0);
        send_text(exchange, 200, "application/json; charset=utf-8", body + "\n");
    } else if (rejected) {
        context.metrics().add_records(id, 0, 1);
        send_error(exchange, *rejected, 422);
    } else {
        send_error(exchange, Status::not_found("no record with this key in \"" + id + "\""));
    }
}

void handle_rejects(BridgeContext& context, Exchange& exchange, const std::string& id) {
    if (!check_params(exchange, {"after", "limit"})) {
        return;
    }
    exchange.dataset = valid_id(id) ? id : "-";
    if (!exchange.consumer->operator_role) {
        send_error(exchange, Status::unauthorized("rejects are for operators"));
        return;
    }
    if (!context.datasets().find(id)) {
        send_error(exchange, Status::not_found("no dataset \"" + exchange.dataset + "\""));
        return;
    }
    std::optional<std::int64_t> after;
    std::optional<std::int64_t> limit;
    if (!int_param(exchange, "after", INT64_MAX, after) ||
        !int_param(exchange, "limit", 10000, limit)) {
        return;
    }
    nlohmann::json list = context.quarantine().list(id, after.value_or(0), limit.value_or(100));
    exchange.records = static_cast<std::int64_t>(list["rejects"].size());
    send_json(exchange, 200, list);
}

void handle_usage(BridgeContext& context, Exchange& exchange) {
    if (!check_params(exchange, {"from", "to"})) {
        return;
    }
    if (!exchange.consumer->operator_role) {
        send_error(exchange, Status::unauthorized("usage is for operators"));
        return;
    }
    // Default: the last 30 days, today included.
    UsageQuery query;
    query.today = utc_today();
    query.to = exchange.param("to").empty() ? add_days(query.today, 1) : exchange.param("to");
    query.from = exchange.param("from").empty() ? add_days(query.to, -30) : exchange.param("from");
    std::vector<std::string> datasets;
    for (const auto& dataset : context.datasets().all()) {
        datasets.push_back(dataset->id);
    }
    Result<nlohmann::json> report =
        usage_report(context.config().audit_file, *context.consumers(), datasets, query);
    if (!report.ok()) {
        send_error(exchange, report.status());
        return;
    }
    send_json(exchange, 200, *report);
}

void handle_reload(BridgeContext& context, Exchange& exchange) {
    if (!exchange.consumer->operator_role) {
        send_error(exchange, Status::unauthorized("reload is for operators"));
        return;
    }
    if (Status status = context.reload(); !status.ok()) {
        send_error(exchange, status);
        return;
    }
    send_json(exchange, 200, {{"reloaded", context.datasets().all().size()}});
}

} // namespace ferry::bridge

// SPDX-License-Identifier: Apache-2.0
// bridge_context.cpp — opening the bridge's state and keeping it consistent across reloads.
#include "bridge_context.h"

namespace ferry::bridge {

Result<std::unique_ptr<BridgeContext>> BridgeContext::open(BridgeConfig config) {
    FERRY_ASSIGN_OR_RETURN(CursorCodec cursors, CursorCodec::open(config.cursor_key_file));
    std::unique_ptr<BridgeContext> context(
        new BridgeContext(std::move(config), std::move(cursors)));
    FERRY_ASSIGN_OR_RETURN(context->datasets_, DatasetRegistry::open(context->config_));
    FERRY_ASSIGN_OR_RETURN(ConsumerRegistry consumers,
                           ConsumerRegistry::load(context->config_.consumers_file));
    FERRY_RETURN_IF_ERROR(context->check_grants(consumers));
    context->consumers_ = std::make_shared<const ConsumerRegistry>(std::move(consumers));
    FERRY_ASSIGN_OR_RETURN(context->audit_, AuditLog::open(context->config_.audit_file,
                                                           context->config_.audit_rotation));
    for (const SourceConfig& source : context->config_.sources) {
        context->breakers_.emplace(
            source.id,
            std::make_unique<CircuitBreaker>(
                context->config_.reliability.breaker_failures,
                std::chrono::seconds(context->config_.reliability.breaker_cool_down_seconds)));
    }
    const ListenConfig& listen = context->config_.listen;
    context->base_url_ = context->config_.base_url.empty()
                             ? "http://" + listen.address + ":" + std::to_string(listen.port)
                             : context->config_.base_url;
    return context;
}

// Grants must name datasets and fields that exist, and may not ask for what never leaves: a
// typo in a grant would otherwise silently deliver less (or, worse, look like it delivers more).
Status BridgeContext::check_grants(const ConsumerRegistry& consumers) const {
    for (const Consumer& consumer : consumers.consumers()) {
        for (const Grant& grant : consumer.grants) {
            const std::string where = config_.consumers_file.string() + ": consumer \"" +
                                      consumer.id + "\", grant for \"" + grant.dataset + "\"";
            const auto dataset = datasets_->find(grant.dataset);
            if (!dataset) {
                return Status::invalid_argument(where + ": no such dataset");
            }
            const CatalogEntity& entity = dataset->mapping.entity();
            const auto check_field = [&](const std::string& name, const char* list) -> Status {
                const CatalogField* field = entity.field(name);
                if (field == nullptr) {
                    return Status::invalid_argument(where + ": " + list + " names \"" + name +
                                                    "\", which entity " + entity.name +
                                                    " does not have");
                }
                // The mapping may restrict the catalog's sharing; what it publishes counts.
                const auto index = dataset->mapping.output_schema().index_of(name);
                const Sharing sharing =
                    index ? dataset->mapping.output_field(*index).sharing : field->sharing;
                if (sharing == Sharing::None) {
                    return Status::invalid_argument(where + ": " + list + " names \"" + name +
                                                    "\", which is 不予共享 (never shared)");
                }
                return {};
            };
            for (const std::string& name : grant.fields) {
                FERRY_RETURN_IF_ERROR(check_field(name, "fields"));
            }
            for (const std::string& name : grant.clear) {
                FERRY_RETURN_IF_ERROR(check_field(name, "clear"));
            }
        }
    }
    return {};
}

std::shared_ptr<const ConsumerRegistry> BridgeContext::consumers() const {
    std::lock_guard lock(mutex_);
    return consumers_;
}

CircuitBreaker& BridgeContext::breaker(const std::string& source_id) {
    return *breakers_.at(source_id);
}

void BridgeContext::note_source(const Dataset& dataset, const Status& outcome) {
    CircuitBreaker& source_breaker = breaker(dataset.source->config.id);
    const bool outage =
        outcome.code() == StatusCode::Unavailable || outcome.code() == StatusCode::Io;
    if (outcome.ok()) {
        source_breaker.record_success();
    } else if (outage) {
        source_breaker.record_failure();
    }
    metrics_.set_circuit_state(dataset.id, static_cast<int>(source_breaker.state()));
    if (outcome.ok() || outage) {
        metrics_.note_source(dataset.id, outcome);
    } else {
        metrics_.add_source_error(dataset.id);
    }
}

BackoffPolicy BridgeContext::backoff() const {
    BackoffPolicy policy;
    policy.max_attempts = config_.reliability.max_attempts;
    policy.initial = std::chrono::milliseconds(config_.reliability.initial_backoff_ms);
    policy.max = std::chrono::milliseconds(config_.reliability.max_backoff_ms);
    return policy;
}

Result<std::shared_ptr<const FieldPolicy>> BridgeContext::policy(const Consumer& consumer,
                                                                 const Dataset& dataset) {
    const Grant* grant = consumer.grant_for(dataset.id);
    const auto now = std::chrono::system_clock::now();
    if (grant == nullptr || grant->expired(now)) {
        return FieldPolicy::build(dataset, grant, now); // the error, with its reason
    }
    std::string key;
    {
        std::lock_guard lock(mutex_);
        key = consumer.id + '\n' + dataset.id + '\n' + std::to_string(dataset.generation) + '\n' +
              std::to_string(consumers_generation_);
        if (const auto found = policies_.find(key); found != policies_.end()) {
            return found->second;
        }
    }
    FERRY_ASSIGN_OR_RETURN(auto built, FieldPolicy::build(dataset, grant, now));
    std::lock_guard lock(mutex_);
    policies_[key] = built;
    return built;
}

Status BridgeContext::reload() {
    FERRY_ASSIGN_OR_RETURN(ConsumerRegistry consumers,
                           ConsumerRegistry::load(config_.consumers_file));
    FERRY_RETURN_IF_ERROR(datasets_->reload());
    FERRY_RETURN_IF_ERROR(check_grants(consumers));
    std::lock_guard lock(mutex_);
    consumers_ = std::make_shared<const ConsumerRegistry>(std::move(consumers));
    ++consumers_generation_;
    policies_.clear();
    return {};
}

} // namespace ferry::bridge

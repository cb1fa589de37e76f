// SPDX-License-Identifier: Apache-2.0
// soap_stream.cpp — the paging loop, with retries that never lose or repeat a record.
#include "soap_stream.h"

#include <charconv>
#include <random>
#include <thread>

namespace ferry::soap {

nlohmann::json PageCursor::to_json() const {
    nlohmann::json out{{"page", page}, {"skip", skip}, {"record_no", record_no}};
    if (started_token) {
        out["token"] = token;
    }
    if (window > 0) {
        out["window"] = window;
    }
    return out;
}

Result<PageCursor> PageCursor::from_json(const nlohmann::json& checkpoint) {
    PageCursor cursor;
    try {
        cursor.page = checkpoint.value("page", cursor.page);
        cursor.skip = checkpoint.value("skip", std::int64_t{0});
        cursor.record_no = checkpoint.value("record_no", std::int64_t{1});
        cursor.window = checkpoint.value("window", 0);
        if (checkpoint.contains("token")) {
            cursor.token = checkpoint["token"].get<std::string>();
            cursor.started_token = true;
        }
    } catch (const nlohmann::json::exception& error) {
        return Status::invalid_argument(std::string("resume: not a SOAP checkpoint: ") +
                                        error.what());
    }
    if (cursor.skip < 0 || cursor.record_no < 1) {
        return Status::invalid_argument("resume: \"skip\" and \"record_no\" must be positive");
    }
    return cursor;
}

namespace {

class SoapStream : public plugin::Stream {
public:
    SoapStream(const DatasetConfig& dataset,
               const Operation& operation,
               const ResponseLayout& layout,
               const PagingConfig& paging,
               ParameterValues params,
               std::unique_ptr<SoapClient> client,
               PageCursor start)
        : Stream(dataset.schema)
        , operation_(operation)
        , layout_(layout)
        , paging_(paging)
        , body_template_(dataset.body_template)
        , params_(std::move(params))
        , client_(std::move(client))
        , cursor_(std::move(start))
        , total_path_(dataset.total_path_text)
        , random_(std::random_device{}()) {
        accounting().set_resumed_after(cursor_.record_no - 1);
        if (paging_.kind == PagingKind::Page && cursor_.page < paging_.first) {
            cursor_.page = paging_.first;
        }
        if (!paging_.token_field.empty()) {
            token_column_ = dataset.schema.index_of(paging_.token_field);
        }
    }

    Result<bool> fill(BatchBuilder& out) override {
        while (!done_ && !out.full() && !cancelled()) {
            FERRY_RETURN_IF_ERROR(step(out));
        }
        out.set_checkpoint(cursor_.to_json().dump());
        if (done_) {
            parser_.reset();
        }
        return !done_;
    }

private:
    // One unit of progress: open a page, read one record, or finish a page.
    Status step(BatchBuilder& out) {
        if (!parser_) {
            FERRY_ASSIGN_OR_RETURN(std::string body, request_body());
            auto opened = client_->attempt(operation_, layout_, body);
            if (!opened.ok()) {
                return transient(opened.status()) ? back_off(opened.status()) : opened.status();
            }
            parser_ = std::move(*opened);
            seen_in_page_ = 0;
            last_token_value_.clear();
        }
        auto more = parser_->next_record();
        if (!more.ok()) {
            // An HTTP 5xx whose body is not even a SOAP fault (a proxy's error page) is the
            // server's trouble, not the data's: worth another try.
            const bool server_error = parser_->http_status() >= 500;
            parser_.reset();
            if (transient(more.status()) || server_error) {
                client_->report(false);
                return back_off(Status::unavailable(more.status().message()));
            }
            return std::move(more).status().with_context(where());
        }
        if (!*more) {
            if (const auto& fault = parser_->fault()) {
                Status status = client_->fault_status(*fault, operation_.name);
                client_->report(!transient(status));
                parser_.reset();
                return transient(status) ? back_off(status) : status;
            }
            return finish_page();
        }
        if (++seen_in_page_ <= cursor_.skip) {
            return Status(); // delivered before this page had to be re-requested
        }
        FERRY_RETURN_IF_ERROR(parser_->emit(out, cursor_.record_no, where()));
        if (token_column_) {
            remember_token();
        }
        ++cursor_.record_no;
        ++cursor_.skip;
        failures_ = 0;
        return Status();
    }

    Status finish_page() {
        const std::int64_t records = seen_in_page_;
        std::optional<std::string> token = parser_->token();
        FERRY_RETURN_IF_ERROR(declare_total());
        parser_.reset();
        failures_ = 0;
        ++pages_read_;
        cursor_.skip = 0;
        if (pages_read_ >= paging_.max_pages) {
            done_ = true;
            return Status();
        }
        switch (paging_.kind) {
        case PagingKind::None:
            done_ = true;
            break;
        case PagingKind::Page:
            ++cursor_.page;
            done_ = records == 0 || (!paging_.size_param.empty() && records < paging_.size);
            break;
        case PagingKind::Token: {
            std::string next = token_column_ ? last_token_value_ : token.value_or("");
            done_ =
                records == 0 || next.empty() || (cursor_.started_token && next == cursor_.token);
            cursor_.token = std::move(next);
            cursor_.started_token = true;
            break;
        }
        case PagingKind::DateWindow:
            ++cursor_.window;
            done_ =
                window_start(cursor_.window).days_since_epoch() > paging_.end.days_since_epoch();
            break;
        }
        return Status();
    }

    // The service's own count of the whole result, as the last page read says it: the host
    // checks it against the records read, so a page the paging missed cannot pass silently.
    Status declare_total() {
        const std::optional<std::string>& text = parser_->total();
        if (total_path_.empty() || !text) {
            return Status();
        }
        std::int64_t total = -1;
        const auto [end, failed] =
            std::from_chars(text->data(), text->data() + text->size(), total);
        if (failed != std::errc() || end != text->data() + text->size() || total < 0) {
            return Status::data(where() + ": total_path " + total_path_ + " holds \"" +
                                text->substr(0, 40) + "\", not a count of records");
        }
        accounting().declare_records(total, total_path_ + " (" + where() + ")");
        accounting().set_expected_total(total, std::nullopt);
        return Status();
    }

    Date window_start(std::int32_t window) const {
        return Date::from_days(paging_.start.days_since_epoch() + window * paging_.days);
    }

    void remember_token() { last_token_value_ = parser_->field_text(*token_column_); }

    Result<std::string> request_body() const {
        ParameterValues values = params_;
        switch (paging_.kind) {
        case PagingKind::None:
            break;
        case PagingKind::Page:
            values[paging_.page_param] = std::to_string(cursor_.page);
            if (!paging_.size_param.empty()) {
                values[paging_.size_param] = std::to_string(paging_.size);
            }
            break;
        case PagingKind::Token:
            if (cursor_.started_token) {
                values[paging_.token_param] = cursor_.token;
            }
            break;
        case PagingKind::DateWindow: {
            const Date from = window_start(cursor_.window);
            const std::int32_t last = std::min(from.days_since_epoch() + paging_.days - 1,
                                               paging_.end.days_since_epoch());
            values[paging_.from_param] = from.to_string();
            values[paging_.to_param] = Date::from_days(last).to_string();
            break;
        }
        }
        if (body_template_) {
            return expand_template(*body_template_, values);
        }
        return build_body(operation_, values);
    }

    Status back_off(const Status& failure) {
        ++failures_;
        const BackoffPolicy& policy = client_->options().retry;
        if (failures_ >= policy.max_attempts) {
            Status status = failure;
            return std::move(status).with_context(where() + ": gave up after " +
                                                  std::to_string(failures_) + " attempts");
        }
        ++retries_;
        std::this_thread::sleep_for(policy.delay(failures_, random_()));
        return Status();
    }

    std::string where() const {
        std::string out = operation_.name;
        switch (paging_.kind) {
        case PagingKind::Page:
            out += " page " + std::to_string(cursor_.page);
            break;
        case PagingKind::DateWindow:
            out += " window " + window_start(cursor_.window).to_string();
            break;
        default:
            break;
        }
        return out;
    }

    const Operation& operation_;
    const ResponseLayout& layout_;
    const PagingConfig& paging_;
    std::optional<std::string> body_template_;
    ParameterValues params_;
    std::unique_ptr<SoapClient> client_;
    PageCursor cursor_;
    std::string total_path_;
    std::mt19937_64 random_;
    std::unique_ptr<ResponseParser> parser_;
    std::optional<std::size_t> token_column_;
    std::string last_token_value_;
    std::int64_t seen_in_page_ = 0;
    std::int64_t pages_read_ = 0;
    int failures_ = 0;
    int retries_ = 0;
    bool done_ = false;
};

} // namespace

Result<std::unique_ptr<plugin::Stream>> open_soap_stream(const DatasetConfig& dataset,
                                                         const Operation& operation,
                                                         const ResponseLayout& layout,
                                                         const PagingConfig& paging,
                                                         ParameterValues params,
                                                         std::unique_ptr<SoapClient> client,
                                                         PageCursor start) {
    return std::unique_ptr<plugin::Stream>(
        std::make_unique<SoapStream>(dataset, operation, layout, paging, std::move(params),
                                     std::move(client), std::move(start)));
}

} // namespace ferry::soap

// SPDX-License-Identifier: Apache-2.0
// soap_stream.cpp — the paging loop, with retries that never lose or repeat a record.
#include "soap_stream.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

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

// Clients for the threads that fetch pages ahead: each fetch takes one and gives it back, so
// connections are kept alive across pages.
class ClientPool {
public:
    explicit ClientPool(const SoapClient& prototype)
        : prototype_(prototype) {}

    Result<std::unique_ptr<SoapClient>> acquire() {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                std::unique_ptr<SoapClient> client = std::move(idle_.back());
                idle_.pop_back();
                return client;
            }
        }
        return prototype_.sibling();
    }

    void release(std::unique_ptr<SoapClient> client) {
        const std::lock_guard<std::mutex> lock(mutex_);
        idle_.push_back(std::move(client));
    }

private:
    const SoapClient& prototype_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<SoapClient>> idle_;
};

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
        if (failed_) {
            return *std::exchange(failed_, std::nullopt);
        }
        while (!done_ && !out.full() && !cancelled()) {
            if (Status status = step(out); !status.ok()) {
                if (out.empty()) {
                    return status;
                }
                // The records read before the failure are delivered with the checkpoint that
                // resumes after them; the failure ends the stream at the next call.
                failed_ = std::move(status);
                parser_.reset();
                out.set_checkpoint(cursor_.to_json().dump());
                return true;
            }
        }
        out.set_checkpoint(cursor_.to_json().dump());
        if (done_) {
            parser_.reset();
        }
        return !done_;
    }

private:
    // Starts the requests for the pages after the current one, up to `concurrency` in flight,
    // once the first page has told how many pages there are.
    Status fetch_ahead() {
        if (paging_.kind != PagingKind::Page || paging_.concurrency <= 1 || !last_page_) {
            return Status();
        }
        if (!pool_) {
            pool_ = std::make_unique<ClientPool>(*client_);
        }
        std::int64_t page = ahead_.empty() ? cursor_.page + 1 : ahead_.back().page + 1;
        // Never past the last page, nor past max_pages: a page fetched ahead is a page read.
        for (; page <= *last_page_ && page < cursor_.page + paging_.concurrency &&
               pages_read_ + (page - cursor_.page) < paging_.max_pages;
             ++page) {
            FERRY_ASSIGN_OR_RETURN(std::string body, request_body(page));
            ClientPool* pool = pool_.get();
            const Operation* operation = &operation_;
            ahead_.push_back(AheadPage{
                page,
                std::async(std::launch::async,
                           [pool, operation, body = std::move(body)]() -> Result<FetchedResponse> {
                               FERRY_ASSIGN_OR_RETURN(std::unique_ptr<SoapClient> client,
                                                      pool->acquire());
                               Result<FetchedResponse> fetched = client->fetch(*operation, body);
                               pool->release(std::move(client));
                               return fetched;
                           })});
        }
        return Status();
    }

    // The current page's answer: fetched ahead if it was, else requested now.
    Result<std::unique_ptr<ResponseParser>> open_page() {
        FERRY_RETURN_IF_ERROR(fetch_ahead());
        if (!ahead_.empty() && ahead_.front().page == cursor_.page) {
            Result<FetchedResponse> fetched = ahead_.front().answer.get();
            ahead_.pop_front();
            if (!fetched.ok()) {
                return std::move(fetched).status().with_context("calling " + operation_.name);
            }
            return client_->parse(operation_, layout_, std::move(*fetched));
        }
        FERRY_ASSIGN_OR_RETURN(std::string body, request_body(cursor_.page));
        return client_->attempt(operation_, layout_, body);
    }

    // One unit of progress: open a page, read one record, or finish a page.
    Status step(BatchBuilder& out) {
        if (!parser_) {
            auto opened = open_page();
            if (!opened.ok()) {
                return transient(opened.status())
                           ? back_off(opened.status(), failure_cause(opened.status()))
                           : opened.status();
            }
            parser_ = std::move(*opened);
            page_location_ = where(); // once a page, not once a record
            seen_in_page_ = 0;
            last_token_value_.clear();
        }
        auto more = parser_->next_record();
        if (!more.ok()) {
            // Transient: a body cut short (a 200 whose XML ends early), a connection dropped
            // mid-body, or an error status whose body is not even a SOAP fault (a proxy's page).
            std::string cause;
            if (parser_->reader().malformed()) {
                cause = "truncated_body";
            } else if (transient(more.status())) {
                cause = failure_cause(more.status());
            } else if (transient(parser_->http_failure())) {
                cause = "http_" + std::to_string(parser_->http_status());
            }
            const Status http_failure = parser_->http_failure();
            parser_.reset();
            if (!cause.empty()) {
                client_->report(false);
                return back_off(Status::unavailable(more.status().message())
                                    .with_location(more.status().location()),
                                cause);
            }
            if (!http_failure.ok()) {
                return http_failure;
            }
            return std::move(more).status().with_context(where());
        }
        if (const Status& http_failure = parser_->http_failure();
            !http_failure.ok() && !parser_->fault()) {
            // An error status with an XML body that is no fault: the status decides.
            Status failure = http_failure;
            parser_.reset();
            return transient(failure) ? back_off(failure, failure_cause(failure)) : failure;
        }
        if (!*more) {
            if (const auto& fault = parser_->fault()) {
                Status status = client_->fault_status(*fault, operation_.name);
                client_->report(!transient(status));
                const std::optional<std::chrono::milliseconds> wait = fault->retry_after;
                parser_.reset();
                return transient(status) ? back_off(status, "server_fault", wait) : status;
            }
            return finish_page();
        }
        if (++seen_in_page_ <= cursor_.skip) {
            return Status(); // delivered before this page had to be re-requested
        }
        FERRY_RETURN_IF_ERROR(parser_->emit(out, cursor_.record_no, page_location_));
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
        FERRY_ASSIGN_OR_RETURN(const std::optional<std::int64_t> total, declare_total());
        FERRY_ASSIGN_OR_RETURN(const PageSignals signals, page_signals());
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
        case PagingKind::Page: {
            const std::int64_t page_read = cursor_.page;
            ++cursor_.page;
            if (signals.page_count) {
                last_page_ = paging_.first + *signals.page_count - 1;
            } else if (total && !paging_.size_param.empty() && paging_.size > 0) {
                last_page_ = paging_.first + (*total + paging_.size - 1) / paging_.size - 1;
            }
            // The page's own metadata decides where the service gives it; a short page alone
            // (the server may cap the page size) only when it gives none.
            const bool described = total || signals.page_count || signals.more;
            done_ = records == 0 || (total && cursor_.record_no - 1 >= *total) ||
                    (signals.page_count && page_read - paging_.first + 1 >= *signals.page_count) ||
                    (signals.more && !*signals.more) ||
                    (!described && !paging_.size_param.empty() && records < paging_.size);
            break;
        }
        case PagingKind::Token: {
            std::string next = token_column_ ? last_token_value_ : token.value_or("");
            done_ = records == 0 || next.empty() ||
                    (cursor_.started_token && next == cursor_.token) ||
                    (signals.more && !*signals.more) || (total && cursor_.record_no - 1 >= *total);
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
    Result<std::optional<std::int64_t>> declare_total() {
        const std::optional<std::string>& text = parser_->total();
        if (total_path_.empty() || !text) {
            return std::optional<std::int64_t>();
        }
        FERRY_ASSIGN_OR_RETURN(const std::int64_t total, count_in(*text, "total_path"));
        accounting().declare_records(total, total_path_ + " (" + where() + ")");
        accounting().set_expected_total(total, std::nullopt);
        return std::optional<std::int64_t>(total);
    }

    struct PageSignals {
        std::optional<std::int64_t> page_count;
        std::optional<bool> more; ///< from has_more, or the inverse of is_last
    };

    Result<PageSignals> page_signals() const {
        PageSignals signals;
        if (const auto& text = parser_->watched(Watched::PageCount)) {
            FERRY_ASSIGN_OR_RETURN(signals.page_count, count_in(*text, "page count"));
        }
        for (const Watched which : {Watched::HasMore, Watched::IsLast}) {
            if (const auto& text = parser_->watched(which)) {
                const std::string_view flag = trimmed(*text);
                if (flag != "true" && flag != "false" && flag != "1" && flag != "0") {
                    return Status::data(
                        where() + ": " + (which == Watched::HasMore ? "has-more" : "is-last") +
                        " element holds \"" + text->substr(0, 40) + "\", not a boolean");
                }
                const bool set = flag == "true" || flag == "1";
                signals.more = which == Watched::HasMore ? set : !set;
            }
        }
        return signals;
    }

    static std::string_view trimmed(std::string_view text) {
        const std::size_t first = text.find_first_not_of(" \t\r\n");
        if (first == std::string_view::npos) {
            return {};
        }
        return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    }

    Result<std::int64_t> count_in(const std::string& text, const std::string& what) const {
        const std::string_view digits = trimmed(text);
        std::int64_t count = -1;
        const auto [end, failed] =
            std::from_chars(digits.data(), digits.data() + digits.size(), count);
        if (failed != std::errc() || end != digits.data() + digits.size() || count < 0) {
            return Status::data(where() + ": " + what + " " +
                                (what == "total_path" ? total_path_ + " " : std::string()) +
                                "holds \"" + text.substr(0, 40) + "\", not a count");
        }
        return count;
    }

    Date window_start(std::int32_t window) const {
        return Date::from_days(paging_.start.days_since_epoch() + window * paging_.days);
    }

    void remember_token() { last_token_value_ = parser_->field_text(*token_column_); }

    Result<std::string> request_body(std::int64_t page) const {
        ParameterValues values = params_;
        switch (paging_.kind) {
        case PagingKind::None:
            break;
        case PagingKind::Page:
            values[paging_.page_param] = std::to_string(page);
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

    // What made a transient failure, for the retry counts the host shows.
    static std::string failure_cause(const Status& failure) {
        if (const std::int32_t code = failure.native_code(); code >= 100 && code < 600) {
            return "http_" + std::to_string(code);
        }
        const std::string& message = failure.message();
        if (message.find("circuit breaker") != std::string::npos) {
            return "circuit_open";
        }
        if (message.find("imeout") != std::string::npos ||
            message.find("timed out") != std::string::npos) {
            return "timeout";
        }
        return "connection";
    }

    // Waits before the same request again: the backoff policy's delay, or the server's own
    // retry-after (a fault detail, a Retry-After header) capped at the policy's ceiling.
    Status back_off(const Status& failure,
                    const std::string& cause,
                    std::optional<std::chrono::milliseconds> server_wait = std::nullopt) {
        ++failures_;
        const BackoffPolicy& policy = client_->options().retry;
        if (failures_ >= policy.max_attempts) {
            Status status = failure;
            return std::move(status).with_context(where() + ": gave up after " +
                                                  std::to_string(failures_) + " attempts (" +
                                                  cause + ")");
        }
        accounting().count_retry(cause);
        std::this_thread::sleep_for(server_wait ? std::min(*server_wait, policy.max)
                                                : policy.delay(failures_, random_()));
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
    std::string page_location_; ///< where() of the open page, for its records' rejects
    std::int64_t seen_in_page_ = 0;
    std::int64_t pages_read_ = 0;
    int failures_ = 0;
    bool done_ = false;
    std::optional<std::int64_t> last_page_; ///< from the page's total or page count

    struct AheadPage {
        std::int64_t page;
        std::future<Result<FetchedResponse>> answer;
    };

    std::unique_ptr<ClientPool> pool_;
    // Declared last, so destroyed first: each future waits for its fetch (bounded by the receive
    // timeout) before the clients it uses go away.
    std::deque<AheadPage> ahead_;
    std::optional<Status> failed_; ///< ends the stream after the batch read before it
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

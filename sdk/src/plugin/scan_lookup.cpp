// SPDX-License-Identifier: Apache-2.0
// scan_lookup.cpp — filter_by_key: the inner stream fills its own BatchBuilder; matches are
// copied cell by cell (as Values) into the outer one, and its rejects are carried over.
#include "ferry/plugin/scan_lookup.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ferry/batch.h"
#include "ferry/text.h"

namespace ferry::plugin {

namespace {

struct KeyValue {
    std::size_t column;
    Value value;
};

Status bad_lookup(const Field& field, const std::string& why) {
    return Status::invalid_argument("lookup \"" + field.name + "\": " + why).with_field(field.name);
}

/// The lookup value as a Value of the field's type, or why it is not one.
Result<Value> lookup_value(const Field& field, const nlohmann::json& value) {
    const std::string type = field.type.to_string();
    const auto wrong = [&](const char* wanted) {
        return bad_lookup(field, "the field is " + type + ": give " + wanted);
    };
    // A parse error of the SDK's own parsers is the request's fault here.
    const auto unreadable = [&](const Status& status) {
        return bad_lookup(field, "not a " + type + ": " + status.message());
    };
    if (value.is_null()) {
        return bad_lookup(field, "is null; a key lookup needs a value");
    }
    const std::string text = value.is_string() ? value.get<std::string>() : std::string();
    switch (field.type.kind()) {
    case TypeKind::Utf8:
        return value.is_string() ? Value::text(text) : wrong("a string");
    case TypeKind::Binary:
        return value.is_string() ? Result<Value>(Value::bytes(text)) : wrong("a string");
    case TypeKind::Bool:
        return value.is_boolean() ? Result<Value>(Value::boolean(value.get<bool>()))
                                  : wrong("true or false");
    case TypeKind::Int64: {
        if (value.is_number_integer() &&
            !(value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX)) {
            return Value::int64(value.get<std::int64_t>());
        }
        std::int64_t number = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
            return wrong("an integer in the int64 range, or its digits as a string");
        }
        return Value::int64(number);
    }
    case TypeKind::Decimal128: {
        if (!value.is_string() && !value.is_number()) {
            return wrong("a number or decimal text");
        }
        Result<Decimal> number = Decimal::parse(value.is_string() ? text : value.dump());
        return number.ok() ? Result<Value>(Value::decimal(*number)) : unreadable(number.status());
    }
    case TypeKind::Date32: {
        if (!value.is_string()) {
            return wrong("a date string YYYY-MM-DD");
        }
        Result<Date> date = Date::parse_iso(text);
        return date.ok() ? Result<Value>(Value::date(*date)) : unreadable(date.status());
    }
    case TypeKind::TimestampMicros: {
        if (!value.is_string()) {
            return wrong("an ISO 8601 timestamp string");
        }
        Result<Timestamp> instant = Timestamp::parse_iso(text);
        return instant.ok() ? Result<Value>(Value::timestamp(*instant))
                            : unreadable(instant.status());
    }
    case TypeKind::Struct:
        break;
    }
    return bad_lookup(field, "a " + type + " field cannot be a lookup key");
}

class ScanLookupStream final : public Stream {
public:
    ScanLookupStream(std::unique_ptr<Stream> inner,
                     std::vector<KeyValue> keys,
                     ScanLookupOptions options)
        : Stream(inner->schema())
        , schema_(std::make_shared<const Schema>(inner->schema()))
        , inner_(std::move(inner))
        , inner_out_(inner_->schema())
        , keys_(std::move(keys))
        , options_(options) {}

    Result<bool> fill(BatchBuilder& out) override {
        while (!ended_ && !out.full()) {
            if (cancelled()) {
                inner_->cancel(); // the host sees the cancel itself; the inner stream stops too
                break;
            }
            // Each inner record adds at most one record (a match or a reject) to `out`.
            const std::int64_t room = out.capacity() - out.records_read();
            inner_out_.set_capacity(room);
            FERRY_ASSIGN_OR_RETURN(const bool more, inner_->fill(inner_out_));
            if (inner_out_.records_read() > room) {
                return Status::internal(
                    "the scanned stream read " + std::to_string(inner_out_.records_read()) +
                    " records into a batch of capacity " + std::to_string(room));
            }
            ended_ = !more;
            if (!inner_out_.empty()) {
                FERRY_RETURN_IF_ERROR(pass_on(out));
            }
            ended_ = ended_ || (options_.unique_key && matched_);
        }
        return !ended_;
    }

private:
    bool matches(const Batch& batch, std::int64_t row) const {
        for (const KeyValue& key : keys_) {
            if (!(batch.column(key.column).value(row) == key.value)) {
                return false;
            }
        }
        return true;
    }

    /// Moves the inner batch's matches and rejects into `out`.
    Status pass_on(BatchBuilder& out) {
        FerryBatch raw{};
        FERRY_RETURN_IF_ERROR(inner_out_.finish(&raw));
        const Batch batch(std::move(raw), schema_, nullptr);
        for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
            if (!matches(batch, row)) {
                continue;
            }
            for (std::size_t column = 0; column < row_.size(); ++column) {
                row_[column] = batch.column(column).value(row);
            }
            FERRY_RETURN_IF_ERROR(out.append_record(batch.record_no(row), row_));
            matched_ = true;
        }
        for (const FerryReject& reject : batch.rejects()) {
            const auto text = [](const char* chars) {
                return chars == nullptr ? std::string() : std::string(chars);
            };
            std::optional<std::string> raw_bytes;
            if (reject.raw != nullptr) {
                raw_bytes.emplace(static_cast<const char*>(reject.raw),
                                  static_cast<std::size_t>(reject.raw_size));
            }
            FERRY_RETURN_IF_ERROR(out.reject(
                reject.record_no, Reject(text(reject.field), text(reject.rule), text(reject.reason),
                                         text(reject.location), std::move(raw_bytes),
                                         static_cast<StatusCode>(reject.code))));
        }
        if (const std::optional<std::string_view> checkpoint = batch.checkpoint()) {
            out.set_checkpoint(std::string(*checkpoint));
        }
        return {};
    }

    std::shared_ptr<const Schema> schema_;
    std::unique_ptr<Stream> inner_;
    BatchBuilder inner_out_;
    std::vector<KeyValue> keys_;
    ScanLookupOptions options_;
    std::vector<Value> row_ = std::vector<Value>(schema_->size());
    bool ended_ = false;
    bool matched_ = false;
};

} // namespace

Result<std::unique_ptr<Stream>> filter_by_key(std::unique_ptr<Stream> inner,
                                              const nlohmann::json& lookup,
                                              ScanLookupOptions options) {
    if (!inner) {
        return Status::internal("filter_by_key() got no stream to scan");
    }
    if (!lookup.is_object() || lookup.empty()) {
        return Status::invalid_argument(
            "lookup must be an object of at least one key field and its value");
    }
    const Schema& schema = inner->schema();
    std::vector<std::string> names;
    for (const Field& field : schema.fields()) {
        names.push_back(field.name);
    }
    std::vector<KeyValue> keys;
    for (const auto& [name, value] : lookup.items()) {
        const std::optional<std::size_t> column = schema.index_of(name);
        if (!column) {
            const std::string best = closest_name(name, names);
            return Status::invalid_argument(
                       "lookup names no field of the dataset: \"" + name + "\"" +
                       (best.empty() ? "" : " (did you mean \"" + best + "\"?)"))
                .with_field(name);
        }
        FERRY_ASSIGN_OR_RETURN(Value key, lookup_value(schema.field(*column), value));
        keys.push_back({*column, std::move(key)});
    }
    return std::unique_ptr<Stream>(
        std::make_unique<ScanLookupStream>(std::move(inner), std::move(keys), options));
}

} // namespace ferry::plugin

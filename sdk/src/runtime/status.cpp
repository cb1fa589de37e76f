// SPDX-License-Identifier: Apache-2.0
// status.cpp — Status construction, decoration and its one-line rendering.
#include "ferry/status.h"

#include <utility>

namespace ferry {

namespace {
const std::string kEmpty;
} // namespace

const char* status_code_name(StatusCode code) noexcept {
    switch (code) {
    case StatusCode::Ok:
        return "ok";
    case StatusCode::InvalidArgument:
        return "invalid_argument";
    case StatusCode::NotImplemented:
        return "not_implemented";
    case StatusCode::NotFound:
        return "not_found";
    case StatusCode::Unavailable:
        return "unavailable";
    case StatusCode::Io:
        return "io";
    case StatusCode::Data:
        return "data";
    case StatusCode::Unauthorized:
        return "unauthorized";
    case StatusCode::Cancelled:
        return "cancelled";
    case StatusCode::Internal:
        return "internal";
    }
    return "unknown";
}

Status::Status(StatusCode code, std::string message) {
    if (code != StatusCode::Ok) {
        state_ = std::make_unique<State>();
        state_->code = code;
        state_->message = std::move(message);
    }
}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
    if (this != &other) {
        state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
    }
    return *this;
}

Status Status::invalid_argument(std::string message) {
    return {StatusCode::InvalidArgument, std::move(message)};
}

Status Status::not_implemented(std::string message) {
    return {StatusCode::NotImplemented, std::move(message)};
}

Status Status::not_found(std::string message) {
    return {StatusCode::NotFound, std::move(message)};
}

Status Status::unavailable(std::string message) {
    return {StatusCode::Unavailable, std::move(message)};
}

Status Status::io(std::string message) {
    return {StatusCode::Io, std::move(message)};
}

Status Status::data(std::string message) {
    return {StatusCode::Data, std::move(message)};
}

Status Status::unauthorized(std::string message) {
    return {StatusCode::Unauthorized, std::move(message)};
}

Status Status::cancelled(std::string message) {
    return {StatusCode::Cancelled, std::move(message)};
}

Status Status::internal(std::string message) {
    return {StatusCode::Internal, std::move(message)};
}

const std::string& Status::message() const noexcept {
    return state_ ? state_->message : kEmpty;
}

const std::string& Status::location() const noexcept {
    return state_ ? state_->location : kEmpty;
}

const std::string& Status::field() const noexcept {
    return state_ ? state_->field : kEmpty;
}

const std::string& Status::sqlstate() const noexcept {
    return state_ ? state_->sqlstate : kEmpty;
}

Status Status::with_location(std::string location) && {
    if (state_) {
        state_->location = std::move(location);
    }
    return std::move(*this);
}

Status Status::with_field(std::string field) && {
    if (state_) {
        state_->field = std::move(field);
    }
    return std::move(*this);
}

Status Status::with_record_no(std::int64_t record_no) && {
    if (state_) {
        state_->record_no = record_no;
    }
    return std::move(*this);
}

Status Status::with_sqlstate(std::string sqlstate) && {
    if (state_) {
        state_->sqlstate = std::move(sqlstate);
    }
    return std::move(*this);
}

Status Status::with_native_code(std::int32_t native_code) && {
    if (state_) {
        state_->native_code = native_code;
    }
    return std::move(*this);
}

Status Status::with_context(const std::string& context) && {
    if (state_) {
        state_->message = context + ": " + state_->message;
    }
    return std::move(*this);
}

std::string Status::to_string() const {
    if (!state_) {
        return "OK";
    }
    std::string out;
    if (!state_->location.empty()) {
        out += state_->location + ": ";
    }
    if (state_->record_no >= 0) {
        out += "record " + std::to_string(state_->record_no) + ": ";
    }
    if (!state_->field.empty()) {
        out += "field \"" + state_->field + "\": ";
    }
    out += state_->message;
    if (!state_->sqlstate.empty()) {
        out += " (SQLSTATE " + state_->sqlstate + ")";
    }
    out += " [";
    out += status_code_name(state_->code);
    out += "]";
    return out;
}

BadResultAccess::BadResultAccess(Status status)
    : status_(std::move(status))
    , what_("Result has no value: " + status_.to_string()) {}

} // namespace ferry

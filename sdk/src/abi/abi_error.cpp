// SPDX-License-Identifier: Apache-2.0
// abi_error.cpp — Status <-> FerryError conversion at the plugin boundary.
#include "ferry/abi_error.h"

#include <cstring>
#include <new>
#include <string>

namespace ferry {

namespace {

struct ErrorPrivate {
    std::string message;
    std::string location;
    std::string field;
};

void release_owned_error(FerryError* error) {
    delete static_cast<ErrorPrivate*>(error->private_data);
    error->private_data = nullptr;
    error->message = nullptr;
    error->location = nullptr;
    error->field = nullptr;
    error->release = nullptr;
}

// Used when even the error cannot be allocated: the text is static, nothing to free.
void release_static_error(FerryError* error) {
    error->message = nullptr;
    error->release = nullptr;
}

char* c_str_or_null(std::string& text) noexcept {
    return text.empty() ? nullptr : text.data();
}

FerryStatus code_of(const Status& status) noexcept {
    const auto code = static_cast<FerryStatus>(status.code());
    return (code < FERRY_E_INVALID_ARGUMENT || code > FERRY_E_INTERNAL) ? FERRY_E_INTERNAL : code;
}

} // namespace

FerryStatus export_status(const Status& status, FerryError* error) noexcept {
    if (status.ok()) {
        return FERRY_OK;
    }
    const FerryStatus code = code_of(status);
    if (error == nullptr) {
        return code;
    }
    release_error(error); // the contract says zero-initialised; be kind to a reused struct
    error->record_no = status.record_no();
    error->native_code = status.native_code();
    std::memset(error->sqlstate, 0, sizeof error->sqlstate);
    std::strncpy(error->sqlstate, status.sqlstate().c_str(), sizeof error->sqlstate - 1);
    try {
        auto* priv = new ErrorPrivate{status.message(), status.location(), status.field()};
        if (priv->message.empty()) {
            priv->message = status_code_name(status.code());
        }
        error->message = priv->message.data();
        error->location = c_str_or_null(priv->location);
        error->field = c_str_or_null(priv->field);
        error->private_data = priv;
        error->release = &release_owned_error;
    } catch (const std::bad_alloc&) {
        static char kOutOfMemory[] = "out of memory while reporting an error";
        error->message = kOutOfMemory;
        error->location = nullptr;
        error->field = nullptr;
        error->private_data = nullptr;
        error->release = &release_static_error;
    }
    return code;
}

Status import_error(FerryStatus code, FerryError* error, const char* what) {
    if (code == FERRY_OK) {
        release_error(error);
        return {};
    }
    const auto status_code = (code < FERRY_E_INVALID_ARGUMENT || code > FERRY_E_INTERNAL)
                                 ? StatusCode::Internal
                                 : static_cast<StatusCode>(code);
    std::string message = (error != nullptr && error->message != nullptr)
                              ? std::string(error->message)
                              : std::string(what) + " failed with no message";
    if (status_code == StatusCode::Internal &&
        (code < FERRY_E_INVALID_ARGUMENT || code > FERRY_E_INTERNAL)) {
        message += " (unknown status code " + std::to_string(code) + ")";
    }
    Status status(status_code, std::move(message));
    if (error != nullptr) {
        if (error->location != nullptr) {
            status = std::move(status).with_location(error->location);
        }
        if (error->field != nullptr) {
            status = std::move(status).with_field(error->field);
        }
        if (error->record_no > 0) {
            status = std::move(status).with_record_no(error->record_no);
        }
        if (error->sqlstate[0] != '\0') {
            status = std::move(status).with_sqlstate(
                std::string(error->sqlstate, strnlen(error->sqlstate, sizeof error->sqlstate)));
        }
        if (error->native_code != 0) {
            status = std::move(status).with_native_code(error->native_code);
        }
    }
    release_error(error);
    return status;
}

void release_error(FerryError* error) noexcept {
    if (error != nullptr && error->release != nullptr) {
        error->release(error);
    }
}

} // namespace ferry

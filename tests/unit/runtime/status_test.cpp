// SPDX-License-Identifier: Apache-2.0
// status_test.cpp — Status, Result and the boundary conversion to and from FerryError.
#include <catch2/catch.hpp>

#include "ferry/abi_error.h"
#include "ferry/result.h"

namespace {

ferry::Result<int> half(int value) {
    if (value % 2 != 0) {
        return ferry::Status::invalid_argument(std::to_string(value) + " is odd");
    }
    return value / 2;
}

ferry::Result<int> quarter(int value) {
    FERRY_ASSIGN_OR_RETURN(const int halved, half(value));
    FERRY_ASSIGN_OR_RETURN(int quartered, half(halved));
    return quartered;
}

ferry::Status check_even(int value) {
    FERRY_RETURN_IF_ERROR(half(value));
    return {};
}

} // namespace

TEST_CASE("a Status says what and where on one line", "[status]") {
    const ferry::Status status = ferry::Status::data("check digit mismatch (computed 7, found X)")
                                     .with_location("people.dat:1234")
                                     .with_record_no(17)
                                     .with_field("id_number");
    CHECK(status.to_string() == "people.dat:1234: record 17: field \"id_number\": check digit "
                                "mismatch (computed 7, found X) [data]");
    CHECK(ferry::Status().ok());
    CHECK(ferry::Status().to_string() == "OK");
    const ferry::Status copy = status;
    CHECK(copy.to_string() == status.to_string());
}

TEST_CASE("Result propagates errors through the macros", "[status]") {
    CHECK(quarter(8).value() == 2);
    CHECK(quarter(6).status().message() == "3 is odd");
    CHECK(check_even(3).code() == ferry::StatusCode::InvalidArgument);
    CHECK(check_even(4).ok());
    CHECK(half(3).value_or(-1) == -1);
    CHECK_THROWS_AS(half(3).value(), ferry::BadResultAccess);
    const ferry::Result<int> from_ok = ferry::Status();
    CHECK(from_ok.status().code() == ferry::StatusCode::Internal);
}

TEST_CASE("Status crosses the ABI as FerryError and comes back intact", "[status][abi]") {
    const ferry::Status original = ferry::Status::unavailable("connection reset")
                                       .with_location("SQLExecDirect")
                                       .with_field("AAC001")
                                       .with_record_no(5)
                                       .with_sqlstate("08S01")
                                       .with_native_code(2013);
    FerryError error{};
    CHECK(ferry::export_status(original, &error) == FERRY_E_UNAVAILABLE);
    CHECK(std::string(error.message) == "connection reset");
    CHECK(std::string(error.sqlstate) == "08S01");
    const ferry::Status back = ferry::import_error(FERRY_E_UNAVAILABLE, &error, "test");
    CHECK(error.release == nullptr);
    CHECK(back.to_string() == original.to_string());
    CHECK(back.native_code() == 2013);

    FerryError untouched{};
    CHECK(ferry::export_status(ferry::Status(), &untouched) == FERRY_OK);
    CHECK(untouched.release == nullptr);
    CHECK(ferry::import_error(FERRY_E_IO, nullptr, "read").message() ==
          "read failed with no message");
    CHECK(ferry::import_error(77, nullptr, "x").code() == ferry::StatusCode::Internal);
}

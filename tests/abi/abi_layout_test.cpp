// SPDX-License-Identifier: Apache-2.0
// abi_layout_test.cpp — pins the offsets and sizes of every ABI struct (LP64), so that only
// appends to FerryPluginApi and FerryHostApi can pass. Changing a pinned line is an ABI break.
#include <cstddef>

#include <catch2/catch.hpp>

#include "ferry/plugin_abi.h"

static_assert(sizeof(void*) == 8, "the pinned layout is for LP64 platforms");

// Arrow C Data Interface (fixed by the Arrow specification).
static_assert(offsetof(ArrowSchema, format) == 0);
static_assert(offsetof(ArrowSchema, flags) == 24);
static_assert(offsetof(ArrowSchema, release) == 56);
static_assert(sizeof(ArrowSchema) == 72);
static_assert(offsetof(ArrowArray, length) == 0);
static_assert(offsetof(ArrowArray, buffers) == 40);
static_assert(offsetof(ArrowArray, release) == 64);
static_assert(sizeof(ArrowArray) == 80);

// FerryError, FerryText, FerryReject, FerryBatch, FerryStream: frozen for ABI 1.x.
static_assert(offsetof(FerryError, message) == 0);
static_assert(offsetof(FerryError, location) == 8);
static_assert(offsetof(FerryError, field) == 16);
static_assert(offsetof(FerryError, record_no) == 24);
static_assert(offsetof(FerryError, sqlstate) == 32);
static_assert(offsetof(FerryError, native_code) == 40);
static_assert(offsetof(FerryError, release) == 48);
static_assert(offsetof(FerryError, private_data) == 56);
static_assert(sizeof(FerryError) == 64);

static_assert(offsetof(FerryText, data) == 0);
static_assert(offsetof(FerryText, size) == 8);
static_assert(offsetof(FerryText, release) == 16);
static_assert(sizeof(FerryText) == 32);

static_assert(offsetof(FerryReject, record_no) == 0);
static_assert(offsetof(FerryReject, field) == 8);
static_assert(offsetof(FerryReject, rule) == 16);
static_assert(offsetof(FerryReject, reason) == 24);
static_assert(offsetof(FerryReject, location) == 32);
static_assert(offsetof(FerryReject, raw) == 40);
static_assert(offsetof(FerryReject, raw_size) == 48);
static_assert(offsetof(FerryReject, code) == 56);
static_assert(sizeof(FerryReject) == 64);

static_assert(offsetof(FerryBatch, data) == 0);
static_assert(offsetof(FerryBatch, record_nos) == 80);
static_assert(offsetof(FerryBatch, rejects) == 88);
static_assert(offsetof(FerryBatch, n_rejects) == 96);
static_assert(offsetof(FerryBatch, records_read) == 104);
static_assert(offsetof(FerryBatch, checkpoint) == 112);
static_assert(offsetof(FerryBatch, release) == 120);
static_assert(offsetof(FerryBatch, private_data) == 128);
// since 1.1
static_assert(offsetof(FerryBatch, records_skipped) == 136);
// since 1.2
static_assert(offsetof(FerryBatch, absent) == 144);
static_assert(sizeof(FerryBatch) == 152);

static_assert(offsetof(FerryStream, get_schema) == 0);
static_assert(offsetof(FerryStream, get_next) == 8);
static_assert(offsetof(FerryStream, cancel) == 16);
static_assert(offsetof(FerryStream, release) == 24);
static_assert(offsetof(FerryStream, private_data) == 32);
// since 1.1
static_assert(offsetof(FerryStream, get_report) == 40);
static_assert(sizeof(FerryStream) == 48);

// FerryHostApi and FerryPluginApi: the head never moves; 1.0 fields stay where they are.
// A later minor version may only add static_asserts below these, for fields appended at the end.
static_assert(offsetof(FerryHostApi, abi_version) == 0);
static_assert(offsetof(FerryHostApi, struct_size) == 4);
static_assert(offsetof(FerryHostApi, host_ctx) == 8);
static_assert(offsetof(FerryHostApi, log) == 16);
static_assert(sizeof(FerryHostApi) == 24);

static_assert(offsetof(FerryPluginApi, abi_version) == 0);
static_assert(offsetof(FerryPluginApi, struct_size) == 4);
static_assert(offsetof(FerryPluginApi, private_data) == 8);
static_assert(offsetof(FerryPluginApi, release) == 16);
static_assert(offsetof(FerryPluginApi, name) == 24);
static_assert(offsetof(FerryPluginApi, version) == 32);
static_assert(offsetof(FerryPluginApi, description) == 40);
static_assert(offsetof(FerryPluginApi, options_schema) == 48);
static_assert(offsetof(FerryPluginApi, source_create) == 56);
static_assert(offsetof(FerryPluginApi, source_destroy) == 64);
static_assert(offsetof(FerryPluginApi, discover) == 72);
static_assert(offsetof(FerryPluginApi, open_stream) == 80);
// since 1.1
static_assert(offsetof(FerryPluginApi, list_partitions) == 88);
static_assert(sizeof(FerryPluginApi) == 96);

TEST_CASE("ABI 1.2 layout is pinned, 1.0 and 1.1 fields where they were", "[abi]") {
    // The static_asserts above are the test; this case makes the pin visible in ctest's list.
    CHECK(FERRY_ABI_VERSION == FERRY_ABI_VERSION_1_2);
    CHECK(FERRY_ABI_VERSION_MAJOR(FERRY_ABI_VERSION) == 1u);
    CHECK(FERRY_ABI_VERSION_MINOR(FERRY_ABI_VERSION) == 2u);
    CHECK(sizeof(FerryPluginApi) == 96);
}

TEST_CASE("status codes keep their numbers", "[abi]") {
    CHECK(FERRY_OK == 0);
    CHECK(FERRY_E_INVALID_ARGUMENT == 1);
    CHECK(FERRY_E_NOT_IMPLEMENTED == 2);
    CHECK(FERRY_E_NOT_FOUND == 3);
    CHECK(FERRY_E_UNAVAILABLE == 4);
    CHECK(FERRY_E_IO == 5);
    CHECK(FERRY_E_DATA == 6);
    CHECK(FERRY_E_UNAUTHORIZED == 7);
    CHECK(FERRY_E_CANCELLED == 8);
    CHECK(FERRY_E_INTERNAL == 9);
}

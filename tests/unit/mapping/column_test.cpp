// SPDX-License-Identifier: Apache-2.0
// column_test.cpp — in-flight columns.
#include <catch2/catch.hpp>

#include "ferry/batch_builder.h"
#include "ferry/column.h"

using namespace ferry;

TEST_CASE("a text column appends, builds cells in place and reads them back", "[column]") {
    Column column(DataType::utf8());
    column.append_text("张三");
    column.append_null();
    column.open_cell() += "ab";
    column.open_cell() += "c";
    column.close_cell();
    REQUIRE(column.size() == 3);
    CHECK(column.text(0) == "张三");
    CHECK(column.is_null(1));
    CHECK(column.text(2) == "abc");
    CHECK(column.value(1).is_null());
}

TEST_CASE("append_value checks the type and append_from copies cells", "[column]") {
    Column decimals(DataType::decimal128(14, 2).value());
    REQUIRE(decimals.append_value(Value::decimal(Decimal::parse("12.50").value())).ok());
    CHECK_FALSE(decimals.append_value(Value::int64(3)).ok());
    Column copy(decimals.type());
    copy.append_from(decimals, 0);
    CHECK(copy.decimal(0).to_string() == "12.50");
}

TEST_CASE("from_view copies every kind out of a batch", "[column]") {
    Schema schema({{"name", DataType::utf8(), true},
                   {"amount", DataType::decimal128(14, 2).value(), true},
                   {"born", DataType::date32(), true},
                   {"n", DataType::int64(), true}});
    BatchBuilder builder(schema);
    std::vector<Value> first{Value::text("李四").value(),
                             Value::decimal(Decimal::parse("1.25").value()),
                             Value::date(Date::from_ymd(1990, 3, 7).value()), Value::int64(7)};
    std::vector<Value> second{Value::null(), Value::null(), Value::null(), Value::null()};
    REQUIRE(builder.append_record(1, first).ok());
    REQUIRE(builder.append_record(2, second).ok());
    FerryBatch raw{};
    REQUIRE(builder.finish(&raw).ok());
    Batch batch(std::move(raw), std::make_shared<const Schema>(schema), nullptr);
    for (std::size_t idx = 0; idx < schema.size(); ++idx) {
        const Column column = Column::from_view(batch.column(idx));
        REQUIRE(column.size() == 2);
        CHECK(column.value(0) == first[idx]);
        CHECK(column.is_null(1));
    }
}

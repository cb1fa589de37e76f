// SPDX-License-Identifier: Apache-2.0
// mapping_test_support.cpp — fixtures for the mapping tests.
#include "mapping_test_support.h"

#include "ferry/batch_builder.h"

namespace ferry::testing {

std::shared_ptr<const Catalog> fixture_catalog() {
    static const auto catalog = std::make_shared<const Catalog>(
        Catalog::load(FERRY_SOURCE_DIR "/tests/unit/mapping/fixtures/catalog").value());
    return catalog;
}

Result<Mapping> compile_mapping(const std::string& text, std::vector<Diagnostic>& out) {
    MappingLoadOptions options;
    options.catalog = fixture_catalog();
    return Mapping::parse(text, "test.mapping.json", FERRY_SOURCE_DIR "/tests/unit/mapping",
                          options, out);
}

Batch text_batch(const std::vector<std::string>& fields,
                 const std::vector<std::vector<std::string>>& rows,
                 std::int64_t first_record_no) {
    std::vector<Field> schema_fields;
    for (const std::string& name : fields) {
        schema_fields.push_back({name, DataType::utf8(), true});
    }
    Schema schema(schema_fields);
    BatchBuilder builder(schema, static_cast<std::int64_t>(rows.size()) + 1);
    std::int64_t record_no = first_record_no;
    for (const auto& row : rows) {
        std::vector<Value> values;
        for (const std::string& cell : row) {
            values.push_back(cell == "\x01" ? Value::null() : Value::text(cell).value());
        }
        if (!builder.append_record(record_no++, values).ok()) {
            throw BadResultAccess(Status::internal("bad fixture row"));
        }
    }
    FerryBatch raw{};
    if (!builder.finish(&raw).ok()) {
        throw BadResultAccess(Status::internal("fixture batch"));
    }
    return Batch(std::move(raw), std::make_shared<const Schema>(schema), nullptr);
}

std::string render(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const Diagnostic& diagnostic : diagnostics) {
        out += diagnostic.to_string() + "\n";
    }
    return out;
}

} // namespace ferry::testing

// SPDX-License-Identifier: Apache-2.0
// response_fuzzer.cpp — the SOAP response parser on any bytes: a paged layout (records in a
// page with its total and "has more"), every value kind, faults of both SOAP versions. Whatever
// arrives, the parser ends with records or an error, never a crash; each record it yields is
// delivered or rejected (read = delivered + rejected); messages stay valid UTF-8.
#include <cstdint>
#include <string>

#include "ferry/batch.h"
#include "ferry/batch_builder.h"

#include "fuzz_support.h"
#include "response_parser.h"
#include "type_mapping.h"

namespace {

using namespace ferry::soap;

RecordField leaf(const std::string& name, const char* xsd, bool nullable) {
    RecordField field;
    field.name = name;
    field.path = {name};
    field.nullable = nullable;
    Facets facets;
    if (std::string(xsd) == "decimal") {
        facets.total_digits = 12;
        facets.fraction_digits = 2;
    }
    map_builtin_type(xsd, facets, field);
    return field;
}

const ResponseLayout& layout() {
    static const ResponseLayout kLayout = [] {
        ResponseLayout out;
        out.record_path = {{"", "R"}, {"", "Page"}, {"", "Items"}, {"", "Item"}};
        out.fields = {leaf("code", "string", false),     leaf("capital", "decimal", true),
                      leaf("founded", "date", true),     leaf("updated", "dateTime", true),
                      leaf("staff", "int", true),        leaf("active", "boolean", true),
                      leaf("seal", "base64Binary", true)};
        RecordField nested = leaf("city", "string", true);
        nested.name = "address_city";
        nested.path = {"address", "city"};
        out.fields.push_back(nested);
        out.total_path = {{"", "R"}, {"", "Page"}, {"", "Total"}};
        out.has_more_path = {{"", "R"}, {"", "Page"}, {"", "More"}};
        out.token_path = {{"", "R"}, {"", "Next"}};
        return out;
    }();
    return kLayout;
}

ferry::Schema schema() {
    std::vector<ferry::Field> fields;
    for (const RecordField& field : layout().fields) {
        fields.push_back({field.name, field.type, field.nullable});
    }
    return ferry::Schema(std::move(fields));
}

void check_counts(const ferry::BatchBuilder& batch, std::string_view input) {
    if (batch.num_rows() + batch.num_rejects() != batch.records_read()) {
        ferry::fuzz::fail("read != delivered + rejected", input);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = ferry::fuzz::as_text(data, size);
    XmlLimits limits;
    limits.max_depth = 64;
    limits.max_bytes = 1 << 20;
    limits.max_text_bytes = 4096;
    auto reader = XmlReader::open_memory(input, "fuzz", limits);
    if (!reader.ok()) {
        ferry::fuzz::check_message(reader.status().message(), input);
        return 0;
    }
    ResponseParser parser(layout(), std::move(*reader));
    const ferry::Schema columns = schema();
    ferry::BatchBuilder batch(columns, 64);
    std::int64_t yielded = 0;
    for (int guard = 0; guard < 100'000; ++guard) {
        auto more = parser.next_record();
        if (!more.ok()) {
            ferry::fuzz::check_message(more.status().message(), input);
            break;
        }
        if (!*more) {
            if (const auto& fault = parser.fault()) {
                ferry::fuzz::check_message(fault->to_string(), input);
            }
            break;
        }
        ++yielded;
        if (batch.full()) {
            check_counts(batch, input);
            batch = ferry::BatchBuilder(columns, 64);
        }
        const ferry::Status emitted = parser.emit(batch, yielded, "fuzz");
        if (!emitted.ok()) {
            ferry::fuzz::fail("emit failed: " + emitted.message(), input);
        }
    }
    if (parser.records() != yielded) {
        ferry::fuzz::fail("records() counts " + std::to_string(parser.records()) + ", " +
                              std::to_string(yielded) + " were yielded",
                          input);
    }
    check_counts(batch, input);
    return 0;
}

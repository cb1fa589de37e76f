// SPDX-License-Identifier: Apache-2.0
// wsdl_fuzzer.cpp — the WSDL 1.1 / XSD import on any bytes (as a WSDL fetched from an endpoint:
// no imports by location). It ends with a Service or an error, never a crash or a hang
// (recursive types, deep nesting, cyclic references); what it returns is consistent: every
// record path is one of the operation's shapes, ambiguity and a record path exclude each other,
// page metadata lies outside the record.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "wsdl_import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ferry::soap;
    const std::string_view input = ferry::fuzz::as_text(data, size);
    for (const auto version : {std::optional<SoapVersion>(), std::optional(SoapVersion::Soap12)}) {
        WsdlOptions options;
        options.version = version;
        auto service = import_wsdl(input, "", options);
        if (!service.ok()) {
            ferry::fuzz::check_message(service.status().message(), input);
            continue;
        }
        for (const Operation& operation : service->operations) {
            if (!operation.ambiguous_records.empty() && !operation.record_path.empty()) {
                ferry::fuzz::fail("operation " + operation.name +
                                      " is both ambiguous and has a "
                                      "record path",
                                  input);
            }
            if (operation.repeated && operation.shape_at(operation.record_path) == nullptr) {
                ferry::fuzz::fail("record path " + path_text(operation.record_path) +
                                      " is not among the shapes",
                                  input);
            }
            for (const PageField& field : operation.page_fields) {
                if (field.path.size() >= operation.record_path.size() + 1 &&
                    std::equal(operation.record_path.begin(), operation.record_path.end(),
                               field.path.begin())) {
                    ferry::fuzz::fail("page metadata " + path_text(field.path) +
                                          " lies inside the record",
                                      input);
                }
            }
        }
    }
    return 0;
}

// SPDX-License-Identifier: Apache-2.0
// mapping_fuzzer.cpp — Mapping::parse (the mapping loader ferry-check, ferry-cat and the bridge
// use) on any text, against the real catalog under schemas/. It must never throw or crash, and
// its answer must be consistent: an error exactly when a finding is an error, every finding
// with a stable code, a readable message and a place inside the text.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/catalog.h"
#include "ferry/mapping.h"

#include "fuzz_support.h"

namespace {

using ferry::fuzz::fail;

const ferry::MappingLoadOptions& load_options() {
    static const ferry::MappingLoadOptions options = [] {
        ferry::MappingLoadOptions made;
        made.catalog = std::make_shared<const ferry::Catalog>(
            ferry::Catalog::load(FERRY_SOURCE_DIR "/schemas").value());
        // As ferry-check does: a secret this machine lacks is a note, so the checks go on.
        made.allow_missing_secrets = true;
        return made;
    }();
    return options;
}

void check_diagnostic(const ferry::Diagnostic& diagnostic,
                      std::int32_t lines,
                      std::string_view input) {
    const std::string& code = diagnostic.code;
    if (code.size() != 5 || code.rfind("FC", 0) != 0 ||
        code.find_first_not_of("0123456789", 2) != std::string::npos) {
        fail("finding without a stable code: " + diagnostic.to_string(), input);
    }
    ferry::fuzz::check_message(diagnostic.to_string(), input);
    if (diagnostic.line < 0 || diagnostic.line > lines || diagnostic.column < 0 ||
        (diagnostic.line > 0 && diagnostic.column == 0)) {
        fail("finding placed outside the text: " + diagnostic.to_string(), input);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    // Secrets named by the input are looked up in the environment: keep that fixed.
    unsetenv("FERRY_PSEUDONYM_KEY");
    static_cast<void>(load_options());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = ferry::fuzz::as_text(data, size);
    std::vector<ferry::Diagnostic> diagnostics;
    // Relative crosswalk files resolve against the sample mappings' folder, as theirs do.
    const ferry::Result<ferry::Mapping> mapping =
        ferry::Mapping::parse(input, "fuzz.mapping.json", FERRY_SOURCE_DIR "/samples/mappings",
                              load_options(), diagnostics);
    if (mapping.ok() == ferry::has_errors(diagnostics)) {
        fail(std::string("load ") + (mapping.ok() ? "succeeded with" : "failed without") +
                 " an error finding",
             input);
    }
    std::int32_t lines = 1;
    for (const char ch : input) {
        lines += ch == '\n' ? 1 : 0;
    }
    for (const ferry::Diagnostic& diagnostic : diagnostics) {
        check_diagnostic(diagnostic, lines, input);
    }
    if (!mapping.ok()) {
        ferry::fuzz::check_message(mapping.status().message(), input);
        return 0;
    }
    const ferry::Schema& output = mapping->output_schema();
    for (std::size_t index = 0; index < output.size(); ++index) {
        if (mapping->output_field(index).name != output.field(index).name) {
            fail("output field " + std::to_string(index) + " has two names", input);
        }
    }
    const auto [line, column] = mapping->position("/fields");
    if (line < 1 || line > lines || column < 1) {
        fail("position of /fields is outside the text", input);
    }
    return 0;
}

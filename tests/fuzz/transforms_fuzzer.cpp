// SPDX-License-Identifier: Apache-2.0
// transforms_fuzzer.cpp — the mapping engine's transforms on any field values. The first byte
// picks one of the mappings under tests/fuzz/mappings (all-text sources, many transforms); the
// rest is records, one a line, fields separated by tabs. Mapping a batch never fails, every
// record comes out delivered or rejected (read = delivered + rejected), the output batch is
// well-formed, rejects read as UTF-8, and the same input maps to the same output twice.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/batch.h"
#include "ferry/batch_builder.h"
#include "ferry/catalog.h"
#include "ferry/mapping.h"
#include "ferry/ndjson.h"

#include "fuzz_support.h"

namespace {

using ferry::fuzz::fail;

constexpr std::array<const char*, 2> kMappings = {"person", "employer"};
constexpr std::size_t kMaxRecords = 64;

ferry::Mapping load(const char* name) {
    ferry::MappingLoadOptions options;
    options.catalog = std::make_shared<const ferry::Catalog>(
        ferry::Catalog::load(FERRY_SOURCE_DIR "/schemas").value());
    options.allow_missing_secrets = true;
    std::vector<ferry::Diagnostic> diagnostics;
    const std::string file =
        std::string(FERRY_SOURCE_DIR "/tests/fuzz/mappings/") + name + ".mapping.json";
    ferry::Result<ferry::Mapping> mapping = ferry::Mapping::load(file, options, diagnostics);
    if (!mapping.ok()) {
        for (const ferry::Diagnostic& diagnostic : diagnostics) {
            std::fprintf(stderr, "%s\n", diagnostic.to_string().c_str());
        }
        std::abort(); // the fixture itself is broken: not a finding
    }
    return std::move(mapping).value();
}

const ferry::Mapping& mapping(std::size_t index) {
    static std::array<std::optional<ferry::Mapping>, kMappings.size()> mappings;
    if (!mappings[index]) {
        mappings[index].emplace(load(kMappings[index]));
    }
    return *mappings[index];
}

/// Tab-separated records, one a line; a missing field or one that is not UTF-8 is null.
ferry::Batch source_batch(const ferry::Schema& schema, std::string_view text) {
    ferry::BatchBuilder builder(schema, static_cast<std::int64_t>(kMaxRecords));
    std::int64_t record_no = 0;
    while (!text.empty() && record_no < static_cast<std::int64_t>(kMaxRecords)) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        std::vector<ferry::Value> values;
        bool more = true; // the line still holds a field for this column
        for (std::size_t field = 0; field < schema.size(); ++field) {
            if (!more) {
                values.push_back(ferry::Value::null());
                continue;
            }
            const std::size_t tab = line.find('\t');
            ferry::Result<ferry::Value> cell = ferry::Value::text(std::string(line.substr(0, tab)));
            more = tab != std::string_view::npos;
            line.remove_prefix(more ? tab + 1 : line.size());
            values.push_back(cell.ok() ? std::move(cell).value() : ferry::Value::null());
        }
        if (!builder.append_record(++record_no, values).ok()) {
            fail("the fixture batch refused a record", text);
        }
    }
    FerryBatch raw{};
    if (!builder.finish(&raw).ok()) {
        fail("the fixture batch did not finish", text);
    }
    return ferry::Batch(std::move(raw), std::make_shared<const ferry::Schema>(schema), nullptr);
}

std::string mapped_ndjson(const ferry::Mapping& mapping,
                          const ferry::Batch& input,
                          std::string_view fuzz_input) {
    ferry::Result<ferry::Batch> output = mapping.apply(input);
    if (!output.ok()) {
        fail("apply failed: " + output.status().to_string(), fuzz_input);
    }
    const FerryBatch& raw = output->raw();
    if (const ferry::Status valid =
            ferry::validate_batch(raw, mapping.output_schema(), ferry::BatchCheck::Full);
        !valid.ok()) {
        fail("malformed output batch: " + valid.to_string(), fuzz_input);
    }
    if (raw.records_read != input.records_read() ||
        raw.data.length + raw.n_rejects + raw.records_skipped != raw.records_read) {
        fail("records read != delivered + rejected", fuzz_input);
    }
    std::string out;
    for (std::int64_t idx = 0; idx < raw.n_rejects; ++idx) {
        const FerryReject& reject = raw.rejects[idx];
        const std::string reason = reject.reason == nullptr ? "" : reject.reason;
        ferry::fuzz::check_message(reason, fuzz_input);
        out += std::to_string(reject.record_no) + " rejected: " + reason + "\n";
    }
    ferry::append_ndjson(*output, out, {true});
    return out;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    unsetenv("FERRY_PSEUDONYM_KEY"); // a fixed placeholder key: the same input, the same output
    for (std::size_t index = 0; index < kMappings.size(); ++index) {
        static_cast<void>(mapping(index));
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = ferry::fuzz::as_text(data, size);
    if (input.empty()) {
        return 0;
    }
    const ferry::Mapping& chosen = mapping(static_cast<std::uint8_t>(input[0]) % kMappings.size());
    const ferry::Batch batch = source_batch(chosen.source_schema(), input.substr(1));
    const std::string first = mapped_ndjson(chosen, batch, input);
    if (mapped_ndjson(chosen, batch, input) != first) {
        fail("the same batch mapped twice gives different output", input);
    }
    return 0;
}

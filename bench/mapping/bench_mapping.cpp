// SPDX-License-Identifier: Apache-2.0
// bench_mapping — maps N synthetic AC01 records through bench/mapping/person.mapping.json and
// prints one JSON line: records, seconds (mapping only), records/s, peak RSS.
//
//   bench_mapping MAPPING [--records N] [--batch N] [--threads N] [--dirty-every N]
//                         [--generate-only] [--pregenerate]
//
// Source batches are generated on the fly (the generator is not timed), so memory shows what
// mapping costs, not what holding a million records costs.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iostream>
#include <string>
#include <sys/resource.h>

#include "ferry/batch_builder.h"
#include "ferry/mapped_reader.h"

namespace {

const char* const kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"};
const char* const kGiven[] = {"伟", "芳", "娜", "敏", "静", "磊",
                              "洋", "勇", "艳", "杰", "涛", "明"};

std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

char id_check(const char* body17) {
    static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int idx = 0; idx < 17; ++idx) {
        sum += (body17[idx] - '0') * kWeights[idx];
    }
    return "10X98765432"[sum % 11];
}

ferry::Schema source_schema() {
    std::vector<ferry::Field> fields;
    for (const char* name : {"AAC001", "AAC058", "AAC002", "AAC003", "AAC004", "AAC005", "AAC006",
                             "AAC007", "AAE005", "AAC010"}) {
        fields.push_back({name, ferry::DataType::utf8(), true});
    }
    fields.push_back({"AAC040", ferry::DataType::decimal128(16, 4).value(), true});
    return ferry::Schema(std::move(fields));
}

// One batch of records first..first+rows-1; every `dirty_every`-th has a bad check digit.
ferry::Batch make_batch(const ferry::Schema& schema,
                        std::int64_t first,
                        std::int64_t rows,
                        std::int64_t dirty_every) {
    ferry::BatchBuilder builder(schema, rows);
    char text[64];
    for (std::int64_t record = first; record < first + rows; ++record) {
        const std::uint64_t r = mix(static_cast<std::uint64_t>(record));
        (void)builder.begin_record(record);
        std::snprintf(text, sizeof text, "%010lld  ", static_cast<long long>(record));
        builder.column(0).append_text_unchecked(text);
        builder.column(1).append_text_unchecked((r & 7) == 0 ? "02" : "01");
        const int year = 1950 + static_cast<int>(r % 55);
        const int month = 1 + static_cast<int>((r >> 8) % 12);
        const int day = 1 + static_cast<int>((r >> 16) % 28);
        char id[19];
        std::snprintf(id, sizeof id, "110105%04d%02d%02d%03d", year, month, day,
                      static_cast<int>((r >> 24) % 1000));
        id[17] = id_check(id);
        if (dirty_every > 0 && record % dirty_every == 0) {
            id[17] = id[17] == '0' ? '1' : '0';
        }
        id[18] = '\0';
        builder.column(2).append_text_unchecked(id);
        std::string name = kSurnames[r % 10];
        name += kGiven[(r >> 4) % 12];
        if ((r >> 12) & 1) {
            name += kGiven[(r >> 20) % 12];
        }
        name += "  ";
        builder.column(3).append_text_unchecked(name);
        builder.column(4).append_text_unchecked(((r >> 24) % 1000) % 2 == 1 ? "1" : "2");
        std::snprintf(text, sizeof text, "%02d", 1 + static_cast<int>((r >> 28) % 56));
        builder.column(5).append_text_unchecked(text);
        std::snprintf(text, sizeof text, "%04d%02d%02d", year, month, day);
        builder.column(6).append_text_unchecked(text);
        std::snprintf(text, sizeof text, "%04d-%02d-01", year + 18, month);
        builder.column(7).append_text_unchecked(text);
        std::snprintf(text, sizeof text, "+86 13%09llu",
                      static_cast<unsigned long long>((r >> 3) % 1000000000ULL));
        builder.column(8).append_text_unchecked(text);
        builder.column(9).append_text_unchecked("北京市朝阳区建国路88号  ");
        (void)builder.column(10).append_decimal(
            ferry::Decimal::from_unscaled(static_cast<ferry::Int128>(30000000 + (r % 400000000)), 4)
                .value());
        (void)builder.commit_record();
    }
    FerryBatch raw{};
    (void)builder.finish(&raw);
    return ferry::Batch(std::move(raw), std::make_shared<const ferry::Schema>(schema), nullptr);
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: bench_mapping MAPPING [--records N] [--batch N] [--threads N] "
                     "[--dirty-every N]\n";
        return 2;
    }
    std::int64_t records = 1'000'000;
    std::int64_t batch_rows = 8192;
    int threads = 1;
    std::int64_t dirty_every = 100;
    bool generate_only = false; // for callgrind: the generator's own instructions, to subtract
    bool pregenerate = false;   // all input in memory first: times mapping alone on N threads
    for (int idx = 2; idx < argc; ++idx) {
        const std::string flag = argv[idx];
        if (flag == "--generate-only" || flag == "--pregenerate") {
            (flag == "--generate-only" ? generate_only : pregenerate) = true;
            continue;
        }
        if (idx + 1 >= argc) {
            break;
        }
        const long long value = std::atoll(argv[idx + 1]);
        if (flag == "--records") {
            records = value;
        } else if (flag == "--batch") {
            batch_rows = value;
        } else if (flag == "--threads") {
            threads = static_cast<int>(value);
        } else if (flag == "--dirty-every") {
            dirty_every = value;
        }
        ++idx;
    }
    setenv("FERRY_PSEUDONYM_KEY", "benchmark key, not a secret", 0);
    std::vector<ferry::Diagnostic> findings;
    ferry::MappingLoadOptions options;
    ferry::Result<ferry::Mapping> mapping = ferry::Mapping::load(argv[1], options, findings);
    for (const ferry::Diagnostic& finding : findings) {
        std::cerr << finding.to_string() << '\n';
    }
    if (!mapping.ok()) {
        return 2;
    }
    const ferry::Schema schema = source_schema();
    if (generate_only) {
        for (std::int64_t first = 1; first <= records; first += batch_rows) {
            (void)make_batch(schema, first, std::min(batch_rows, records - first + 1), dirty_every);
        }
        return 0;
    }
    std::int64_t generated = 0;
    double generating = 0;
    std::deque<ferry::Batch> ready;
    if (pregenerate) {
        for (std::int64_t first = 1; first <= records; first += batch_rows) {
            ready.push_back(
                make_batch(schema, first, std::min(batch_rows, records - first + 1), dirty_every));
        }
    }
    ferry::BatchSource source = [&]() -> ferry::Result<std::optional<ferry::Batch>> {
        if (pregenerate) {
            if (ready.empty()) {
                return std::optional<ferry::Batch>();
            }
            ferry::Batch batch = std::move(ready.front());
            ready.pop_front();
            return std::optional<ferry::Batch>(std::move(batch));
        }
        if (generated >= records) {
            return std::optional<ferry::Batch>();
        }
        const auto start = std::chrono::steady_clock::now();
        const std::int64_t rows = std::min(batch_rows, records - generated);
        ferry::Batch batch = make_batch(schema, generated + 1, rows, dirty_every);
        generated += rows;
        generating +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::optional<ferry::Batch>(std::move(batch));
    };
    ferry::MappedReader reader(source, *mapping, threads);
    const auto start = std::chrono::steady_clock::now();
    while (true) {
        ferry::Result<std::optional<ferry::Batch>> batch = reader.next();
        if (!batch.ok()) {
            std::cerr << batch.status().to_string() << '\n';
            return 1;
        }
        if (!*batch) {
            break;
        }
    }
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Generated on the fly, the generator's time is subtracted (it runs inline with one thread;
    // with several threads use --pregenerate, or the generator becomes the bottleneck).
    const double mapping_seconds = total - generating; // generating is 0 when pregenerated
    std::printf("{\"records\":%lld,\"delivered\":%lld,\"rejected\":%lld,\"threads\":%d,"
                "\"seconds\":%.3f,\"records_per_s\":%.0f,\"peak_rss_mib\":%.1f}\n",
                static_cast<long long>(reader.records_read()),
                static_cast<long long>(reader.records_delivered()),
                static_cast<long long>(reader.records_rejected()), threads, mapping_seconds,
                static_cast<double>(reader.records_read()) / mapping_seconds,
                static_cast<double>(peak_rss_kib()) / 1024.0);
    return reader.records_read() == reader.records_delivered() + reader.records_rejected() ? 0 : 1;
}

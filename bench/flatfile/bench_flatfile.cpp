// SPDX-License-Identifier: Apache-2.0
// bench_flatfile.cpp — the flat-file adapter's benchmark: generates inputs and reads them back
// through the adapter (statically linked, one core), printing one JSON line per run.
//
//   bench_flatfile gen-copybook FILE RECORDS      200-byte CP037 records (ac08.cpy)
//   bench_flatfile gen-csv FILE ROWS              UTF-8 CSV, 10 columns, ~110 bytes a row
//   bench_flatfile gen-segmented FILE RECORDS     header, "D" + each record above, trailer
//   bench_flatfile copybook FILE COPYBOOK         decode to batches
//   bench_flatfile segmented FILE COPYBOOK        the control-record batch: verify pass, then
//                                                 decode to batches (segmented-streaming: no
//                                                 verify pass, the host compares at the end)
//   bench_flatfile copybook-ndjson FILE COPYBOOK MAPPING   decode, map, write NDJSON to stdout
//   bench_flatfile csv-ndjson FILE                decode, write NDJSON to stdout
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <sys/resource.h>

#include "ferry/batch.h"
#include "ferry/codepage.h"
#include "ferry/mapped_reader.h"
#include "ferry/mapping.h"
#include "ferry/ndjson.h"
#include "ferry/plugin_library.h"

extern "C" FerryStatus
FerryPluginFlatfileInit(std::uint32_t, const FerryHostApi*, FerryPluginApi*, FerryError*);

namespace {

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

std::uint64_t mix(std::uint64_t value) {
    value += 0x9E3779B97F4A7C15ULL;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
    return value ^ (value >> 31);
}

std::string packed(std::int64_t value, std::size_t bytes) {
    std::string out(bytes, '\0');
    const bool negative = value < 0;
    std::uint64_t magnitude = static_cast<std::uint64_t>(negative ? -value : value);
    out[bytes - 1] = static_cast<char>(((magnitude % 10) << 4) | (negative ? 0xD : 0xC));
    magnitude /= 10;
    for (std::size_t idx = bytes - 1; idx-- > 0;) {
        const auto low = magnitude % 10;
        magnitude /= 10;
        const auto high = magnitude % 10;
        magnitude /= 10;
        out[idx] = static_cast<char>((high << 4) | low);
    }
    return out;
}

std::string padded(std::string text, std::size_t size) {
    text.resize(size, ' ');
    return text;
}

// One 200-byte AC08 record (CP037); `base` is its AAE180 amount in cents.
bool ac08_record(ferry::CodePage& page, std::int64_t idx, std::string& record, std::int64_t& base) {
    static const char* const kCategories[] = {"NORMAL PAYMENT", "ARREARS", "ADJUSTMENT", ""};
    const std::uint64_t random = mix(static_cast<std::uint64_t>(idx));
    std::string text = padded("C" + std::to_string(100000000 + idx), 20) +
                       padded("P" + std::to_string(10000000 + idx % 500000), 15) +
                       padded("E" + std::to_string(20000 + idx % 3000), 15) +
                       padded(random % 10 == 0 ? "03" : "01", 3) +
                       std::to_string(202001 + static_cast<int>(idx % 12)) +
                       std::to_string(202001 + static_cast<int>((idx + 11) % 12)) +
                       padded(random % 2 ? "10" : "20", 2) + padded(kCategories[random % 4], 40);
    record.clear();
    if (page.encode(text, record)) {
        return false;
    }
    base = static_cast<std::int64_t>(300000 + random % 2000000);
    record += packed(base, 8) + packed(800, 4) + packed(base * 8 / 100, 8) + packed(1600, 4) +
              packed(base * 16 / 100, 8) + packed(random % 7 == 0 ? 1234 : 0, 8);
    std::string tail;
    if (page.encode(random % 3 ? "1" : "0", tail) || page.encode(std::string(52, ' '), tail)) {
        return false;
    }
    record += tail;
    return true;
}

int generate_copybook(const char* path, std::int64_t records) {
    auto page = ferry::CodePage::open("CP037");
    if (!page.ok()) {
        return 2;
    }
    std::ofstream out(path, std::ios::binary);
    std::string record;
    std::int64_t base = 0;
    for (std::int64_t idx = 1; idx <= records; ++idx) {
        if (!ac08_record(*page, idx, record, base)) {
            return 2;
        }
        out << record;
    }
    return out ? 0 : 1;
}

// The same details as a control-record batch (ac08_segments.cpy, 201-byte F records): a header
// with the business date, "D" + each AC08 record, a trailer with their count and AAE180 total.
int generate_segmented(const char* path, std::int64_t records) {
    auto page = ferry::CodePage::open("CP037");
    if (!page.ok()) {
        return 2;
    }
    std::ofstream out(path, std::ios::binary);
    std::string record;
    std::string text;
    if (page->encode(padded("H20261130", 201), text)) {
        return 2;
    }
    out << text;
    std::int64_t base = 0;
    std::int64_t total = 0;
    std::string type;
    if (page->encode("D", type)) {
        return 2;
    }
    for (std::int64_t idx = 1; idx <= records; ++idx) {
        if (!ac08_record(*page, idx, record, base)) {
            return 2;
        }
        total += base;
        out << type << record;
    }
    char count[16];
    std::snprintf(count, sizeof count, "%09lld", static_cast<long long>(records));
    text.clear();
    if (page->encode("T" + std::string(count), text)) {
        return 2;
    }
    std::string filler;
    if (page->encode(std::string(182, ' '), filler)) {
        return 2;
    }
    out << text << packed(total, 9) << filler;
    return out ? 0 : 1;
}

int generate_csv(const char* path, std::int64_t rows) {
    std::ofstream out(path, std::ios::binary);
    out << "AAZ083,AAC001,AAC002,AAC003,AAE140,AAE002,AAE180,AAE082,AAE143,AAE114\n";
    static const char* const kNames[] = {"王芳", "李伟", "张静", "刘洋", "陈敏"};
    std::string line;
    for (std::int64_t idx = 1; idx <= rows; ++idx) {
        const std::uint64_t random = mix(static_cast<std::uint64_t>(idx));
        line = "C" + std::to_string(100000000 + idx) + ",P" +
               std::to_string(10000000 + idx % 500000) + ",11010519" +
               std::to_string(49 + random % 50) + "0101" + std::to_string(1000 + random % 9000) +
               "," + kNames[random % 5] + ",01," + std::to_string(202001 + idx % 12) + "," +
               std::to_string(3000 + random % 20000) + ".50," +
               std::to_string(240 + random % 1600) + ".04,\"normal, monthly\"," +
               (random % 3 ? "1" : "0") + "\n";
        out << line;
    }
    return out ? 0 : 1;
}

struct Totals {
    std::int64_t records = 0, delivered = 0, rejected = 0;
    std::size_t output_bytes = 0;
};

int report(const char* what, const char* path, const Totals& totals, double seconds) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    const auto bytes = static_cast<double>(in.tellg());
    std::fprintf(stderr,
                 "{\"run\":\"%s\",\"records\":%lld,\"delivered\":%lld,\"rejected\":%lld,"
                 "\"input_mb\":%.1f,\"seconds\":%.3f,\"mb_per_s\":%.1f,\"records_per_s\":%.0f,"
                 "\"output_mb\":%.1f,\"peak_rss_mib\":%.1f}\n",
                 what, static_cast<long long>(totals.records),
                 static_cast<long long>(totals.delivered), static_cast<long long>(totals.rejected),
                 bytes / 1e6, seconds, bytes / 1e6 / seconds,
                 static_cast<double>(totals.records) / seconds,
                 static_cast<double>(totals.output_bytes) / 1e6, peak_rss_mib());
    return totals.records == totals.delivered + totals.rejected ? 0 : 1;
}

int read(const std::string& mode, char** argv, int argc) {
    const char* path = argv[2];
    nlohmann::json options;
    if (mode == "csv-ndjson" || mode == "csv") {
        // Without the lineage columns: the same objects Miller writes, so the comparison is fair.
        options = {{"format", "delimited"},
                   {"path", path},
                   {"encoding", "UTF-8"},
                   {"dataset", "AC08"},
                   {"lineage_columns", false}};
    } else if (mode == "segmented" || mode == "segmented-streaming") {
        if (argc < 4) {
            return 2;
        }
        options = {{"format", "copybook"},
                   {"path", path},
                   {"copybook", argv[3]},
                   {"encoding", "CP037"},
                   {"dataset", "AC08"},
                   {"record_format", "F"},
                   {"segments",
                    {{"field", "REC-TYPE"},
                     {"records", {{"H", "HDR-REC"}, {"D", "DTL-REC"}, {"T", "TRL-REC"}}}}},
                   {"control",
                    {{"header", "HDR-REC"},
                     {"trailer", "TRL-REC"},
                     {"segment_counts", {{"DTL-REC", "TRL-COUNT"}}},
                     {"sums", {{"AAE180", "TRL-TOTAL"}}},
                     {"business_date", "HDR-DATE"}}},
                   {"business_date", "2026-11-30"},
                   {"verify_first", mode == "segmented"}};
    } else {
        if (argc < 4) {
            return 2;
        }
        options = {{"format", "copybook"},
                   {"path", path},
                   {"copybook", argv[3]},
                   {"encoding", "CP037"},
                   {"dataset", "AC08"}};
    }
    auto plugin = ferry::PluginLibrary::from_init(&FerryPluginFlatfileInit, "flatfile");
    if (!plugin.ok()) {
        std::cerr << plugin.status().to_string() << '\n';
        return 2;
    }
    auto source = plugin->create_source(options);
    if (!source.ok()) {
        std::cerr << source.status().to_string() << '\n';
        return 2;
    }
    auto reader = source->open_stream("AC08", {{"batch_rows", 8192}});
    if (!reader.ok()) {
        std::cerr << reader.status().to_string() << '\n';
        return 2;
    }
    const bool ndjson = mode.find("ndjson") != std::string::npos;
    const bool mapped = mode == "copybook-ndjson";
    std::optional<ferry::MappedReader> mapped_reader;
    if (mapped) {
        if (argc < 5) {
            return 2;
        }
        setenv("FERRY_PSEUDONYM_KEY", "benchmark key, not a secret", 0);
        std::vector<ferry::Diagnostic> findings;
        auto mapping = ferry::Mapping::load(argv[4], ferry::MappingLoadOptions{}, findings);
        if (!mapping.ok()) {
            std::cerr << mapping.status().to_string() << '\n';
            return 2;
        }
        mapped_reader.emplace(ferry::batch_source(std::move(*reader)), std::move(*mapping), 1);
    }
    Totals totals;
    std::string out;
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
        auto batch = mapped ? mapped_reader->next() : reader->next();
        if (!batch.ok()) {
            std::cerr << batch.status().to_string() << '\n';
            return 1;
        }
        if (!*batch) {
            break;
        }
        const ferry::Batch& got = **batch;
        if (!mapped) {
            totals.records += got.records_read();
            totals.delivered += got.num_rows();
            totals.rejected += static_cast<std::int64_t>(got.rejects().size());
        }
        if (ndjson) {
            out.clear();
            ferry::append_ndjson(got, out);
            totals.output_bytes += out.size();
            std::fwrite(out.data(), 1, out.size(), stdout);
        }
    }
    if (mapped) {
        totals.records = mapped_reader->records_read();
        totals.delivered = mapped_reader->records_delivered();
        totals.rejected = mapped_reader->records_rejected();
    }
    std::fflush(stdout);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report(mode.c_str(), path, totals, seconds);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: bench_flatfile gen-copybook|gen-csv|gen-segmented|copybook|segmented|"
                     "segmented-streaming|copybook-ndjson|"
                     "csv-ndjson FILE [COUNT|COPYBOOK [MAPPING]]\n";
        return 2;
    }
    const std::string mode = argv[1];
    if (mode == "gen-copybook" || mode == "gen-csv" || mode == "gen-segmented") {
        const std::int64_t count = argc > 3 ? std::atoll(argv[3]) : 1000000;
        return mode == "gen-copybook"    ? generate_copybook(argv[2], count)
               : mode == "gen-segmented" ? generate_segmented(argv[2], count)
                                         : generate_csv(argv[2], count);
    }
    return read(mode, argv, argc);
}

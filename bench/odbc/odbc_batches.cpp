// SPDX-License-Identifier: Apache-2.0
// odbc_batches.cpp — the ODBC benchmark's Ferry side: a whole dataset into batches (counted,
// nothing written), or N key lookups with their latency percentiles.
//   odbc_batches PLUGIN OPTIONS_JSON DATASET
//   odbc_batches PLUGIN OPTIONS_JSON DATASET --lookups N KEY_FIELD [MAX_KEY]
//     (keys: 16-digit zero-padded numbers 1..MAX_KEY)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "ferry/batch.h"
#include "ferry/batch_reader.h"
#include "ferry/plugin_library.h"

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: odbc_batches PLUGIN OPTIONS DATASET [--lookups N FIELD [MAX_KEY]]\n";
        return 2;
    }
    auto plugin = ferry::PluginLibrary::load(argv[1]);
    if (!plugin.ok()) {
        std::cerr << plugin.status().to_string() << "\n";
        return 1;
    }
    auto source = plugin->create_source(nlohmann::json::parse(argv[2]));
    if (!source.ok()) {
        std::cerr << source.status().to_string() << "\n";
        return 1;
    }
    const std::string dataset = argv[3];
    if (argc >= 7 && std::string(argv[4]) == "--lookups") {
        const int count = std::stoi(argv[5]);
        const int max_key = argc >= 8 ? std::stoi(argv[7]) : 1000000;
        std::vector<double> micros;
        micros.reserve(static_cast<std::size_t>(count));
        for (int idx = 0; idx < count; ++idx) {
            char key[64];
            std::snprintf(key, sizeof key, "%016d", 1 + (idx * 7919) % max_key);
            const auto start = std::chrono::steady_clock::now();
            auto reader = source->open_stream(dataset, {{"lookup", {{std::string(argv[6]), key}}}});
            std::int64_t rows = 0;
            while (reader.ok()) {
                auto batch = reader->next();
                if (!batch.ok() || !batch->has_value()) {
                    break;
                }
                rows += (*batch)->num_rows();
            }
            const auto stop = std::chrono::steady_clock::now();
            if (!reader.ok() || rows != 1) {
                std::cerr << "lookup " << key << " found " << rows << " rows\n";
                return 1;
            }
            micros.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
        }
        std::sort(micros.begin(), micros.end());
        auto pct = [&micros](double p) {
            return micros[static_cast<std::size_t>(p * static_cast<double>(micros.size() - 1))];
        };
        std::printf("%d %.0f %.0f\n", count, pct(0.50), pct(0.99));
        return 0;
    }
    auto reader = source->open_stream(dataset, {{"batch_rows", 8192}});
    if (!reader.ok()) {
        std::cerr << reader.status().to_string() << "\n";
        return 1;
    }
    std::int64_t read = 0, delivered = 0;
    for (;;) {
        auto batch = reader->next();
        if (!batch.ok()) {
            std::cerr << batch.status().to_string() << "\n";
            return 1;
        }
        if (!batch->has_value()) {
            break;
        }
        read += (*batch)->records_read();
        delivered += (*batch)->num_rows();
    }
    std::printf("%lld %lld\n", static_cast<long long>(read), static_cast<long long>(delivered));
    return 0;
}

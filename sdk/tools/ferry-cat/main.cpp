// SPDX-License-Identifier: Apache-2.0
// ferry-cat — loads an adapter plugin, reads one dataset (optionally through a mapping) and
// prints its records as NDJSON.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ferry/json_schema.h"
#include "ferry/mapped_reader.h"
#include "ferry/mapping.h"
#include "ferry/ndjson.h"
#include "ferry/plugin_library.h"

namespace {

constexpr const char* kUsage = R"(usage: ferry-cat --plugin FILE [options]

Reads one dataset through an adapter plugin and writes its records to stdout as NDJSON.
The summary (read = delivered + rejected) and every reject go to stderr.

  --plugin FILE        the adapter plugin (.so)
  --options JSON       source options (checked against the plugin's options schema)
  --options-file FILE  the same, from a file
  --dataset NAME       the dataset to read (default: the first one discovered)
  --request JSON       open_stream request: {"limit":N,"batch_rows":N,"lookup":{...},"resume":...}
  --discover           print the discovery JSON instead of records
  --describe           print the plugin's name, version and options schema
  --lineage            add "_record_no" (the source record number) to every record
  --mapping FILE       map the records onto a catalog entity with this mapping file (its
                       source.dataset is the default dataset); rejects of the mapping join the
                       source's on stderr
  --catalog DIR        the catalog for --mapping (default: the mapping's "catalog" key)
  --threads N          map batches on N threads (default 1)
  --partitions N       read N partitions of the dataset at once, each a stream opened with
                       {"params":{"partition":i}} on its own thread (for adapters that split a
                       dataset by key ranges, e.g. the ODBC adapter's "parallel" option); lines
                       of different partitions interleave by batch
  --help               this text
)";

struct Args {
    std::string plugin;
    std::string options = "{}";
    std::string dataset;
    std::string request;
    bool discover = false;
    bool describe = false;
    bool lineage = false;
    std::string mapping;
    std::string catalog;
    int threads = 1;
    int partitions = 0;
};

ferry::Result<nlohmann::json> read_mapping_document(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        return ferry::Status::not_found("mapping file not found: " + path);
    }
    std::ostringstream text;
    text << file.rdbuf();
    FERRY_ASSIGN_OR_RETURN(nlohmann::json doc, ferry::parse_json(text.str(), path));
    if (!doc.is_object() || !doc.contains("source") || !doc["source"].contains("dataset")) {
        return ferry::Status::invalid_argument(path + ": no source.dataset (run ferry-check)");
    }
    return doc;
}

int fail(const ferry::Status& status) {
    std::cerr << "ferry-cat: " << status.to_string() << '\n';
    return 1;
}

ferry::Result<Args> parse_args(int argc, char** argv) {
    Args args;
    for (int idx = 1; idx < argc; ++idx) {
        const std::string flag = argv[idx];
        auto value = [&]() -> ferry::Result<std::string> {
            if (idx + 1 >= argc) {
                return ferry::Status::invalid_argument(flag + " needs a value");
            }
            return std::string(argv[++idx]);
        };
        if (flag == "--help" || flag == "-h") {
            std::cout << kUsage;
            std::exit(0);
        } else if (flag == "--plugin") {
            FERRY_ASSIGN_OR_RETURN(args.plugin, value());
        } else if (flag == "--options") {
            FERRY_ASSIGN_OR_RETURN(args.options, value());
        } else if (flag == "--options-file") {
            FERRY_ASSIGN_OR_RETURN(std::string path, value());
            std::ifstream file(path);
            if (!file) {
                return ferry::Status::not_found("options file not found: " + path);
            }
            std::ostringstream text;
            text << file.rdbuf();
            args.options = text.str();
        } else if (flag == "--dataset") {
            FERRY_ASSIGN_OR_RETURN(args.dataset, value());
        } else if (flag == "--request") {
            FERRY_ASSIGN_OR_RETURN(args.request, value());
        } else if (flag == "--discover") {
            args.discover = true;
        } else if (flag == "--describe") {
            args.describe = true;
        } else if (flag == "--lineage") {
            args.lineage = true;
        } else if (flag == "--mapping") {
            FERRY_ASSIGN_OR_RETURN(args.mapping, value());
        } else if (flag == "--catalog") {
            FERRY_ASSIGN_OR_RETURN(args.catalog, value());
        } else if (flag == "--partitions") {
            FERRY_ASSIGN_OR_RETURN(std::string text, value());
            args.partitions = std::atoi(text.c_str());
            if (args.partitions < 1) {
                return ferry::Status::invalid_argument("--partitions needs a count of at least 1");
            }
        } else if (flag == "--threads") {
            FERRY_ASSIGN_OR_RETURN(std::string text, value());
            args.threads = std::max(1, std::atoi(text.c_str()));
        } else {
            return ferry::Status::invalid_argument("unknown argument \"" + flag +
                                                   "\" (try --help)");
        }
    }
    if (args.plugin.empty()) {
        return ferry::Status::invalid_argument("--plugin is required (try --help)");
    }
    return args;
}

// Loads --mapping against what the source discovered; fills in the dataset when none was named.
ferry::Result<ferry::Mapping>
load_mapping(const Args& args, const nlohmann::json& discovery, std::string& dataset) {
    FERRY_ASSIGN_OR_RETURN(nlohmann::json doc, read_mapping_document(args.mapping));
    if (dataset.empty()) {
        dataset = doc["source"]["dataset"].get<std::string>();
    }
    const nlohmann::json* found = nullptr;
    for (const auto& candidate : discovery["datasets"]) {
        if (candidate["name"] == dataset) {
            found = &candidate;
        }
    }
    if (found == nullptr) {
        return ferry::Status::not_found("the source has no dataset \"" + dataset + "\"");
    }
    std::vector<ferry::Field> fields;
    for (const auto& field : (*found)["fields"]) {
        FERRY_ASSIGN_OR_RETURN(ferry::DataType type,
                               ferry::DataType::parse(field["type"].get<std::string>()));
        fields.push_back({field["name"].get<std::string>(), type, field.value("nullable", true)});
    }
    ferry::MappingLoadOptions options;
    if (!args.catalog.empty()) {
        FERRY_ASSIGN_OR_RETURN(ferry::Catalog catalog, ferry::Catalog::load(args.catalog));
        options.catalog = std::make_shared<const ferry::Catalog>(std::move(catalog));
    }
    options.discovered_source = ferry::Schema(std::move(fields));
    std::vector<ferry::Diagnostic> findings;
    ferry::Result<ferry::Mapping> mapping = ferry::Mapping::load(args.mapping, options, findings);
    for (const ferry::Diagnostic& finding : findings) {
        if (finding.severity != ferry::Severity::Note) {
            std::cerr << finding.to_string() << '\n';
        }
    }
    return mapping;
}

struct Totals {
    std::int64_t read = 0, delivered = 0, rejected = 0;
};

void print_rejects(const ferry::Batch& batch, const std::string& dataset) {
    for (const FerryReject& reject : batch.rejects()) {
        std::cerr << "ferry-cat: reject: " << dataset << ": record " << reject.record_no;
        if (reject.location != nullptr) {
            std::cerr << " (" << reject.location << ")";
        }
        if (reject.field != nullptr) {
            std::cerr << ": field \"" << reject.field << '"';
        }
        if (reject.rule != nullptr) {
            std::cerr << ": " << reject.rule;
        }
        std::cerr << ": " << reject.reason << '\n';
    }
}

/// Reads one stream to its end: NDJSON to stdout and rejects to stderr, one batch at a time
/// under `output`; adds the stream's counts to `totals` (also under `output`).
ferry::Status read_stream(ferry::SourceHandle& source,
                          const std::string& dataset,
                          const nlohmann::json& request,
                          const std::optional<ferry::Mapping>& mapping,
                          const Args& args,
                          std::mutex& output,
                          Totals& totals) {
    FERRY_ASSIGN_OR_RETURN(ferry::BatchReader stream, source.open_stream(dataset, request));
    // With a mapping the source's batches go through it (on --threads workers); without, they
    // are printed as the adapter delivered them.
    std::optional<ferry::MappedReader> mapped;
    auto plain = std::make_shared<ferry::BatchReader>(std::move(stream));
    if (mapping) {
        mapped.emplace(ferry::batch_source(std::move(*plain)), *mapping, args.threads);
    }
    auto next = [&]() { return mapped ? mapped->next() : plain->next(); };
    std::string out;
    for (;;) {
        FERRY_ASSIGN_OR_RETURN(std::optional<ferry::Batch> batch, next());
        if (!batch) {
            break;
        }
        out.clear();
        ferry::append_ndjson(*batch, out, {args.lineage});
        const std::lock_guard<std::mutex> lock(output);
        std::fwrite(out.data(), 1, out.size(), stdout);
        print_rejects(*batch, dataset);
    }
    const std::lock_guard<std::mutex> lock(output);
    totals.read += mapped ? mapped->records_read() : plain->records_read();
    totals.delivered += mapped ? mapped->records_delivered() : plain->records_delivered();
    totals.rejected += mapped ? mapped->records_rejected() : plain->records_rejected();
    return {};
}

ferry::Status run(const Args& args) {
    FERRY_ASSIGN_OR_RETURN(ferry::PluginLibrary plugin, ferry::PluginLibrary::load(args.plugin));
    if (args.describe) {
        std::cout << plugin.name() << ' ' << plugin.version() << " (ABI "
                  << ferry::abi_version_string(plugin.abi_version())
                  << "): " << plugin.description() << '\n'
                  << plugin.options_schema() << '\n';
        return {};
    }
    FERRY_ASSIGN_OR_RETURN(nlohmann::json options, ferry::parse_json(args.options, "--options"));
    FERRY_ASSIGN_OR_RETURN(ferry::SourceHandle source, plugin.create_source(options));
    FERRY_ASSIGN_OR_RETURN(nlohmann::json catalog, source.discover());
    if (args.discover) {
        std::cout << catalog.dump(2) << '\n';
        return {};
    }
    std::optional<ferry::Mapping> mapping;
    std::string dataset = args.dataset;
    if (!args.mapping.empty()) {
        FERRY_ASSIGN_OR_RETURN(mapping, load_mapping(args, catalog, dataset));
    }
    if (dataset.empty()) {
        if (catalog["datasets"].empty()) {
            return ferry::Status::not_found("the source offers no datasets");
        }
        dataset = catalog["datasets"][0]["name"].get<std::string>();
    }
    nlohmann::json request = nullptr;
    if (!args.request.empty()) {
        FERRY_ASSIGN_OR_RETURN(request, ferry::parse_json(args.request, "--request"));
    }
    Totals totals;
    std::mutex output; // one batch's lines and rejects at a time
    if (args.partitions == 0) {
        FERRY_RETURN_IF_ERROR(read_stream(source, dataset, request, mapping, args, output, totals));
    } else {
        // One stream per partition, each read (and mapped) on its own thread; the first error
        // is reported once every thread has stopped.
        std::vector<std::thread> workers;
        std::vector<ferry::Status> outcomes(static_cast<std::size_t>(args.partitions));
        for (int index = 0; index < args.partitions; ++index) {
            nlohmann::json partition = request.is_object() ? request : nlohmann::json::object();
            partition["params"]["partition"] = index;
            workers.emplace_back([&, index, partition] {
                outcomes[static_cast<std::size_t>(index)] =
                    read_stream(source, dataset, partition, mapping, args, output, totals);
            });
        }
        for (auto& worker : workers) {
            worker.join();
        }
        for (int index = 0; index < args.partitions; ++index) {
            const ferry::Status& outcome = outcomes[static_cast<std::size_t>(index)];
            if (!outcome.ok()) {
                return ferry::Status(outcome.code(), "partition " + std::to_string(index) + ": " +
                                                         outcome.message());
            }
        }
    }
    std::fflush(stdout);
    std::cerr << "ferry-cat: " << plugin.name() << " dataset \"" << dataset << "\""
              << (mapping ? " mapped by " + mapping->id() : std::string())
              << (args.partitions > 0 ? " in " + std::to_string(args.partitions) + " partitions"
                                      : std::string())
              << ": read " << totals.read << ", delivered " << totals.delivered << ", rejected "
              << totals.rejected << '\n';
    return {};
}

} // namespace

int main(int argc, char** argv) {
    ferry::Result<Args> args = parse_args(argc, argv);
    if (!args.ok()) {
        return fail(args.status());
    }
    const ferry::Status status = run(*args);
    return status.ok() ? 0 : fail(status);
}

// SPDX-License-Identifier: Apache-2.0
// ferry-cat — loads an adapter plugin, reads one dataset and prints its records as NDJSON.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "ferry/json_schema.h"
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
};

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
    std::string dataset = args.dataset;
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
    FERRY_ASSIGN_OR_RETURN(ferry::BatchReader reader, source.open_stream(dataset, request));
    std::string out;
    for (;;) {
        FERRY_ASSIGN_OR_RETURN(std::optional<ferry::Batch> batch, reader.next());
        if (!batch) {
            break;
        }
        out.clear();
        ferry::append_ndjson(*batch, out, {args.lineage});
        std::fwrite(out.data(), 1, out.size(), stdout);
        for (const FerryReject& reject : batch->rejects()) {
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
    std::fflush(stdout);
    std::cerr << "ferry-cat: " << plugin.name() << " dataset \"" << dataset << "\": read "
              << reader.records_read() << ", delivered " << reader.records_delivered()
              << ", rejected " << reader.records_rejected() << '\n';
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

// SPDX-License-Identifier: Apache-2.0
// ferry-cat — loads an adapter plugin, reads one dataset (optionally through a mapping) and
// prints its records as NDJSON, ending with the source's reconciliation.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ferry/json_schema.h"
#include "ferry/mapping.h"
#include "ferry/plugin_library.h"

#include "atomic_file.h"
#include "ferry_cat.h"

namespace {

using ferry::cat::Args;

constexpr const char* kUsage = R"(usage: ferry-cat [--plugin FILE] [options]

Reads one dataset through an adapter plugin and writes its records as NDJSON (stdout, or the file
of --output). The summary (read = delivered + rejected + skipped), the source's reconciliation and
every reject go to stderr.

  --plugin FILE        the adapter plugin (.so); default: the mapping's source.plugin (a path
                       relative to the mapping file)
  --options JSON       source options (checked against the plugin's options schema); default:
                       the mapping's source.options
  --options-file FILE  the same, from a file
  --dataset NAME       the dataset to read (default: the mapping's source.dataset, else the first
                       one discovered)
  --request JSON       open_stream request: {"limit":N,"batch_rows":N,"lookup":{...},"resume":...}
  --discover           print the discovery JSON instead of records
  --describe           print the plugin's name, version and options schema
  --lineage            add "_record_no" (the source record number) to every record
  --mapping FILE       map the records onto a catalog entity with this mapping file; rejects of
                       the mapping join the source's on stderr
  --catalog DIR        the catalog for --mapping (default: the mapping's "catalog" key)
  --threads N          map batches on N threads (default 1)
  --partitions N       read the pieces the adapter splits the dataset into (list_partitions), N
                       at a time, each on its own stream and thread; lines of different pieces
                       interleave by batch
  --output FILE        write the records to FILE: to a temporary file beside it, renamed to FILE
                       only when every stream ended complete and not unreconciled, so a partial
                       file never looks complete
  --state FILE         resume from the checkpoints saved in FILE (if it exists) and save the
                       last checkpoint of every piece there: after each batch when records go to
                       stdout, once the output is renamed with --output
  --require-reconciled an unverified stream (the source declares nothing) fails as unreconciled
  --help               this text

Exit codes:
  0  complete: every record delivered, the source's figures reconciled (or none declared)
  1  the read failed (source, mapping or output error); with --output nothing is written
  2  usage: bad arguments
  3  complete with rejects: every record accounted for, some rejected (listed on stderr)
  4  unreconciled: the source declares other figures than were read (each named on stderr);
     with --output nothing is written
)";

ferry::Result<std::string> read_text_file(const std::string& path, const char* what) {
    std::ifstream file(path);
    if (!file) {
        return ferry::Status::not_found(std::string(what) + " not found: " + path);
    }
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

ferry::Result<Args> parse_args(int argc, char** argv) {
    Args args;
    auto count = [](const std::string& flag, const std::string& text) -> ferry::Result<int> {
        const int value = std::atoi(text.c_str());
        if (value < 1) {
            return ferry::Status::invalid_argument(flag + " needs a count of at least 1");
        }
        return value;
    };
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
            std::exit(ferry::cat::kComplete);
        } else if (flag == "--plugin") {
            FERRY_ASSIGN_OR_RETURN(args.plugin, value());
        } else if (flag == "--options") {
            FERRY_ASSIGN_OR_RETURN(args.options, value());
            args.options_given = true;
        } else if (flag == "--options-file") {
            FERRY_ASSIGN_OR_RETURN(std::string path, value());
            FERRY_ASSIGN_OR_RETURN(args.options, read_text_file(path, "options file"));
            args.options_given = true;
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
        } else if (flag == "--output") {
            FERRY_ASSIGN_OR_RETURN(args.output, value());
        } else if (flag == "--state") {
            FERRY_ASSIGN_OR_RETURN(args.state, value());
        } else if (flag == "--require-reconciled") {
            args.require_reconciled = true;
        } else if (flag == "--partitions") {
            FERRY_ASSIGN_OR_RETURN(std::string text, value());
            FERRY_ASSIGN_OR_RETURN(args.partitions, count(flag, text));
        } else if (flag == "--threads") {
            FERRY_ASSIGN_OR_RETURN(std::string text, value());
            FERRY_ASSIGN_OR_RETURN(args.threads, count(flag, text));
        } else {
            return ferry::Status::invalid_argument("unknown argument \"" + flag +
                                                   "\" (try --help)");
        }
    }
    return args;
}

// The mapping's source block names the adapter and its options, so a mapping file alone is
// enough to read its source (as ferry-check --live does).
ferry::Status apply_mapping_source(Args& args, nlohmann::json& mapping_doc) {
    FERRY_ASSIGN_OR_RETURN(std::string text, read_text_file(args.mapping, "mapping file"));
    FERRY_ASSIGN_OR_RETURN(mapping_doc, ferry::parse_json(text, args.mapping));
    if (!mapping_doc.is_object() || !mapping_doc.contains("source") ||
        !mapping_doc["source"].is_object() || !mapping_doc["source"].contains("dataset")) {
        return ferry::Status::invalid_argument(args.mapping +
                                               ": no source.dataset (run ferry-check)");
    }
    const nlohmann::json& source = mapping_doc["source"];
    if (args.plugin.empty() && source.contains("plugin") && source["plugin"].is_string()) {
        args.plugin = (std::filesystem::path(args.mapping).parent_path() /
                       source["plugin"].get<std::string>())
                          .string();
    }
    if (!args.options_given && source.contains("options")) {
        args.options = source["options"].dump();
    }
    if (args.dataset.empty()) {
        args.dataset = source["dataset"].get<std::string>();
    }
    return {};
}

// Loads --mapping against what the source discovered.
ferry::Result<ferry::Mapping> load_mapping(const Args& args, const nlohmann::json& discovery) {
    const nlohmann::json* found = nullptr;
    for (const auto& candidate : discovery["datasets"]) {
        if (candidate["name"] == args.dataset) {
            found = &candidate;
        }
    }
    if (found == nullptr) {
        return ferry::Status::not_found("the source has no dataset \"" + args.dataset + "\"");
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

ferry::Result<nlohmann::json> load_state(const Args& args) {
    nlohmann::json state = {{"dataset", args.dataset}, {"checkpoints", nlohmann::json::object()}};
    std::error_code missing;
    if (args.state.empty() || !std::filesystem::exists(args.state, missing)) {
        return state;
    }
    FERRY_ASSIGN_OR_RETURN(std::string text, read_text_file(args.state, "state file"));
    FERRY_ASSIGN_OR_RETURN(nlohmann::json saved, ferry::parse_json(text, args.state));
    if (!saved.is_object() || !saved.value("checkpoints", nlohmann::json()).is_object()) {
        return ferry::Status::invalid_argument(args.state +
                                               ": not a ferry-cat state file (no checkpoints)");
    }
    const nlohmann::json* saved_dataset = saved.contains("dataset") ? &saved["dataset"] : nullptr;
    if (saved_dataset == nullptr || *saved_dataset != args.dataset) {
        return ferry::Status::invalid_argument(
            args.state + " holds the state of dataset " +
            (saved_dataset ? saved_dataset->dump() : std::string("(none)")) + ", not of \"" +
            args.dataset + "\"");
    }
    return saved;
}

struct RunResult {
    ferry::Status status;
    int code = ferry::cat::kComplete;
};

void print_summary(const std::string& plugin,
                   const Args& args,
                   const std::optional<ferry::Mapping>& mapping,
                   std::size_t pieces,
                   const std::vector<ferry::cat::StreamOutcome>& outcomes) {
    ferry::StreamCounts total;
    for (const auto& outcome : outcomes) {
        total.read += outcome.counts.read;
        total.delivered += outcome.counts.delivered;
        total.rejected += outcome.counts.rejected;
        total.skipped += outcome.counts.skipped;
    }
    std::cerr << "ferry-cat: " << plugin << " dataset \"" << args.dataset << "\""
              << (mapping ? " mapped by " + mapping->id() : std::string())
              << (pieces > 1 ? " in " + std::to_string(pieces) + " partitions" : std::string())
              << ": read " << total.read << ", delivered " << total.delivered << ", rejected "
              << total.rejected << ", skipped " << total.skipped << '\n';
    for (std::size_t idx = 0; idx < outcomes.size(); ++idx) {
        const auto& verdict = outcomes[idx].reconciliation;
        if (!verdict) {
            continue;
        }
        std::cerr << "ferry-cat: " << (pieces > 1 ? "partition " + std::to_string(idx) + ": " : "")
                  << to_string(verdict->verdict);
        const std::string why = verdict->summary();
        if (!why.empty()) {
            std::cerr << ": " << why;
        }
        for (const auto& [reason, count] : verdict->skipped) {
            std::cerr << (reason == verdict->skipped.begin()->first ? " (skipped: " : ", ")
                      << reason << " " << count;
        }
        std::cerr << (verdict->skipped.empty() ? "" : ")") << '\n';
    }
    for (std::size_t idx = 0; idx < outcomes.size(); ++idx) {
        if (const std::string retries = ferry::cat::retries_text(outcomes[idx].retries, "");
            !retries.empty()) {
            std::cerr << "ferry-cat: "
                      << (pieces > 1 ? "partition " + std::to_string(idx) + ": " : "")
                      << "the adapter repeated requests: " << retries << '\n';
        }
    }
}

RunResult run(Args& args) {
    nlohmann::json mapping_doc;
    if (!args.mapping.empty()) {
        if (ferry::Status status = apply_mapping_source(args, mapping_doc); !status.ok()) {
            return {status, ferry::cat::kFailed};
        }
    }
    if (args.plugin.empty()) {
        return {ferry::Status::invalid_argument(
                    "--plugin is required unless the mapping names its source.plugin "
                    "(try --help)"),
                ferry::cat::kUsage};
    }
    auto failed = [](ferry::Status status) { return RunResult{std::move(status), 1}; };
    ferry::Result<ferry::PluginLibrary> plugin = ferry::PluginLibrary::load(args.plugin);
    if (!plugin.ok()) {
        return failed(plugin.status());
    }
    if (args.describe) {
        std::cout << plugin->name() << ' ' << plugin->version() << " (ABI "
                  << ferry::abi_version_string(plugin->abi_version())
                  << "): " << plugin->description() << '\n'
                  << plugin->options_schema() << '\n';
        return {};
    }
    ferry::Result<nlohmann::json> options = ferry::parse_json(args.options, "--options");
    if (!options.ok()) {
        return {options.status(), ferry::cat::kUsage};
    }
    ferry::Result<ferry::SourceHandle> source = plugin->create_source(*options);
    if (!source.ok()) {
        return failed(source.status());
    }
    ferry::Result<nlohmann::json> catalog = source->discover();
    if (!catalog.ok()) {
        return failed(catalog.status());
    }
    if (args.discover) {
        std::cout << catalog->dump(2) << '\n';
        return {};
    }
    if (args.dataset.empty()) {
        if ((*catalog)["datasets"].empty()) {
            return failed(ferry::Status::not_found("the source offers no datasets"));
        }
        args.dataset = (*catalog)["datasets"][0]["name"].get<std::string>();
    }
    std::optional<ferry::Mapping> mapping;
    if (!args.mapping.empty()) {
        ferry::Result<ferry::Mapping> loaded = load_mapping(args, *catalog);
        if (!loaded.ok()) {
            return failed(loaded.status());
        }
        mapping.emplace(std::move(loaded).value());
    }
    nlohmann::json request = nlohmann::json::object();
    if (!args.request.empty()) {
        ferry::Result<nlohmann::json> parsed = ferry::parse_json(args.request, "--request");
        if (!parsed.ok() || !parsed->is_object()) {
            return {parsed.ok() ? ferry::Status::invalid_argument("--request must be an object")
                                : parsed.status(),
                    ferry::cat::kUsage};
        }
        request = std::move(parsed).value();
    }
    std::vector<ferry::Partition> pieces{{"", nlohmann::json::object(), ""}};
    if (args.partitions > 0) {
        ferry::Result<std::vector<ferry::Partition>> listed =
            source->list_partitions(args.dataset, request);
        if (!listed.ok()) {
            return failed(listed.status());
        }
        pieces = std::move(listed).value();
    }

    ferry::cat::Sink sink;
    sink.progress = ::isatty(STDERR_FILENO) == 1;
    sink.state_path = args.state;
    sink.state_per_batch = args.output.empty();
    if (ferry::Result<nlohmann::json> state = load_state(args); state.ok()) {
        sink.state = std::move(state).value();
    } else {
        return failed(state.status());
    }
    std::optional<ferry::cat::AtomicOutput> output;
    if (!args.output.empty()) {
        ferry::Result<ferry::cat::AtomicOutput> created =
            ferry::cat::AtomicOutput::create(args.output);
        if (!created.ok()) {
            return failed(created.status());
        }
        output.emplace(std::move(created).value());
        sink.records = output->stream();
    }

    // Each piece on its own stream; --partitions N threads take pieces in turn.
    std::vector<ferry::cat::StreamOutcome> outcomes(pieces.size());
    std::vector<ferry::Status> statuses(pieces.size());
    std::atomic<std::size_t> next_piece{0};
    auto work = [&] {
        for (std::size_t idx = next_piece++; idx < pieces.size(); idx = next_piece++) {
            nlohmann::json piece_request = ferry::merge_request(request, pieces[idx].request);
            const nlohmann::json& saved = sink.state["checkpoints"];
            if (saved.contains(pieces[idx].id)) {
                piece_request["resume"] = saved[pieces[idx].id];
            }
            statuses[idx] =
                ferry::cat::copy_stream(*source, args.dataset, pieces[idx].id, piece_request,
                                        mapping, args, sink, outcomes[idx]);
        }
    };
    std::vector<std::thread> workers;
    const auto threads = std::min<std::size_t>(
        static_cast<std::size_t>(std::max(1, args.partitions)), pieces.size());
    for (std::size_t idx = 1; idx < threads; ++idx) {
        workers.emplace_back(work);
    }
    work();
    for (auto& worker : workers) {
        worker.join();
    }
    std::fflush(sink.records);
    print_summary(plugin->name(), args, mapping, pieces.size(), outcomes);

    RunResult result;
    bool rejects = false;
    for (std::size_t idx = 0; idx < pieces.size(); ++idx) {
        const auto& verdict = outcomes[idx].reconciliation;
        const bool unreconciled =
            verdict &&
            (verdict->verdict == ferry::Verdict::Unreconciled ||
             (args.require_reconciled && verdict->verdict == ferry::Verdict::Unverified));
        const std::string where = pieces.size() > 1 ? "partition " + pieces[idx].id + ": " : "";
        if (!statuses[idx].ok() && !unreconciled) {
            return {ferry::Status(statuses[idx].code(), where + statuses[idx].message()),
                    ferry::cat::kFailed};
        }
        if (unreconciled && result.code != ferry::cat::kUnreconciled) {
            result = {statuses[idx].ok()
                          ? ferry::Status::data(where + "unverified: " + verdict->summary() +
                                                " (--require-reconciled)")
                          : ferry::Status(statuses[idx].code(), where + statuses[idx].message()),
                      ferry::cat::kUnreconciled};
        }
        rejects = rejects || outcomes[idx].counts.rejected > 0;
    }
    if (result.code == ferry::cat::kUnreconciled) {
        return result; // the temporary output is removed with `output`
    }
    if (output) {
        if (ferry::Status committed = output->commit(); !committed.ok()) {
            return failed(committed);
        }
    }
    if (!args.state.empty() && !sink.state_per_batch) {
        if (ferry::Status saved = ferry::cat::save_state(sink); !saved.ok()) {
            return failed(saved);
        }
    }
    return {ferry::Status(), rejects ? ferry::cat::kRejects : ferry::cat::kComplete};
}

} // namespace

int main(int argc, char** argv) {
    ferry::Result<Args> args = parse_args(argc, argv);
    if (!args.ok()) {
        std::cerr << "ferry-cat: " << args.status().to_string() << '\n';
        return ferry::cat::kUsage;
    }
    const RunResult result = run(*args);
    if (!result.status.ok()) {
        std::cerr << "ferry-cat: " << result.status.to_string() << '\n';
    }
    return result.code;
}

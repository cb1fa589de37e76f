// SPDX-License-Identifier: Apache-2.0
// ferry-check — checks mapping files before any data moves: statically, and live against the
// source through its adapter. Exit 0 clean, 1 findings, 2 could not run.
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "ferry/json_schema.h"

#include "check.h"

namespace {

constexpr const char* kUsage = R"(usage: ferry-check [options] MAPPING.json...

Checks mapping files against the catalog and the transform library (static), and with --live
against the source itself: discovery, field types, and a sample of records through the mapping
with a data-quality report. Findings read `file:line:col: error[FC011]: message`.

  --catalog DIR        the catalog (folder with catalog/ and codes/); default: the mapping's
                       "catalog" key, $FERRY_CATALOG_DIR, or the installed catalog
  --format FORMAT      text (default), json, or sarif (SARIF 2.1.0 for code-scanning UIs)
  --live               open the source through its adapter and run a sample
  --plugin FILE        the adapter plugin for --live (default: the mapping's source.plugin)
  --options JSON       source options for --live (default: the mapping's source.options)
  --options-file FILE  the same, from a file
  --sample N           records to run through the mapping with --live (default 1000)
  --fail-on LEVEL      which findings fail the run: warning (default: errors and warnings),
                       error (errors only, e.g. a source known to be dirty) or never
  --no-progress        no progress bar on stderr
  --list-transforms    print the transform library and exit
  --list-rules         print the finding codes and exit
  --help               this text

Exit status: 0 no findings that fail the run, 1 findings (errors or warnings, per --fail-on),
2 could not run (whatever --fail-on says).
)";

using ferry::Result;
using ferry::Status;

Result<ferry::check::Options> parse_args(int argc, char** argv) {
    ferry::check::Options options;
    for (int idx = 1; idx < argc; ++idx) {
        const std::string flag = argv[idx];
        auto value = [&]() -> Result<std::string> {
            if (idx + 1 >= argc) {
                return Status::invalid_argument(flag + " needs a value");
            }
            return std::string(argv[++idx]);
        };
        if (flag == "--help" || flag == "-h") {
            std::cout << kUsage;
            std::exit(0);
        } else if (flag == "--list-transforms") {
            const auto registry = ferry::TransformRegistry::with_builtins();
            for (const ferry::TransformDescriptor* descriptor : registry.list()) {
                std::cout << descriptor->name << "\t" << descriptor->summary << '\n';
            }
            std::exit(0);
        } else if (flag == "--list-rules") {
            for (const auto& [code, text] : ferry::check::rule_descriptions()) {
                std::cout << code << "\t" << text << '\n';
            }
            std::exit(0);
        } else if (flag == "--catalog") {
            FERRY_ASSIGN_OR_RETURN(options.catalog_dir, value());
        } else if (flag == "--format") {
            FERRY_ASSIGN_OR_RETURN(options.format, value());
            if (options.format != "text" && options.format != "json" && options.format != "sarif") {
                return Status::invalid_argument("--format is text, json or sarif");
            }
        } else if (flag == "--live") {
            options.live = true;
        } else if (flag == "--plugin") {
            FERRY_ASSIGN_OR_RETURN(options.plugin, value());
        } else if (flag == "--options" || flag == "--options-file") {
            FERRY_ASSIGN_OR_RETURN(std::string text, value());
            if (flag == "--options-file") {
                std::ifstream in(text);
                if (!in) {
                    return Status::not_found("cannot read " + text);
                }
                std::ostringstream all;
                all << in.rdbuf();
                text = all.str();
            }
            FERRY_ASSIGN_OR_RETURN(nlohmann::json parsed, ferry::parse_json(text, flag));
            options.plugin_options = std::move(parsed);
        } else if (flag == "--sample") {
            FERRY_ASSIGN_OR_RETURN(std::string text, value());
            try {
                options.sample = std::stoll(text);
            } catch (const std::exception&) {
                return Status::invalid_argument("--sample needs a number");
            }
        } else if (flag == "--fail-on") {
            FERRY_ASSIGN_OR_RETURN(std::string level, value());
            if (level == "warning") {
                options.fail_on = ferry::check::FailOn::Warning;
            } else if (level == "error") {
                options.fail_on = ferry::check::FailOn::Error;
            } else if (level == "never") {
                options.fail_on = ferry::check::FailOn::Never;
            } else {
                return Status::invalid_argument("--fail-on is warning, error or never");
            }
        } else if (flag == "--no-progress") {
            options.progress = false;
        } else if (!flag.empty() && flag[0] == '-') {
            return Status::invalid_argument("unknown option " + flag + " (see --help)");
        } else {
            options.mappings.push_back(flag);
        }
    }
    if (options.mappings.empty()) {
        return Status::invalid_argument("no mapping file given (see --help)");
    }
    options.progress = options.progress && isatty(STDERR_FILENO) != 0;
    return options;
}

} // namespace

int main(int argc, char** argv) {
    Result<ferry::check::Options> parsed = parse_args(argc, argv);
    if (!parsed.ok()) {
        std::cerr << "ferry-check: " << parsed.status().message() << '\n';
        return 2;
    }
    const ferry::check::Options& options = *parsed;
    std::shared_ptr<const ferry::Catalog> catalog;
    if (!options.catalog_dir.empty()) {
        Result<ferry::Catalog> loaded = ferry::Catalog::load(options.catalog_dir);
        if (!loaded.ok()) {
            std::cerr << "ferry-check: " << loaded.status().to_string() << '\n';
            return 2;
        }
        catalog = std::make_shared<const ferry::Catalog>(std::move(loaded).value());
    }
    std::vector<ferry::check::FileResult> results;
    for (const std::string& file : options.mappings) {
        ferry::check::FileResult result;
        result.file = file;
        if (options.live) {
            ferry::check::run_live(options, catalog, result);
        } else {
            ferry::MappingLoadOptions load;
            load.catalog = catalog;
            load.allow_missing_secrets = true;
            (void)ferry::Mapping::load(file, load, result.diagnostics);
            for (const ferry::Diagnostic& diagnostic : result.diagnostics) {
                // An unreadable file or catalog is not a finding about the mapping.
                if (diagnostic.code == "FC006" ||
                    (diagnostic.code == "FC001" && diagnostic.line == 0)) {
                    result.fatal = diagnostic.message;
                }
            }
        }
        results.push_back(std::move(result));
    }
    if (options.format == "json") {
        ferry::check::print_json(results, std::cout);
    } else if (options.format == "sarif") {
        ferry::check::print_sarif(results, std::cout);
    } else {
        ferry::check::print_text(results, std::cout);
    }
    return ferry::check::exit_status(results, options.fail_on);
}

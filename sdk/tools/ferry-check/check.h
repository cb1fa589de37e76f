// SPDX-License-Identifier: Apache-2.0
// check.h — ferry-check's parts: the live check and the three output formats.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/diagnostic.h"
#include "ferry/mapping.h"

namespace ferry::check {

/// Which findings make the run fail (exit status 1): --fail-on.
enum class FailOn {
    Warning, ///< errors and warnings (the default)
    Error,   ///< errors only: a CI job can check a source known to be dirty (FC110 warnings)
    Never,   ///< nothing: report only; exit 2 still means the check could not run
};

struct Options {
    std::vector<std::string> mappings;
    std::string catalog_dir;
    std::string format = "text"; // text | json | sarif
    bool live = false;
    std::string plugin;
    std::optional<nlohmann::json> plugin_options;
    std::int64_t sample = 1000;
    bool progress = true;
    FailOn fail_on = FailOn::Warning;
};

/// Rejects of one rule on one field during a live sample.
struct RuleStats {
    std::string field;
    std::string rule;
    std::int64_t count = 0;
    std::vector<std::int64_t> first_records; ///< up to 5 source record numbers
    std::string example_reason;              ///< the first reason (never holds values)
};

struct QualityReport {
    std::string dataset;
    std::int64_t read = 0;
    std::int64_t delivered = 0;
    std::int64_t rejected = 0;
    std::vector<RuleStats> rules; ///< most rejects first
};

/// What checking one mapping file produced.
struct FileResult {
    std::string file;
    std::vector<Diagnostic> diagnostics;
    std::optional<QualityReport> quality;
    std::string fatal; ///< set when the check could not run (exit 2)
};

/// Discovers the source through its adapter, compiles the mapping against what was found, runs
/// a sample through it and fills `result` (diagnostics and the quality report).
void run_live(const Options& options,
              const std::shared_ptr<const Catalog>& catalog,
              FileResult& result);

/// The exit status for `results` under `fail_on`: 2 if a check could not run, 1 if a finding
/// fails the run, else 0. Notes never fail it.
int exit_status(const std::vector<FileResult>& results, FailOn fail_on);

void print_text(const std::vector<FileResult>& results, std::ostream& out);
void print_json(const std::vector<FileResult>& results, std::ostream& out);
void print_sarif(const std::vector<FileResult>& results, std::ostream& out);

/// The rule catalogue SARIF and --help list: code → one-line description.
const std::map<std::string, std::string>& rule_descriptions();

} // namespace ferry::check

// SPDX-License-Identifier: Apache-2.0
// report.cpp — ferry-check's output: compiler-style text, JSON, and SARIF 2.1.0.
#include <filesystem>
#include <ostream>
#include <set>

#include "ferry/version.h"

#include "check.h"

namespace ferry::check {

const std::map<std::string, std::string>& rule_descriptions() {
    static const std::map<std::string, std::string> rules = {
        {"FC001", "the file cannot be read or is not valid JSON"},
        {"FC002", "the file does not match schemas/mapping.schema.json"},
        {"FC003", "unknown key (usually a typo)"},
        {"FC004", "a declared source field type is not a Ferry type"},
        {"FC005", "the source declares no fields"},
        {"FC006", "the catalog cannot be loaded"},
        {"FC007", "a constant does not fit the target field's type"},
        {"FC008", "a field needs exactly one of \"from\" and \"value\""},
        {"FC009", "several source fields without a combining first step"},
        {"FC010", "unknown catalog entity"},
        {"FC011", "unknown target field"},
        {"FC012", "a required catalog field is not mapped"},
        {"FC013", "unknown source field"},
        {"FC014", "a key appears twice in the same object"},
        {"FC020", "unknown transform"},
        {"FC021", "bad transform argument"},
        {"FC022", "a transform does not accept its input type"},
        {"FC030", "the chain's type does not flow into the target type"},
        {"FC031", "precision loss into a decimal target"},
        {"FC032", "decimal places dropped without an explicit rounding step"},
        {"FC040", "crosswalk and code table disagree"},
        {"FC041", "a crosswalk maps to a code its code table lacks"},
        {"FC042", "a declared source code has no mapping"},
        {"FC043", "a crosswalk is unreadable or has no map"},
        {"FC050", "a 不予共享 field in a 无条件共享 dataset"},
        {"FC051", "a mapping loosens the catalog's sharing attribute"},
        {"FC052", "a 不予共享 value reaches a shared field without pseudonymisation"},
        {"FC053", "a 有条件共享 field in a 无条件共享 dataset"},
        {"FC054", "a 有条件共享 value reaches a less restricted field"},
        {"FC060", "a sensitive field without masking"},
        {"FC062", "a masking step that does not fit its field"},
        {"FC070", "a secret for a keyed transform is not set"},
        {"FC090", "dataset metadata does not match schemas/dataset-metadata.schema.json"},
        {"FC091", "no dataset metadata"},
        {"FC100", "a declared source field is missing from the live source"},
        {"FC101", "a declared source field has another type in the live source"},
        {"FC102", "the live source cannot be opened or read"},
        {"FC110", "records of the live sample rejected by a rule"},
    };
    return rules;
}

namespace {

void print_quality(const QualityReport& quality, std::ostream& out) {
    out << "data quality of " << quality.dataset << ": " << quality.read << " records read, "
        << quality.delivered << " delivered, " << quality.rejected << " rejected\n";
    if (quality.rules.empty()) {
        return;
    }
    out << "  field                    rule              rejects   share  first records\n";
    for (const RuleStats& rule : quality.rules) {
        char share[32];
        std::snprintf(share, sizeof share, "%6.2f%%",
                      quality.read == 0 ? 0.0
                                        : 100.0 * static_cast<double>(rule.count) /
                                              static_cast<double>(quality.read));
        std::string first;
        for (std::int64_t record : rule.first_records) {
            first += (first.empty() ? "" : ", ") + std::to_string(record);
        }
        char line[256];
        std::snprintf(line, sizeof line, "  %-24s %-16s %8lld %8s  %s\n",
                      rule.field.empty() ? "(record)" : rule.field.c_str(), rule.rule.c_str(),
                      static_cast<long long>(rule.count), share, first.c_str());
        out << line;
    }
}

nlohmann::json quality_json(const QualityReport& quality) {
    nlohmann::json rules = nlohmann::json::array();
    for (const RuleStats& rule : quality.rules) {
        rules.push_back({{"field", rule.field},
                         {"rule", rule.rule},
                         {"rejects", rule.count},
                         {"share", quality.read == 0 ? 0.0
                                                     : static_cast<double>(rule.count) /
                                                           static_cast<double>(quality.read)},
                         {"first_records", rule.first_records},
                         {"reason", rule.example_reason}});
    }
    return {{"dataset", quality.dataset},
            {"read", quality.read},
            {"delivered", quality.delivered},
            {"rejected", quality.rejected},
            {"rules", rules}};
}

} // namespace

int exit_status(const std::vector<FileResult>& results, FailOn fail_on) {
    int status = 0;
    for (const FileResult& result : results) {
        if (!result.fatal.empty()) {
            return 2;
        }
        for (const Diagnostic& diagnostic : result.diagnostics) {
            const bool fails =
                diagnostic.severity == Severity::Error
                    ? fail_on != FailOn::Never
                    : diagnostic.severity == Severity::Warning && fail_on == FailOn::Warning;
            status = fails ? 1 : status;
        }
    }
    return status;
}

void print_text(const std::vector<FileResult>& results, std::ostream& out) {
    std::size_t errors = 0;
    std::size_t warnings = 0;
    for (const FileResult& result : results) {
        if (!result.fatal.empty()) {
            out << result.file << ": fatal: " << result.fatal << '\n';
        }
        for (const Diagnostic& diagnostic : result.diagnostics) {
            out << diagnostic.to_string() << '\n';
            errors += diagnostic.severity == Severity::Error ? 1 : 0;
            warnings += diagnostic.severity == Severity::Warning ? 1 : 0;
        }
        if (result.quality) {
            print_quality(*result.quality, out);
        }
    }
    out << results.size() << " mapping" << (results.size() == 1 ? "" : "s")
        << " checked: " << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings
        << " warning" << (warnings == 1 ? "" : "s") << '\n';
}

void print_json(const std::vector<FileResult>& results, std::ostream& out) {
    nlohmann::json files = nlohmann::json::array();
    for (const FileResult& result : results) {
        nlohmann::json diagnostics = nlohmann::json::array();
        for (const Diagnostic& d : result.diagnostics) {
            diagnostics.push_back({{"severity", severity_name(d.severity)},
                                   {"code", d.code},
                                   {"message", d.message},
                                   {"file", d.file},
                                   {"line", d.line},
                                   {"column", d.column},
                                   {"pointer", d.pointer},
                                   {"hint", d.hint}});
        }
        nlohmann::json entry = {{"file", result.file}, {"diagnostics", diagnostics}};
        if (!result.fatal.empty()) {
            entry["fatal"] = result.fatal;
        }
        if (result.quality) {
            entry["quality"] = quality_json(*result.quality);
        }
        files.push_back(std::move(entry));
    }
    out << nlohmann::json{{"tool", "ferry-check"},
                          {"version", FERRY_VERSION_STRING},
                          {"files", files}}
               .dump(2)
        << '\n';
}

void print_sarif(const std::vector<FileResult>& results, std::ostream& out) {
    std::set<std::string> used;
    nlohmann::json sarif_results = nlohmann::json::array();
    for (const FileResult& result : results) {
        for (const Diagnostic& d : result.diagnostics) {
            used.insert(d.code);
            nlohmann::json region = nlohmann::json::object();
            if (d.line > 0) {
                region = {{"startLine", d.line}, {"startColumn", d.column}};
            }
            nlohmann::json physical = {
                {"artifactLocation",
                 {{"uri", std::filesystem::path(d.file.empty() ? result.file : d.file)
                              .lexically_normal()
                              .generic_string()}}}};
            if (d.line > 0) {
                physical["region"] = region;
            }
            nlohmann::json entry = {
                {"ruleId", d.code},
                {"level", d.severity == Severity::Error     ? "error"
                          : d.severity == Severity::Warning ? "warning"
                                                            : "note"},
                {"message",
                 {{"text", d.hint.empty() ? d.message : d.message + " (" + d.hint + ")"}}},
                {"locations", nlohmann::json::array({{{"physicalLocation", physical}}})}};
            if (!d.pointer.empty()) {
                entry["properties"] = {{"jsonPointer", d.pointer}};
            }
            sarif_results.push_back(std::move(entry));
        }
    }
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& [code, text] : rule_descriptions()) {
        if (used.contains(code)) {
            rules.push_back({{"id", code},
                             {"shortDescription", {{"text", text}}},
                             {"helpUri", "docs/ferry-check.md#fc" + code.substr(2)}});
        }
    }
    const nlohmann::json log = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", nlohmann::json::array({{{"tool",
                                          {{"driver",
                                            {{"name", "ferry-check"},
                                             {"version", FERRY_VERSION_STRING},
                                             {"informationUri", "docs/ferry-check.md"},
                                             {"rules", rules}}}}},
                                         {"results", sarif_results}}})}};
    out << log.dump(2) << '\n';
}

} // namespace ferry::check

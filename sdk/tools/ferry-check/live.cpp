// SPDX-License-Identifier: Apache-2.0
// live.cpp — ferry-check --live: discover the source, compile against it, sample it.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ferry/json_schema.h"
#include "ferry/mapped_reader.h"
#include "ferry/plugin_library.h"

#include "check.h"

namespace ferry::check {

namespace {

Result<nlohmann::json> read_document(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return Status::not_found("cannot read " + file);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_json(text.str(), file);
}

Result<Schema> schema_of(const nlohmann::json& dataset) {
    std::vector<Field> fields;
    for (const auto& field : dataset["fields"]) {
        FERRY_ASSIGN_OR_RETURN(DataType type, DataType::parse(field["type"].get<std::string>()));
        fields.push_back({field["name"].get<std::string>(), type, field.value("nullable", true)});
    }
    return Schema(std::move(fields));
}

void progress(std::int64_t done, std::int64_t total) {
    constexpr int kWidth = 30;
    const double share =
        total > 0 ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total)) : 1.0;
    const int filled = static_cast<int>(share * kWidth);
    std::cerr << "\rferry-check: sampling [" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] " << done << "/"
              << total << " records" << std::flush;
}

Diagnostic finding(const std::string& file,
                   Severity severity,
                   std::string code,
                   std::string message,
                   std::pair<std::int32_t, std::int32_t> at = {0, 0},
                   std::string pointer = {}) {
    return Diagnostic{severity, std::move(code), std::move(message), file,
                      at.first, at.second,       std::move(pointer), {}};
}

} // namespace

void run_live(const Options& options,
              const std::shared_ptr<const Catalog>& catalog,
              FileResult& result) {
    const std::string& file = result.file;
    Result<nlohmann::json> doc = read_document(file);
    if (!doc.ok() || !doc->is_object() || !doc->contains("source") ||
        !(*doc)["source"].contains("dataset")) {
        // Not even the source is readable: the static check explains why.
        MappingLoadOptions load;
        load.catalog = catalog;
        load.allow_missing_secrets = true;
        (void)Mapping::load(file, load, result.diagnostics);
        if (!doc.ok()) {
            result.fatal = doc.status().message();
        }
        return;
    }
    const nlohmann::json& source = (*doc)["source"];
    std::string plugin = options.plugin;
    if (plugin.empty() && source.contains("plugin")) {
        plugin = (std::filesystem::path(file).parent_path() / source["plugin"].get<std::string>())
                     .string();
    }
    if (plugin.empty()) {
        result.fatal = "--live needs the adapter: pass --plugin FILE or set source.plugin";
        return;
    }
    const nlohmann::json plugin_options = options.plugin_options
                                              ? *options.plugin_options
                                              : source.value("options", nlohmann::json::object());
    Result<PluginLibrary> library = PluginLibrary::load(plugin);
    if (!library.ok()) {
        result.fatal = library.status().to_string();
        return;
    }
    Result<SourceHandle> handle = library->create_source(plugin_options);
    if (!handle.ok()) {
        result.fatal = "cannot open the source: " + handle.status().to_string();
        return;
    }
    Result<nlohmann::json> discovery = handle->discover();
    if (!discovery.ok()) {
        result.fatal = "discovery failed: " + discovery.status().to_string();
        return;
    }
    const std::string dataset = source["dataset"].get<std::string>();
    const nlohmann::json* found = nullptr;
    std::vector<std::string> names;
    for (const auto& candidate : (*discovery)["datasets"]) {
        names.push_back(candidate["name"].get<std::string>());
        if (candidate["name"] == dataset) {
            found = &candidate;
        }
    }
    if (found == nullptr) {
        Diagnostic missing = finding(file, Severity::Error, "FC102",
                                     "the source has no dataset \"" + dataset + "\"");
        missing.pointer = "/source/dataset";
        missing.hint = closest_name(dataset, names).empty()
                           ? std::string()
                           : "did you mean \"" + closest_name(dataset, names) + "\"?";
        result.diagnostics.push_back(std::move(missing));
        return;
    }
    Result<Schema> discovered = schema_of(*found);
    if (!discovered.ok()) {
        result.fatal = "discovery: " + discovered.status().to_string();
        return;
    }
    MappingLoadOptions load;
    load.catalog = catalog;
    load.discovered_source = *discovered;
    load.allow_missing_secrets = true;
    Result<Mapping> mapping = Mapping::load(file, load, result.diagnostics);
    if (!mapping.ok()) {
        return;
    }
    Result<BatchReader> reader = handle->open_stream(dataset, {{"limit", options.sample}});
    if (!reader.ok()) {
        result.diagnostics.push_back(
            finding(file, Severity::Error, "FC102",
                    "cannot open the stream: " + reader.status().to_string(),
                    mapping->position("/source/dataset"), "/source/dataset"));
        return;
    }
    QualityReport quality;
    quality.dataset = dataset;
    std::map<std::pair<std::string, std::string>, RuleStats> rules;
    MappedReader mapped(batch_source(std::move(*reader)), *mapping, 1);
    while (true) {
        Result<std::optional<Batch>> batch = mapped.next();
        if (!batch.ok()) {
            const bool policy = batch.status().code() == StatusCode::Data;
            result.diagnostics.push_back(
                finding(file, Severity::Error, policy ? "FC110" : "FC102",
                        (policy ? "sample stopped: " : "reading the source failed: ") +
                            batch.status().to_string(),
                        mapping->position(policy ? "/rejects" : "/source"),
                        policy ? "/rejects" : "/source"));
            break;
        }
        if (!*batch) {
            break;
        }
        for (const FerryReject& reject : (*batch)->rejects()) {
            const std::string field = reject.field == nullptr ? "" : reject.field;
            const std::string rule = reject.rule == nullptr ? "" : reject.rule;
            RuleStats& stats = rules[{field, rule}];
            stats.field = field;
            stats.rule = rule;
            if (stats.count == 0 && reject.reason != nullptr) {
                stats.example_reason = reject.reason;
            }
            if (stats.first_records.size() < 5) {
                stats.first_records.push_back(reject.record_no);
            }
            ++stats.count;
        }
        if (options.progress) {
            progress(mapped.records_read(), options.sample);
        }
    }
    if (options.progress) {
        std::cerr << '\n';
    }
    quality.read = mapped.records_read();
    quality.delivered = mapped.records_delivered();
    quality.rejected = mapped.records_rejected();
    for (auto& [key, stats] : rules) {
        quality.rules.push_back(std::move(stats));
    }
    std::sort(quality.rules.begin(), quality.rules.end(),
              [](const RuleStats& a, const RuleStats& b) { return a.count > b.count; });
    for (const RuleStats& stats : quality.rules) {
        std::string first;
        for (std::int64_t record : stats.first_records) {
            first += (first.empty() ? "" : ", ") + std::to_string(record);
        }
        const std::string pointer =
            stats.field.empty() ? std::string("/source") : "/fields/" + stats.field;
        result.diagnostics.push_back(finding(
            file, Severity::Warning, "FC110",
            std::to_string(stats.count) + " of " + std::to_string(quality.read) +
                " sampled records rejected" +
                (stats.field.empty() ? std::string(" by the source") : " on " + stats.field) +
                " by rule " + stats.rule + ": " + stats.example_reason +
                " (first records: " + first + ")",
            mapping->position(pointer), pointer));
    }
    result.quality = std::move(quality);
}

} // namespace ferry::check

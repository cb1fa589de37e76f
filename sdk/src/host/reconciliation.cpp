// SPDX-License-Identifier: Apache-2.0
// reconciliation.cpp — parsing a stream's report and the verdict at its end.
#include "ferry/reconciliation.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "ferry/decimal.h"

namespace ferry {

namespace {

Status bad_report(const std::string& what) {
    return Status::invalid_argument("stream report: " + what +
                                    " (schemas/stream-report.schema.json)");
}

Result<std::int64_t> count_member(const nlohmann::json& object, const char* name) {
    const nlohmann::json& value = object.at(name);
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
        return bad_report(std::string("\"") + name + "\" must be a count (an integer >= 0)");
    }
    return value.get<std::int64_t>();
}

Result<std::optional<std::int64_t>> optional_count(const nlohmann::json& object, const char* name) {
    if (!object.is_object() || !object.contains(name)) {
        return std::optional<std::int64_t>();
    }
    FERRY_ASSIGN_OR_RETURN(std::int64_t count, count_member(object, name));
    return std::optional<std::int64_t>(count);
}

Result<std::map<std::string, std::int64_t>> count_map(const nlohmann::json& object,
                                                      const std::string& where) {
    std::map<std::string, std::int64_t> counts;
    if (object.is_null()) {
        return counts;
    }
    if (!object.is_object()) {
        return bad_report("\"" + where + "\" must be an object of counts");
    }
    for (const auto& [name, value] : object.items()) {
        if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
            return bad_report("\"" + where + "." + name + "\" must be a count");
        }
        counts[name] = value.get<std::int64_t>();
    }
    return counts;
}

Result<StreamReport::Declared> parse_declared(const nlohmann::json& item) {
    if (!item.is_object() || !item.contains("figure") || !item.contains("value") ||
        !item["figure"].is_string() || !item["value"].is_string()) {
        return bad_report("each \"declared\" item needs \"figure\" and \"value\" as strings");
    }
    StreamReport::Declared declared;
    declared.figure = item["figure"].get<std::string>();
    declared.value = item["value"].get<std::string>();
    declared.by = item.value("by", std::string("the source"));
    declared.includes_skipped = item.value("includes_skipped", false);
    if (declared.figure == "records" || declared.figure == "bytes") {
        const bool digits =
            !declared.value.empty() && std::all_of(declared.value.begin(), declared.value.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || declared.value.size() > 18) {
            return bad_report("declared " + declared.figure + " \"" + declared.value +
                              "\" is not a count");
        }
        if (declared.figure == "records") {
            declared.subject = item.value("segment", std::string());
        }
    } else if (declared.figure == "sum") {
        if (!item.contains("column") || !item["column"].is_string()) {
            return bad_report("a declared sum needs its \"column\"");
        }
        declared.subject = item["column"].get<std::string>();
        if (!Decimal::parse(declared.value).ok()) {
            return bad_report("declared sum \"" + declared.value + "\" is not a decimal");
        }
    } else {
        return bad_report("unknown figure \"" + declared.figure + "\" (records, sum or bytes)");
    }
    return declared;
}

std::string records_word(std::int64_t count) {
    return std::to_string(count) + (count == 1 ? " record" : " records");
}

FigureCheck check_figure(const StreamReport::Declared& declared,
                         const StreamReport& report,
                         const StreamCounts& counts) {
    FigureCheck check;
    check.declared = declared;
    std::string said;
    if (declared.figure == "records") {
        std::int64_t observed = 0;
        std::string read_what;
        if (declared.subject.empty()) {
            observed = counts.delivered + counts.rejected + report.resumed_after;
            if (declared.includes_skipped) {
                observed += counts.skipped;
            }
            read_what = report.resumed_after > 0 ? " (" + records_word(report.resumed_after) +
                                                       " before the resume point)"
                                                 : std::string();
            said = declared.by + " counts " + records_word(std::stoll(declared.value));
        } else {
            const auto found = report.segments.find(declared.subject);
            observed = found == report.segments.end() ? 0 : found->second;
            said = declared.by + " counts " + records_word(std::stoll(declared.value)) +
                   " of segment " + declared.subject;
        }
        check.observed = std::to_string(observed);
        check.matches = check.observed == declared.value;
        check.sentence = said + (check.matches ? " and " : ", ") + check.observed +
                         (observed == 1 ? " was read" : " were read") + read_what;
    } else if (declared.figure == "sum") {
        const auto found = report.sums.find(declared.subject);
        check.observed = found == report.sums.end() ? "0" : found->second;
        const Result<Decimal> expected = Decimal::parse(declared.value);
        const Result<Decimal> actual = Decimal::parse(check.observed);
        check.matches = expected.ok() && actual.ok() && *expected == *actual;
        check.sentence = declared.by + " totals " + declared.subject + " at " + declared.value +
                         (check.matches ? " and " : ", ") + "the records read total " +
                         check.observed;
    } else {
        if (report.bytes_done) {
            check.observed = std::to_string(*report.bytes_done);
            check.matches = check.observed == declared.value;
        }
        check.sentence = declared.by + " says " + declared.value + " bytes" +
                         (check.matches ? " and " : ", ") +
                         (report.bytes_done ? check.observed + " were read"
                                            : "the stream did not say how many it read");
    }
    return check;
}

} // namespace

Result<StreamReport> StreamReport::parse(const nlohmann::json& json) {
    if (!json.is_object()) {
        return bad_report("not a JSON object");
    }
    StreamReport report;
    try {
        if (json.contains("declared")) {
            if (!json["declared"].is_array()) {
                return bad_report("\"declared\" must be an array");
            }
            for (const nlohmann::json& item : json["declared"]) {
                FERRY_ASSIGN_OR_RETURN(Declared declared, parse_declared(item));
                report.declared.push_back(std::move(declared));
            }
        }
        const nlohmann::json observed = json.value("observed", nlohmann::json::object());
        FERRY_ASSIGN_OR_RETURN(report.bytes_done, optional_count(observed, "bytes"));
        FERRY_ASSIGN_OR_RETURN(
            report.segments,
            count_map(observed.value("segments", nlohmann::json()), "observed.segments"));
        const nlohmann::json sums = observed.value("sums", nlohmann::json::object());
        if (!sums.is_object()) {
            return bad_report("\"observed.sums\" must be an object");
        }
        for (const auto& [column, total] : sums.items()) {
            if (!total.is_string() || !Decimal::parse(total.get<std::string>()).ok()) {
                return bad_report("\"observed.sums." + column + "\" must be a decimal string");
            }
            report.sums[column] = total.get<std::string>();
        }
        FERRY_ASSIGN_OR_RETURN(report.skipped,
                               count_map(json.value("skipped", nlohmann::json()), "skipped"));
        FERRY_ASSIGN_OR_RETURN(report.retries,
                               count_map(json.value("retries", nlohmann::json()), "retries"));
        const nlohmann::json progress = json.value("progress", nlohmann::json::object());
        FERRY_ASSIGN_OR_RETURN(report.records_total, optional_count(progress, "records_total"));
        FERRY_ASSIGN_OR_RETURN(report.bytes_total, optional_count(progress, "bytes_total"));
        FERRY_ASSIGN_OR_RETURN(std::optional<std::int64_t> resumed,
                               optional_count(json, "resumed_after"));
        report.resumed_after = resumed.value_or(0);
        report.stopped_early = json.value("stopped_early", std::string());
    } catch (const nlohmann::json::exception& wrong) {
        return bad_report(std::string("malformed: ") + wrong.what());
    }
    return report;
}

nlohmann::json StreamReport::to_json() const {
    nlohmann::json declared_json = nlohmann::json::array();
    for (const Declared& figure : declared) {
        nlohmann::json item = {
            {"figure", figure.figure}, {"value", figure.value}, {"by", figure.by}};
        if (!figure.subject.empty()) {
            item[figure.figure == "sum" ? "column" : "segment"] = figure.subject;
        }
        if (figure.includes_skipped) {
            item["includes_skipped"] = true;
        }
        declared_json.push_back(std::move(item));
    }
    nlohmann::json observed = nlohmann::json::object();
    if (bytes_done) {
        observed["bytes"] = *bytes_done;
    }
    if (!segments.empty()) {
        observed["segments"] = segments;
    }
    if (!sums.empty()) {
        observed["sums"] = sums;
    }
    nlohmann::json progress = nlohmann::json::object();
    if (records_total) {
        progress["records_total"] = *records_total;
    }
    if (bytes_total) {
        progress["bytes_total"] = *bytes_total;
    }
    nlohmann::json json = {{"declared", std::move(declared_json)},
                           {"observed", std::move(observed)},
                           {"skipped", skipped},
                           {"progress", std::move(progress)}};
    if (!retries.empty()) {
        json["retries"] = retries;
    }
    if (resumed_after > 0) {
        json["resumed_after"] = resumed_after;
    }
    if (!stopped_early.empty()) {
        json["stopped_early"] = stopped_early;
    }
    return json;
}

std::string_view to_string(Verdict verdict) noexcept {
    switch (verdict) {
    case Verdict::Reconciled:
        return "reconciled";
    case Verdict::Unreconciled:
        return "unreconciled";
    case Verdict::Unverified:
        break;
    }
    return "unverified";
}

Reconciliation reconcile(const StreamReport& report, const StreamCounts& counts) {
    Reconciliation result;
    result.counts = counts;
    result.skipped = report.skipped;
    const std::int64_t skipped_by_reason =
        std::accumulate(report.skipped.begin(), report.skipped.end(), std::int64_t{0},
                        [](std::int64_t sum, const auto& entry) { return sum + entry.second; });
    if (skipped_by_reason != counts.skipped) {
        FigureCheck check;
        check.declared = {
            "skipped", {}, std::to_string(skipped_by_reason), "the stream's report", false};
        check.observed = std::to_string(counts.skipped);
        check.sentence = "the stream's report gives reasons for " +
                         records_word(skipped_by_reason) + " skipped, its batches skipped " +
                         std::to_string(counts.skipped);
        result.checks.push_back(std::move(check));
        result.verdict = Verdict::Unreconciled;
        return result;
    }
    if (!report.stopped_early.empty()) {
        result.note = "not checked: " + report.stopped_early;
        return result;
    }
    if (report.declared.empty()) {
        result.note = "the source declares no figures to check";
        return result;
    }
    bool all_match = true;
    for (const StreamReport::Declared& declared : report.declared) {
        FigureCheck check = check_figure(declared, report, counts);
        all_match = all_match && check.matches;
        result.checks.push_back(std::move(check));
    }
    result.verdict = all_match ? Verdict::Reconciled : Verdict::Unreconciled;
    return result;
}

std::string Reconciliation::summary() const {
    std::string text;
    for (const FigureCheck& check : checks) {
        if (verdict == Verdict::Unreconciled && check.matches) {
            continue;
        }
        text += (text.empty() ? "" : "; ") + check.sentence;
    }
    if (text.empty()) {
        text = note;
    }
    return text;
}

nlohmann::json Reconciliation::to_json() const {
    nlohmann::json figures = nlohmann::json::array();
    for (const FigureCheck& check : checks) {
        nlohmann::json item = {
            {"figure", check.declared.figure}, {"declared", check.declared.value},
            {"observed", check.observed},      {"by", check.declared.by},
            {"matches", check.matches},        {"sentence", check.sentence}};
        if (!check.declared.subject.empty()) {
            item[check.declared.figure == "sum" ? "column" : "segment"] = check.declared.subject;
        }
        figures.push_back(std::move(item));
    }
    nlohmann::json json = {{"verdict", to_string(verdict)}, {"read", counts.read},
                           {"delivered", counts.delivered}, {"rejected", counts.rejected},
                           {"skipped", counts.skipped},     {"skipped_by_reason", skipped},
                           {"figures", std::move(figures)}};
    if (!note.empty()) {
        json["note"] = note;
    }
    return json;
}

std::optional<double> Progress::fraction() const noexcept {
    if (bytes_done && bytes_total && *bytes_total > 0) {
        return std::min(1.0, static_cast<double>(*bytes_done) / static_cast<double>(*bytes_total));
    }
    if (records_total && *records_total > 0) {
        return std::min(1.0,
                        static_cast<double>(records_done) / static_cast<double>(*records_total));
    }
    return std::nullopt;
}

} // namespace ferry

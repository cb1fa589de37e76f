// SPDX-License-Identifier: Apache-2.0
// export_mode.cpp — NDJSON files plus a manifest, hashed while they are written.
//
// A reader must never take a partial, unreconciled or unaudited export for a complete one, nor
// see a folder whose files belong to two exports. So nothing is written where the export will
// be: files go to a hidden staging folder beside it, the manifest last, and one rename (an
// exchange when an earlier export is there) makes the whole folder appear at once. The export
// is audited once, just before that rename: a failed one leaves a failure line and no folder.
#include "export_mode.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <openssl/evp.h>
#include <unistd.h>

#include "crypto.h"
#include "record_stream.h"

namespace ferry::bridge {

namespace {

namespace fs = std::filesystem;

class FileSink : public ChunkSink {
public:
    explicit FileSink(const fs::path& path)
        : out_(path, std::ios::binary | std::ios::trunc)
        , digest_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
        EVP_DigestInit_ex(digest_.get(), EVP_sha256(), nullptr);
    }

    bool ok() const { return static_cast<bool>(out_); }

    bool write(std::string_view chunk) override {
        out_.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        EVP_DigestUpdate(digest_.get(), chunk.data(), chunk.size());
        bytes_ += static_cast<std::int64_t>(chunk.size());
        return static_cast<bool>(out_);
    }

    /// Closes the file (ok() then says whether everything reached it); returns the SHA-256.
    std::string finish() {
        out_.close();
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        EVP_DigestFinal_ex(digest_.get(), digest, &size);
        return hex_encode(std::string_view(reinterpret_cast<const char*>(digest), size));
    }

    std::int64_t bytes() const noexcept { return bytes_; }

private:
    std::ofstream out_;
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> digest_;
    std::int64_t bytes_ = 0;
};

struct Selected {
    std::shared_ptr<const Dataset> dataset;
    std::shared_ptr<const FieldPolicy> policy;
};

// The folder files are written to until the export is whole; removed with the object unless
// it was moved into place.
class Staging {
public:
    explicit Staging(const fs::path& target)
        : path_(target.parent_path() /
                ("." + target.filename().string() + ".staging-" + std::to_string(::getpid()))) {}

    ~Staging() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }

    Staging(const Staging&) = delete;
    Staging& operator=(const Staging&) = delete;

    Status create() {
        std::error_code error;
        fs::remove_all(path_, error); // left by a killed export of this process id
        fs::create_directories(path_, error);
        if (error) {
            return Status::io("cannot create " + path_.string() + ": " + error.message());
        }
        return {};
    }

    const fs::path& path() const noexcept { return path_; }

private:
    fs::path path_;
};

// An existing `target` is replaced only when it is an earlier export (or empty): an export
// must not delete what someone else keeps there.
Status check_target(const fs::path& target) {
    std::error_code error;
    const fs::file_status status = fs::symlink_status(target, error);
    if (!fs::exists(status)) {
        return {};
    }
    if (!fs::is_directory(status)) {
        return Status::invalid_argument(target.string() +
                                        " exists and is not a folder; nothing was exported");
    }
    if (fs::is_empty(target, error) || fs::exists(target / "manifest.json", error)) {
        return {};
    }
    return Status::invalid_argument(target.string() +
                                    " holds files and no manifest.json (it is not an earlier "
                                    "export); nothing was exported");
}

// The staged folder becomes `target` in one step; an earlier export there is swapped out and
// removed after.
Status move_into_place(const fs::path& staged, const fs::path& target) {
    std::error_code error;
    const bool replace = fs::exists(target, error) && !fs::is_empty(target, error);
    if (!replace) {
        if (::rename(staged.c_str(), target.c_str()) != 0) {
            return Status::io("cannot rename " + staged.string() + " to " + target.string() + ": " +
                              std::strerror(errno));
        }
        return {};
    }
    if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
        return Status::io("cannot put " + staged.string() + " in place of " + target.string() +
                          ": " + std::strerror(errno));
    }
    fs::remove_all(staged, error); // the earlier export, now under the staging name
    return {};
}

Status write_manifest(const fs::path& dir, const nlohmann::json& manifest, std::string* sha256) {
    const fs::path path = dir / "manifest.json";
    const std::string text = manifest.dump(2) + '\n';
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        return Status::io("cannot write " + path.string());
    }
    *sha256 = sha256_hex(text);
    return {};
}

// One dataset into the staging folder: its manifest entry, and why it failed when it did.
struct DatasetExport {
    nlohmann::json entry;
    Status status;
    std::optional<Verdict> verdict;
    std::int64_t delivered = 0;
    std::int64_t rejected = 0;
    std::int64_t skipped = 0;
};

DatasetExport
export_dataset(BridgeContext& context, const Selected& selected, const fs::path& dir) {
    const Dataset& dataset = *selected.dataset;
    const FieldPolicy& policy = *selected.policy;
    const std::string file_name = dataset.id + ".ndjson";
    const fs::path path = dir / file_name;

    DatasetExport result;
    FileSink sink(path);
    PullOutcome outcome;
    if (sink.ok()) {
        PullOptions options;
        options.start.dataset = dataset.id;
        options.cursor_lines = false;
        outcome = pull_records(context, dataset, policy, options, sink);
    } else {
        outcome.status = Status::io("cannot write " + path.string());
    }
    const std::string sha256 = sink.finish();
    result.status = std::move(outcome.status);
    if (outcome.receiver_gone || (result.status.ok() && !sink.ok())) {
        result.status = Status::io("cannot write " + path.string());
    } else if (result.status.ok() && !outcome.complete) {
        result.status = Status::internal("the export stopped before the source's end");
    }
    const bool complete = result.status.ok();
    const std::optional<Reconciliation>& verdict = outcome.reconciliation;
    if (verdict) {
        result.verdict = verdict->verdict;
    }

    nlohmann::json& entry = result.entry;
    entry = {{"dataset", dataset.id},
             {"entity", dataset.mapping.entity().name},
             {"status", complete ? "complete" : "failed"},
             {"file", complete ? nlohmann::json(file_name) : nlohmann::json()},
             {"read", outcome.delivered + outcome.rejected + outcome.skipped},
             {"delivered", outcome.delivered},
             {"rejected", outcome.rejected},
             {"skipped", outcome.skipped},
             {"skipped_by_reason",
              verdict ? nlohmann::json(verdict->skipped) : nlohmann::json::object()},
             {"verdict", verdict ? nlohmann::json(to_string(verdict->verdict)) : nlohmann::json()},
             {"reconciliation", verdict ? verdict->to_json() : nlohmann::json()}};
    if (complete) {
        entry["bytes"] = sink.bytes();
        entry["sha256"] = sha256;
        entry["fields"] = policy.delivered_fields();
        entry["purpose"] = policy.purpose();
        entry["cursor"] = context.cursors().encode(outcome.next);
        result.delivered = outcome.delivered;
        result.rejected = outcome.rejected;
        result.skipped = outcome.skipped;
    } else {
        entry["error"] = {{"code", status_code_name(result.status.code())},
                          {"message", result.status.message()}};
    }
    return result;
}

// The one audit line of an export: what left, per dataset, or why nothing did.
nlohmann::json audit_event(const Consumer& consumer,
                           const fs::path& target,
                           const nlohmann::json& manifest,
                           const std::vector<Selected>& selected) {
    const bool complete = manifest["status"] == "complete";
    nlohmann::json event{
        {"consumer", consumer.id},
        {"route", "export"},
        {"method", "EXPORT"},
        {"target", target.string()},
        {"records", complete ? manifest["totals"]["delivered"] : nlohmann::json(0)},
        {"status", complete ? 200 : 500},
        {"datasets", nlohmann::json::array()}};
    if (complete) {
        event["result"] = "ok";
        for (const nlohmann::json& entry : manifest["datasets"]) {
            event["datasets"].push_back({{"dataset", entry["dataset"]},
                                         {"fields", entry["fields"]},
                                         {"purpose", entry["purpose"]},
                                         {"records", entry["delivered"]},
                                         {"verdict", entry["verdict"]},
                                         {"sha256", entry["sha256"]}});
        }
    } else {
        const nlohmann::json& failed = manifest["datasets"].back();
        event["result"] = failed["verdict"] == "unreconciled" ? "unreconciled" : "error";
        event["dataset"] = failed["dataset"];
        if (!failed["verdict"].is_null()) {
            event["verdict"] = failed["verdict"];
        }
        event["detail"] = manifest["error"]["message"];
        for (const Selected& one : selected) {
            event["datasets"].push_back({{"dataset", one.dataset->id}, {"records", 0}});
        }
    }
    if (manifest.contains("left_out")) {
        event["left_out"] = nlohmann::json::array();
        for (const nlohmann::json& out : manifest["left_out"]) {
            event["left_out"].push_back(out["dataset"]);
        }
    }
    return event;
}

} // namespace

Result<ExportResult> run_export(BridgeContext& context,
                                const fs::path& out_dir,
                                const std::string& consumer_id,
                                const std::vector<std::string>& datasets) {
    const auto consumers = context.consumers();
    const Consumer* consumer = consumers->find(consumer_id);
    if (consumer == nullptr) {
        return Status::not_found("no consumer \"" + consumer_id + "\" in " +
                                 context.config().consumers_file.string());
    }
    // Every grant is checked before any data moves. Named datasets must all be granted; without
    // names, the ungranted ones are left out and listed.
    std::vector<Selected> selected;
    nlohmann::json left_out = nlohmann::json::array();
    if (datasets.empty()) {
        for (auto& dataset : context.datasets().all()) {
            Result<std::shared_ptr<const FieldPolicy>> policy = context.policy(*consumer, *dataset);
            if (policy.ok()) {
                selected.push_back({std::move(dataset), std::move(*policy)});
            } else if (policy.status().code() == StatusCode::Unauthorized) {
                left_out.push_back(
                    {{"dataset", dataset->id}, {"reason", policy.status().message()}});
            } else {
                return policy.status();
            }
        }
        if (selected.empty()) {
            return Status::unauthorized("consumer \"" + consumer->id +
                                        "\" is granted none of the datasets; nothing was exported");
        }
    } else {
        for (const std::string& id : datasets) {
            auto dataset = context.datasets().find(id);
            if (!dataset) {
                return Status::not_found("no dataset \"" + id + "\"");
            }
            FERRY_ASSIGN_OR_RETURN(auto policy, context.policy(*consumer, *dataset));
            selected.push_back({std::move(dataset), std::move(policy)});
        }
    }
    fs::path target = fs::absolute(out_dir).lexically_normal();
    if (target.filename().empty()) {
        target = target.parent_path(); // "out/" names the folder "out"
    }
    if (target.filename().empty() || target == target.root_path()) {
        return Status::invalid_argument("cannot export to " + out_dir.string());
    }
    FERRY_RETURN_IF_ERROR(check_target(target));
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    Staging staging(target);
    FERRY_RETURN_IF_ERROR(staging.create());

    ExportResult result;
    nlohmann::json& manifest = result.manifest;
    manifest = {{"generated_at", utc_now_iso()},
                {"consumer", consumer->id},
                {"format", "application/x-ndjson"},
                {"status", "complete"},
                {"datasets", nlohmann::json::array()}};
    if (datasets.empty()) {
        manifest["left_out"] = left_out;
    }
    std::int64_t total_delivered = 0;
    std::int64_t total_rejected = 0;
    std::int64_t total_skipped = 0;
    for (std::size_t idx = 0; idx < selected.size(); ++idx) {
        DatasetExport done = export_dataset(context, selected[idx], staging.path());
        manifest["datasets"].push_back(std::move(done.entry));
        total_delivered += done.delivered;
        total_rejected += done.rejected;
        total_skipped += done.skipped;
        if (!done.status.ok()) {
            const std::string& id = selected[idx].dataset->id;
            manifest["status"] = "failed";
            manifest["error"] = {{"dataset", id},
                                 {"code", status_code_name(done.status.code())},
                                 {"message", done.status.message()}};
            manifest["not_exported"] = nlohmann::json::array();
            for (std::size_t rest = idx + 1; rest < selected.size(); ++rest) {
                manifest["not_exported"].push_back(selected[rest].dataset->id);
            }
            result.status = std::move(done.status).with_context("exporting \"" + id + "\"");
            break;
        }
    }
    // A failed export writes no file: its totals count nothing.
    const bool complete = result.status.ok();
    manifest["totals"] = {{"read", complete ? total_delivered + total_rejected + total_skipped : 0},
                          {"delivered", complete ? total_delivered : 0},
                          {"rejected", complete ? total_rejected : 0},
                          {"skipped", complete ? total_skipped : 0}};
    if (!complete) {
        // Nothing was written where a reader looks; the staging folder goes with `staging`.
        Status audited = context.audit().append(audit_event(*consumer, target, manifest, selected));
        if (!audited.ok()) {
            result.status =
                std::move(result.status)
                    .with_context("(and the failure could not be audited: " + audited.message() +
                                  ")");
        }
        return result;
    }
    std::string manifest_sha256;
    FERRY_RETURN_IF_ERROR(write_manifest(staging.path(), manifest, &manifest_sha256));
    nlohmann::json event = audit_event(*consumer, target, manifest, selected);
    event["manifest_sha256"] = manifest_sha256;
    // Unaudited data must not leave: without its audit line the export does not appear.
    FERRY_RETURN_IF_ERROR(context.audit().append(std::move(event)));
    if (Status moved = move_into_place(staging.path(), target); !moved.ok()) {
        nlohmann::json failed{{"consumer", consumer->id},
                              {"route", "export"},
                              {"method", "EXPORT"},
                              {"target", target.string()},
                              {"records", 0},
                              {"status", 500},
                              {"result", "error"},
                              {"detail", moved.message()}};
        (void)context.audit().append(std::move(failed)); // the move's error is what matters
        manifest["status"] = "failed";
        manifest["error"] = {{"dataset", nullptr},
                             {"code", status_code_name(moved.code())},
                             {"message", moved.message()}};
        result.status = std::move(moved);
    }
    return result;
}

} // namespace ferry::bridge

// SPDX-License-Identifier: Apache-2.0
// export_mode.cpp — NDJSON files plus a manifest, hashed while they are written.
//
// A reader of the output folder must never take a partial or unreconciled dataset for a
// complete one: each file is written as "<name>.partial" and renamed only when its dataset
// ended reconciled or unverified, a failed dataset leaves no file, and the manifest (also
// renamed into place) appears last. A manifest or file left by an earlier export is removed
// before it could be mistaken for this one's.
#include "export_mode.h"

#include <fstream>
#include <memory>
#include <openssl/evp.h>

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

fs::path partial_path(const fs::path& path) {
    return fs::path(path.string() + ".partial");
}

Status move_into_place(const fs::path& from, const fs::path& to) {
    std::error_code error;
    fs::rename(from, to, error);
    if (error) {
        return Status::io("cannot rename " + from.string() + " to " + to.string() + ": " +
                          error.message());
    }
    return {};
}

Status write_manifest(const fs::path& out_dir, const nlohmann::json& manifest) {
    const fs::path path = out_dir / "manifest.json";
    {
        std::ofstream out(partial_path(path), std::ios::trunc);
        out << manifest.dump(2) << '\n';
        out.close();
        if (!out) {
            return Status::io("cannot write " + partial_path(path).string());
        }
    }
    return move_into_place(partial_path(path), path);
}

// One dataset into out_dir: its manifest entry, and why it failed when it did.
struct DatasetExport {
    nlohmann::json entry;
    Status status;
    std::int64_t delivered = 0;
    std::int64_t rejected = 0;
    std::int64_t skipped = 0;
};

DatasetExport export_dataset(BridgeContext& context,
                             const Consumer& consumer,
                             const Selected& selected,
                             const fs::path& out_dir) {
    const Dataset& dataset = *selected.dataset;
    const FieldPolicy& policy = *selected.policy;
    const std::string file_name = dataset.id + ".ndjson";
    const fs::path path = out_dir / file_name;
    std::error_code ignored;
    fs::remove(path, ignored); // an earlier export's file must not pass for this one's

    DatasetExport result;
    FileSink sink(partial_path(path));
    PullOutcome outcome;
    if (sink.ok()) {
        PullOptions options;
        options.start.dataset = dataset.id;
        options.cursor_lines = false;
        outcome = pull_records(context, dataset, policy, options, sink);
    } else {
        outcome.status = Status::io("cannot write " + partial_path(path).string());
    }
    const std::string sha256 = sink.finish();
    result.status = std::move(outcome.status);
    if (outcome.receiver_gone || (result.status.ok() && !sink.ok())) {
        result.status = Status::io("cannot write " + partial_path(path).string());
    } else if (result.status.ok() && !outcome.complete) {
        result.status = Status::internal("the export stopped before the source's end");
    }
    if (result.status.ok()) {
        result.status = move_into_place(partial_path(path), path);
    }
    bool complete = result.status.ok();
    if (!complete) {
        fs::remove(partial_path(path), ignored);
    }
    const std::optional<Reconciliation>& verdict = outcome.reconciliation;

    const char* audit_result = "ok";
    if (!complete) {
        audit_result = outcome.unreconciled() ? "unreconciled" : "error";
    }
    nlohmann::json event{{"consumer", consumer.id},
                         {"route", "export"},
                         {"method", "EXPORT"},
                         {"dataset", dataset.id},
                         {"fields", policy.delivered_fields()},
                         {"records", complete ? outcome.delivered : 0},
                         {"purpose", policy.purpose()},
                         {"status", complete ? 200 : 500},
                         {"result", audit_result}};
    if (verdict) {
        event["verdict"] = to_string(verdict->verdict);
    }
    if (complete) {
        event["sha256"] = sha256;
    } else {
        event["detail"] = result.status.message();
    }
    if (Status audited = context.audit().append(std::move(event)); !audited.ok()) {
        // Unaudited data must not leave: the file goes, and the export fails on this.
        fs::remove(path, ignored);
        complete = false;
        result.status = std::move(audited);
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
    std::vector<std::shared_ptr<const Dataset>> wanted;
    if (datasets.empty()) {
        wanted = context.datasets().all();
    } else {
        for (const std::string& id : datasets) {
            auto dataset = context.datasets().find(id);
            if (!dataset) {
                return Status::not_found("no dataset \"" + id + "\"");
            }
            wanted.push_back(std::move(dataset));
        }
    }
    // Every grant is checked before any data moves.
    std::vector<Selected> selected;
    for (auto& dataset : wanted) {
        FERRY_ASSIGN_OR_RETURN(auto policy, context.policy(*consumer, *dataset));
        selected.push_back({std::move(dataset), std::move(policy)});
    }
    std::error_code error;
    fs::create_directories(out_dir, error);
    if (!error) {
        fs::remove(out_dir / "manifest.json", error);
    }
    if (error) {
        return Status::io("cannot prepare " + out_dir.string() + ": " + error.message());
    }

    ExportResult result;
    nlohmann::json& manifest = result.manifest;
    manifest = {{"generated_at", utc_now_iso()},
                {"consumer", consumer->id},
                {"format", "application/x-ndjson"},
                {"status", "complete"},
                {"datasets", nlohmann::json::array()}};
    std::int64_t total_delivered = 0;
    std::int64_t total_rejected = 0;
    std::int64_t total_skipped = 0;
    for (std::size_t idx = 0; idx < selected.size(); ++idx) {
        DatasetExport done = export_dataset(context, *consumer, selected[idx], out_dir);
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
    // Totals count the datasets whose files are there.
    manifest["totals"] = {{"read", total_delivered + total_rejected + total_skipped},
                          {"delivered", total_delivered},
                          {"rejected", total_rejected},
                          {"skipped", total_skipped}};
    FERRY_RETURN_IF_ERROR(write_manifest(out_dir, manifest));
    return result;
}

} // namespace ferry::bridge

// SPDX-License-Identifier: Apache-2.0
// export_mode.cpp — NDJSON files plus a manifest, hashed while they are written.
#include "export_mode.h"

#include <fstream>
#include <memory>
#include <openssl/evp.h>

#include "crypto.h"
#include "record_stream.h"

namespace ferry::bridge {

namespace {

class FileSink : public ChunkSink {
public:
    explicit FileSink(const std::filesystem::path& path)
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

} // namespace

Result<nlohmann::json> run_export(BridgeContext& context,
                                  const std::filesystem::path& out_dir,
                                  const std::string& consumer_id,
                                  const std::vector<std::string>& datasets) {
    const auto consumers = context.consumers();
    const Consumer* consumer = consumers->find(consumer_id);
    if (consumer == nullptr) {
        return Status::not_found("no consumer \"" + consumer_id + "\" in " +
                                 context.config().consumers_file.string());
    }
    std::vector<std::shared_ptr<const Dataset>> selected;
    if (datasets.empty()) {
        selected = context.datasets().all();
    } else {
        for (const std::string& id : datasets) {
            auto dataset = context.datasets().find(id);
            if (!dataset) {
                return Status::not_found("no dataset \"" + id + "\"");
            }
            selected.push_back(std::move(dataset));
        }
    }
    std::error_code error;
    std::filesystem::create_directories(out_dir, error);
    nlohmann::json manifest{{"generated_at", utc_now_iso()},
                            {"consumer", consumer->id},
                            {"format", "application/x-ndjson"},
                            {"datasets", nlohmann::json::array()}};
    std::int64_t total_delivered = 0;
    std::int64_t total_rejected = 0;
    for (const auto& dataset : selected) {
        FERRY_ASSIGN_OR_RETURN(auto policy, context.policy(*consumer, *dataset));
        const std::string file_name = dataset->id + ".ndjson";
        FileSink sink(out_dir / file_name);
        if (!sink.ok()) {
            return Status::io("cannot write " + (out_dir / file_name).string());
        }
        PullOptions options;
        options.start.dataset = dataset->id;
        options.cursor_lines = false;
        PullOutcome outcome = pull_records(context, *dataset, *policy, options, sink);
        const std::string sha256 = sink.finish();
        nlohmann::json event{{"consumer", consumer->id},
                             {"route", "export"},
                             {"method", "EXPORT"},
                             {"dataset", dataset->id},
                             {"fields", policy->delivered_fields()},
                             {"records", outcome.delivered},
                             {"purpose", policy->purpose()},
                             {"status", outcome.status.ok() ? 200 : 500},
                             {"result", outcome.status.ok() ? "ok" : "error"},
                             {"sha256", sha256}};
        FERRY_RETURN_IF_ERROR(context.audit().append(std::move(event)));
        if (!outcome.status.ok()) {
            return std::move(outcome.status).with_context("exporting \"" + dataset->id + "\"");
        }
        manifest["datasets"].push_back({{"dataset", dataset->id},
                                        {"entity", dataset->mapping.entity().name},
                                        {"file", file_name},
                                        {"read", outcome.delivered + outcome.rejected},
                                        {"delivered", outcome.delivered},
                                        {"rejected", outcome.rejected},
                                        {"bytes", sink.bytes()},
                                        {"sha256", sha256},
                                        {"fields", policy->delivered_fields()},
                                        {"purpose", policy->purpose()},
                                        {"cursor", context.cursors().encode(outcome.next)}});
        total_delivered += outcome.delivered;
        total_rejected += outcome.rejected;
    }
    manifest["totals"] = {{"read", total_delivered + total_rejected},
                          {"delivered", total_delivered},
                          {"rejected", total_rejected}};
    std::ofstream out(out_dir / "manifest.json", std::ios::trunc);
    out << manifest.dump(2) << '\n';
    if (!out) {
        return Status::io("cannot write " + (out_dir / "manifest.json").string());
    }
    return manifest;
}

} // namespace ferry::bridge

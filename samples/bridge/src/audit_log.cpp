// SPDX-License-Identifier: Apache-2.0
// audit_log.cpp — the hash-chained JSON-lines audit log and its verifier.
#include "audit_log.h"

#include "consumers.h"
#include "crypto.h"

namespace ferry::bridge {

namespace {
const std::string kGenesis(64, '0');
} // namespace

std::string audit_hash(const nlohmann::json& event_without_hash) {
    // nlohmann::json objects keep keys sorted, so dump() is canonical whatever the file order.
    return sha256_hex(event_without_hash.dump());
}

Result<std::unique_ptr<AuditLog>> AuditLog::open(const std::filesystem::path& file) {
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    std::string last_line;
    std::int64_t count = 0;
    {
        std::ifstream in(file, std::ios::binary);
        for (std::string line; std::getline(in, line);) {
            if (!line.empty()) {
                last_line = std::move(line);
                ++count;
            }
        }
    }
    std::unique_ptr<AuditLog> log(new AuditLog(file));
    if (!log->out_) {
        return Status::io("cannot open audit log " + file.string() + " for appending");
    }
    log->last_hash_ = kGenesis;
    if (!last_line.empty()) {
        const nlohmann::json last = nlohmann::json::parse(last_line, nullptr, false);
        if (!last.is_object() || !last.contains("hash") || !last["hash"].is_string() ||
            !last.contains("seq") || !last["seq"].is_number_integer()) {
            return Status::data("audit log " + file.string() + ": line " + std::to_string(count) +
                                " is not an audit record; run `ferry-bridge --verify-audit`");
        }
        log->last_hash_ = last["hash"].get<std::string>();
        log->seq_ = last["seq"].get<std::int64_t>();
    }
    return log;
}

Status AuditLog::append(nlohmann::json event) {
    std::lock_guard lock(mutex_);
    event.erase("hash");
    event["seq"] = seq_ + 1;
    event["time"] = utc_now_iso();
    event["prev"] = last_hash_;
    const std::string hash = audit_hash(event);
    event["hash"] = hash;
    out_ << event.dump() << '\n';
    out_.flush();
    if (!out_) {
        return Status::io("cannot write the audit log");
    }
    ++seq_;
    last_hash_ = hash;
    return {};
}

std::int64_t AuditLog::lines() const {
    std::lock_guard lock(mutex_);
    return seq_;
}

Result<AuditVerification> verify_audit_log(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return Status::not_found("audit log not found: " + file.string());
    }
    AuditVerification result;
    std::string prev = kGenesis;
    std::int64_t expected_seq = 0;
    bool first = true;
    for (std::string line; std::getline(in, line);) {
        ++result.lines;
        const auto fail = [&](std::string problem) {
            result.bad_line = result.lines;
            result.problem = std::move(problem);
            return result;
        };
        nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
        if (!event.is_object() || !event.contains("hash") || !event["hash"].is_string() ||
            !event.contains("prev") || !event["prev"].is_string() || !event.contains("seq") ||
            !event["seq"].is_number_integer()) {
            return fail("not an audit record");
        }
        const std::string stored = event["hash"].get<std::string>();
        event.erase("hash");
        if (audit_hash(event) != stored) {
            return fail("content does not match its hash (the line was edited)");
        }
        if (event["prev"].get<std::string>() != prev) {
            return fail("does not chain to the line before (a line was removed, inserted or "
                        "reordered)");
        }
        const std::int64_t seq = event["seq"].get<std::int64_t>();
        if (!first && seq != expected_seq) {
            return fail("sequence number " + std::to_string(seq) + " where " +
                        std::to_string(expected_seq) + " was expected");
        }
        first = false;
        expected_seq = seq + 1;
        prev = stored;
    }
    return result;
}

} // namespace ferry::bridge

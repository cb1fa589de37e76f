// SPDX-License-Identifier: Apache-2.0
// copy_stream.cpp — one stream to NDJSON: rejects and progress on stderr, checkpoints saved.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "ferry/json_schema.h"
#include "ferry/mapped_reader.h"
#include "ferry/ndjson.h"

#include "atomic_file.h"
#include "ferry_cat.h"

namespace ferry::cat {

namespace {

using Clock = std::chrono::steady_clock;

void print_rejects(const Batch& batch, const std::string& dataset) {
    for (const FerryReject& reject : batch.rejects()) {
        std::cerr << "ferry-cat: reject: " << dataset << ": record " << reject.record_no;
        if (reject.location != nullptr) {
            std::cerr << " (" << reject.location << ")";
        }
        if (reject.field != nullptr) {
            std::cerr << ": field \"" << reject.field << '"';
        }
        if (reject.rule != nullptr) {
            std::cerr << ": " << reject.rule;
        }
        std::cerr << ": " << reject.reason << '\n';
    }
}

std::string with_thousands(std::int64_t value) {
    std::string digits = std::to_string(value);
    for (auto pos = static_cast<std::ptrdiff_t>(digits.size()) - 3; pos > 0; pos -= 3) {
        digits.insert(static_cast<std::size_t>(pos), ",");
    }
    return digits;
}

// "\r" rewrites the line in place; ANSI "erase to end of line" clears a longer previous one.
void print_progress(const std::string& dataset, const Progress& progress, Clock::duration spent) {
    std::string line =
        "\rferry-cat: " + dataset + ": " + with_thousands(progress.records_done) + " records";
    if (const std::optional<double> done = progress.fraction(); done && *done > 0) {
        const double seconds = std::chrono::duration<double>(spent).count();
        const auto eta = static_cast<std::int64_t>(seconds / *done - seconds);
        line += ", " + std::to_string(static_cast<int>(*done * 100)) + "% (about " +
                std::to_string(eta) + " s to go)";
    }
    line += retries_text(progress.retries, ", ");
    std::cerr << line << "\x1b[K" << std::flush;
}

} // namespace

std::string retries_text(const std::map<std::string, std::int64_t>& retries,
                         std::string_view lead) {
    std::int64_t total = 0;
    std::string causes;
    for (const auto& [cause, count] : retries) {
        total += count;
        causes += (causes.empty() ? "" : ", ") + cause + " " + std::to_string(count);
    }
    if (total == 0) {
        return {};
    }
    return std::string(lead) + std::to_string(total) + (total == 1 ? " retry (" : " retries (") +
           causes + ")";
}

Status save_state(const Sink& sink) {
    return write_file_atomically(sink.state_path, sink.state.dump(2) + "\n");
}

Status copy_stream(const SourceHandle& source,
                   const std::string& dataset,
                   const std::string& piece_id,
                   const nlohmann::json& request,
                   const std::optional<Mapping>& mapping,
                   const Args& args,
                   Sink& sink,
                   StreamOutcome& outcome) {
    FERRY_ASSIGN_OR_RETURN(BatchReader stream, source.open_stream(dataset, request));
    // The plain reader keeps the verdict and the progress; with a mapping its batches go
    // through the mapping (on --threads workers) before they are written.
    auto plain = std::make_shared<BatchReader>(std::move(stream));
    std::optional<MappedReader> mapped;
    if (mapping) {
        mapped.emplace([plain]() { return plain->next(); }, *mapping, args.threads);
    }
    // With mapping workers the plain reader runs on their threads: ask it nothing meanwhile.
    const bool may_ask_progress = sink.progress && (!mapped || args.threads <= 1);
    const Clock::time_point started = Clock::now();
    Clock::time_point shown = started;
    std::string out;
    Status ended;
    for (;;) {
        Result<std::optional<Batch>> next = mapped ? mapped->next() : plain->next();
        if (!next.ok()) {
            ended = std::move(next).status();
            break;
        }
        if (!*next) {
            break;
        }
        const Batch& batch = **next;
        out.clear();
        append_ndjson(batch, out, {args.lineage});
        const std::lock_guard<std::mutex> lock(sink.lock);
        if (std::fwrite(out.data(), 1, out.size(), sink.records) != out.size()) {
            return Status::io("cannot write the records (disk full or pipe closed?)");
        }
        print_rejects(batch, dataset);
        if (const std::optional<std::string_view> checkpoint = batch.checkpoint();
            checkpoint && !sink.state_path.empty()) {
            FERRY_ASSIGN_OR_RETURN(nlohmann::json parsed, parse_json(*checkpoint, "checkpoint"));
            sink.state["checkpoints"][piece_id] = std::move(parsed);
            if (sink.state_per_batch) {
                // The lines before this checkpoint must be out before it is saved.
                std::fflush(sink.records);
                FERRY_RETURN_IF_ERROR(save_state(sink));
            }
        }
        if (may_ask_progress && Clock::now() - shown > std::chrono::milliseconds(500)) {
            shown = Clock::now();
            print_progress(dataset, plain->progress(), shown - started);
        }
    }
    if (sink.progress) {
        const std::lock_guard<std::mutex> lock(sink.lock);
        std::cerr << "\r\x1b[K" << std::flush;
    }
    outcome.counts.read = mapped ? mapped->records_read() : plain->records_read();
    outcome.counts.delivered = mapped ? mapped->records_delivered() : plain->records_delivered();
    outcome.counts.rejected = mapped ? mapped->records_rejected() : plain->records_rejected();
    outcome.counts.skipped = plain->records_skipped();
    outcome.reconciliation = plain->reconciliation();
    outcome.retries = plain->progress().retries;
    return ended;
}

} // namespace ferry::cat

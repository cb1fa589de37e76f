// SPDX-License-Identifier: Apache-2.0
// audit_chain.cpp — reading the audit log's segments, and verifying the chain over all of them.
#include "audit_chain.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "audit_log.h"
#include "crypto.h"

namespace ferry::bridge {

namespace audit {

namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMaxLineBytes = 16LL * 1024 * 1024;
constexpr int kSeqDigits = 12;

std::string errno_text() {
    return std::strerror(errno);
}

// A line that parses and has the chain's members; nullopt otherwise.
std::optional<nlohmann::json> parse_record(std::string_view line) {
    nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_object() || !event.contains("hash") || !event["hash"].is_string() ||
        !event.contains("prev") || !event["prev"].is_string() || !event.contains("seq") ||
        !event["seq"].is_number_integer()) {
        return std::nullopt;
    }
    return event;
}

class Fd {
public:
    explicit Fd(int fd)
        : fd_(fd) {}

    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    int get() const noexcept { return fd_; }

private:
    int fd_;
};

} // namespace

// Parses a line and checks it against its own hash.
Result<Link> check_record(std::string_view line) {
    std::optional<nlohmann::json> event = parse_record(line);
    if (!event) {
        return Status::data("not an audit record");
    }
    Link link;
    link.hash = (*event)["hash"].get<std::string>();
    event->erase("hash");
    if (audit_hash(*event) != link.hash) {
        return Status::data("content does not match its hash (the line was edited)");
    }
    link.seq = (*event)["seq"].get<std::int64_t>();
    link.prev = (*event)["prev"].get<std::string>();
    if (const auto time = event->find("time"); time != event->end() && time->is_string()) {
        link.day = time->get<std::string>().substr(0, 10);
    }
    return link;
}

// The last `count` lines of `file` (none when it is missing or empty), read from the end.
Result<Tail> read_tail(const fs::path& file, std::size_t count) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    Tail tail;
    if (fd.get() < 0) {
        if (errno == ENOENT) {
            return tail;
        }
        return Status::io("cannot read " + file.string() + ": " + errno_text());
    }

    struct stat info {};

    if (::fstat(fd.get(), &info) != 0) {
        return Status::io("cannot read " + file.string() + ": " + errno_text());
    }
    const std::int64_t size = info.st_size;
    for (std::int64_t window = 64 * 1024;; window *= 4) {
        const std::int64_t start = std::max<std::int64_t>(0, size - window);
        std::string text(static_cast<std::size_t>(size - start), '\0');
        const ssize_t got = ::pread(fd.get(), text.data(), text.size(), start);
        if (got != static_cast<ssize_t>(text.size())) {
            return Status::io("cannot read " + file.string() + ": " + errno_text());
        }
        std::vector<std::string> lines;
        std::size_t begin = 0;
        if (start > 0) {
            const std::size_t newline = text.find('\n'); // the cut line is not a line
            begin = newline == std::string::npos ? text.size() : newline + 1;
        }
        while (begin < text.size()) {
            std::size_t end = text.find('\n', begin);
            if (end == std::string::npos) {
                end = text.size();
            }
            if (end > begin) {
                lines.emplace_back(text, begin, end - begin);
            }
            begin = end + 1;
        }
        if (lines.size() >= count || start == 0 || window >= kMaxLineBytes) {
            tail.from_start = start == 0 && lines.size() <= count;
            if (lines.size() > count) {
                lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(count));
            }
            tail.lines = std::move(lines);
            break;
        }
    }
    if (size > 0 && tail.lines.empty()) {
        return Status::data("audit log " + file.string() + ": no complete line in its last " +
                            std::to_string(kMaxLineBytes) + " bytes");
    }
    return tail;
}

Result<std::string> read_first_line(const fs::path& file) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        return Status::io("cannot read " + file.string() + ": " + errno_text());
    }
    std::string line;
    char buffer[64 * 1024];
    for (std::int64_t offset = 0; offset < kMaxLineBytes;) {
        const ssize_t got = ::pread(fd.get(), buffer, sizeof buffer, offset);
        if (got < 0) {
            return Status::io("cannot read " + file.string() + ": " + errno_text());
        }
        const std::string_view chunk(buffer, static_cast<std::size_t>(got));
        const std::size_t newline = chunk.find('\n');
        line.append(chunk.substr(0, newline));
        if (newline != std::string_view::npos || got == 0) {
            break;
        }
        offset += got;
    }
    return line;
}

std::string segment_name(const fs::path& file, std::int64_t first_seq) {
    char number[32];
    std::snprintf(number, sizeof number, "%0*lld", kSeqDigits, static_cast<long long>(first_seq));
    return file.stem().string() + "." + number + file.extension().string();
}

// The first sequence number a closed segment's name gives, or -1 when `name` is none of
// `file`'s segments.
std::int64_t segment_number(const fs::path& file, const std::string& name) {
    const std::string prefix = file.stem().string() + ".";
    const std::string suffix = file.extension().string();
    if (name.size() != prefix.size() + kSeqDigits + suffix.size() || name.rfind(prefix, 0) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
        return -1;
    }
    const std::string digits = name.substr(prefix.size(), kSeqDigits);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return -1;
    }
    return std::stoll(digits);
}

// The chain's last link before the active segment: the last line of the newest closed one.
Result<Link> previous_segment_tail(const fs::path& file) {
    std::vector<fs::path> segments = audit_segments(file);
    if (!segments.empty() && segments.back() == file) {
        segments.pop_back();
    }
    if (segments.empty()) {
        Link genesis;
        genesis.hash = kGenesis;
        return genesis;
    }
    FERRY_ASSIGN_OR_RETURN(Tail tail, read_tail(segments.back(), 1));
    if (tail.lines.empty()) {
        return Status::data("audit segment " + segments.back().string() + " is empty");
    }
    Result<Link> link = check_record(tail.lines.back());
    if (!link.ok()) {
        return Status::data("audit segment " + segments.back().string() +
                            ": last line: " + link.status().message());
    }
    return link;
}

} // namespace audit

namespace fs = std::filesystem;
using namespace audit;

std::string audit_hash(const nlohmann::json& event_without_hash) {
    // nlohmann::json objects keep keys sorted, so dump() is canonical whatever the file order.
    return sha256_hex(event_without_hash.dump());
}

std::vector<fs::path> audit_segments(const fs::path& file) {
    std::map<std::int64_t, fs::path> closed;
    std::error_code error;
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        const std::int64_t number = segment_number(file, it->path().filename().string());
        if (number >= 0 && it->is_regular_file(error)) {
            closed.emplace(number, it->path());
        }
    }
    std::vector<fs::path> segments;
    for (auto& [number, path] : closed) {
        segments.push_back(std::move(path));
    }
    if (fs::exists(file, error)) {
        segments.push_back(file);
    }
    return segments;
}

namespace {

// The active file of the one log in `dir`: audit.jsonl when present (or its segments are),
// else the only family of "*.jsonl" files there.
Result<fs::path> active_file_in(const fs::path& dir) {
    const fs::path preferred = dir / "audit.jsonl";
    if (!audit_segments(preferred).empty()) {
        return preferred;
    }
    std::map<std::string, int> families;
    std::error_code error;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        const fs::path name = it->path().filename();
        if (name.extension() != ".jsonl") {
            continue;
        }
        fs::path active = dir / name;
        const fs::path stem = name.stem();
        if (!stem.extension().empty() &&
            segment_number(dir / (stem.stem().string() + ".jsonl"), name.string()) >= 0) {
            active = dir / (stem.stem().string() + ".jsonl");
        }
        ++families[active.string()];
    }
    if (families.empty()) {
        return Status::not_found("no audit log in " + dir.string());
    }
    if (families.size() > 1) {
        return Status::invalid_argument("several audit logs in " + dir.string() +
                                        ": name one's active file");
    }
    return fs::path(families.begin()->first);
}

} // namespace

Result<AuditVerification> verify_audit_log(const fs::path& path) {
    std::error_code error;
    fs::path file = path;
    if (fs::is_directory(path, error)) {
        FERRY_ASSIGN_OR_RETURN(file, active_file_in(path));
    }
    const std::vector<fs::path> segments = audit_segments(file);
    if (segments.empty()) {
        return Status::not_found("audit log not found: " + path.string());
    }
    AuditVerification result;
    std::string prev = kGenesis;
    std::int64_t expected_seq = 0;
    bool first = true;
    fs::path previous_segment;
    for (const fs::path& segment : segments) {
        std::ifstream in(segment, std::ios::binary);
        if (!in) {
            return Status::io("cannot read " + segment.string());
        }
        ++result.segments;
        const std::int64_t named = segment_number(file, segment.filename().string());
        std::int64_t line_no = 0;
        for (std::string line; std::getline(in, line);) {
            ++result.lines;
            ++line_no;
            const auto fail = [&](std::string problem) {
                result.bad_file = segment;
                result.bad_line = line_no;
                result.problem = std::move(problem);
                return result;
            };
            Result<Link> link = check_record(line);
            if (!link.ok()) {
                return fail(link.status().message());
            }
            if (link->prev != prev) {
                if (line_no == 1 && !previous_segment.empty()) {
                    return fail("does not chain to the last line of " +
                                previous_segment.filename().string() +
                                " (a segment is missing, or a line was removed or inserted)");
                }
                if (line_no == 1 && first) {
                    return fail("does not start the chain (an earlier segment or line is "
                                "missing)");
                }
                return fail("does not chain to the line before (a line was removed, inserted "
                            "or reordered)");
            }
            if (!first && link->seq != expected_seq) {
                return fail("sequence number " + std::to_string(link->seq) + " where " +
                            std::to_string(expected_seq) + " was expected");
            }
            if (line_no == 1 && named >= 0 && link->seq != named) {
                return fail("sequence number " + std::to_string(link->seq) +
                            " where the segment's name says " + std::to_string(named));
            }
            first = false;
            expected_seq = link->seq + 1;
            prev = link->hash;
        }
        previous_segment = segment;
    }
    return result;
}

} // namespace ferry::bridge

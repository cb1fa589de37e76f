// SPDX-License-Identifier: Apache-2.0
// audit_log.cpp — the hash-chained JSON-lines audit log, its segments and its verifier.
//
// The daemon and an export run in separate processes append to one chain. An in-process mutex
// is not enough for that, and neither is a sequence number kept in memory: each append takes
// flock() on a sibling lock file (the active file itself is renamed by rotation, a lock on it
// would be a lock on whatever segment it became) and, holding it, continues from the tail as
// it is on disk. Re-reading the tail costs one stat()/fstat() when this process wrote last.
#include "audit_log.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <optional>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit_chain.h"
#include "consumers.h"

namespace ferry::bridge {

namespace {

namespace fs = std::filesystem;
using namespace audit;

// The start checks this many lines at the tail: enough to catch an edit of the lines written
// last, bounded so a start never reads a whole segment.
constexpr std::size_t kTailLines = 100;

std::string errno_text() {
    return std::strerror(errno);
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t wrote = ::write(fd, data.data(), data.size());
        if (wrote < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(wrote));
    }
    return true;
}

class FileLock {
public:
    explicit FileLock(int fd)
        : fd_(fd) {
        while (::flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) {
                failed_ = true;
                break;
            }
        }
    }

    ~FileLock() {
        if (!failed_) {
            ::flock(fd_, LOCK_UN);
        }
    }

    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    bool failed() const noexcept { return failed_; }

private:
    int fd_;
    bool failed_ = false;
};

} // namespace

AuditLog::AuditLog(fs::path file, AuditRotation rotation)
    : file_(std::move(file))
    , rotation_(rotation) {}

AuditLog::~AuditLog() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
    if (lock_fd_ >= 0) {
        ::close(lock_fd_);
    }
}

Result<std::unique_ptr<AuditLog>> AuditLog::open(const fs::path& file, AuditRotation rotation) {
    std::error_code error;
    if (file.has_parent_path()) {
        fs::create_directories(file.parent_path(), error);
    }
    std::unique_ptr<AuditLog> log(new AuditLog(file, rotation));
    const std::string lock_file = file.string() + ".lock";
    log->lock_fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (log->lock_fd_ < 0) {
        return Status::io("cannot open " + lock_file + ": " + errno_text());
    }
    ::fchmod(log->lock_fd_, 0600); // an older bridge made files readable by everyone
    std::lock_guard guard(log->mutex_);
    FileLock lock(log->lock_fd_);
    if (lock.failed()) {
        return Status::io("cannot lock " + lock_file + ": " + errno_text());
    }
    FERRY_RETURN_IF_ERROR(log->reopen_locked());
    ::fchmod(log->fd_, 0600);

    const auto broken = [&](const std::string& what) {
        return Status::data("audit log " + file.string() + ": " + what +
                            "; the bridge does not extend a broken chain: run `ferry-bridge "
                            "--verify-audit " +
                            file.string() + "`");
    };
    FERRY_ASSIGN_OR_RETURN(Tail tail, read_tail(file, kTailLines));
    Result<Link> before = previous_segment_tail(file);
    if (!before.ok() && (tail.lines.empty() || tail.from_start)) {
        return broken(before.status().message());
    }
    std::optional<Link> last;
    if (tail.from_start && before.ok()) {
        last = *before;
    }
    for (const std::string& line : tail.lines) {
        Result<Link> link = check_record(line);
        if (!link.ok()) {
            return broken((last ? "the line after seq " + std::to_string(last->seq) + ": "
                                : std::string("a line near the end: ")) +
                          link.status().message());
        }
        if (last && link->prev != last->hash) {
            return broken("the line with seq " + std::to_string(link->seq) +
                          " does not chain to the line before");
        }
        if (last && last->seq > 0 && link->seq != last->seq + 1) {
            return broken("sequence number " + std::to_string(link->seq) + " where " +
                          std::to_string(last->seq + 1) + " was expected");
        }
        last = std::move(*link);
    }
    if (!last) {
        last = *before; // an empty active segment continues the closed ones
    }
    log->seq_ = last->seq;
    log->last_hash_ = last->hash;
    if (!tail.lines.empty()) {
        FERRY_ASSIGN_OR_RETURN(const std::string first, read_first_line(file));
        FERRY_ASSIGN_OR_RETURN(const Link first_link, check_record(first));
        log->first_seq_ = first_link.seq;
        log->first_day_ = first_link.day;
    }

    struct stat info {};

    if (::fstat(log->fd_, &info) != 0) {
        return Status::io("cannot stat " + file.string() + ": " + errno_text());
    }
    log->size_ = info.st_size;
    return log;
}

Status AuditLog::reopen_locked() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
    fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        return Status::io("cannot open audit log " + file_.string() +
                          " for appending: " + errno_text());
    }

    struct stat info {};

    if (::fstat(fd_, &info) != 0) {
        return Status::io("cannot stat " + file_.string() + ": " + errno_text());
    }
    device_ = info.st_dev;
    inode_ = info.st_ino;
    size_ = -1; // unknown until the tail is read
    first_seq_ = 0;
    first_day_.clear();
    return {};
}

Status AuditLog::sync_tail_locked() {
    struct stat info {};

    if (::stat(file_.c_str(), &info) != 0 || info.st_dev != device_ || info.st_ino != inode_) {
        // Another process rotated the segment (or it was moved away): write to the new one.
        FERRY_RETURN_IF_ERROR(reopen_locked());
    }
    if (::fstat(fd_, &info) != 0) {
        return Status::io("cannot stat " + file_.string() + ": " + errno_text());
    }
    if (info.st_size == size_) {
        return {}; // nobody wrote since this object did
    }
    if (info.st_size == 0) {
        FERRY_ASSIGN_OR_RETURN(const Link before, previous_segment_tail(file_));
        seq_ = before.seq;
        last_hash_ = before.hash;
        first_seq_ = 0;
        first_day_.clear();
    } else {
        FERRY_ASSIGN_OR_RETURN(const Tail tail, read_tail(file_, 1));
        Result<Link> link = check_record(tail.lines.back());
        if (!link.ok()) {
            return Status::data("audit log " + file_.string() +
                                ": last line: " + link.status().message() +
                                "; the bridge does not extend a broken chain");
        }
        seq_ = link->seq;
        last_hash_ = link->hash;
        if (first_seq_ == 0) {
            FERRY_ASSIGN_OR_RETURN(const std::string first, read_first_line(file_));
            FERRY_ASSIGN_OR_RETURN(const Link first_link, check_record(first));
            first_seq_ = first_link.seq;
            first_day_ = first_link.day;
        }
    }
    size_ = info.st_size;
    return {};
}

Status AuditLog::rotate_locked() {
    const fs::path closed = file_.parent_path() / segment_name(file_, first_seq_);
    std::error_code error;
    if (fs::exists(closed, error)) {
        return Status::io("cannot rotate the audit log: " + closed.string() + " exists");
    }
    if (::rename(file_.c_str(), closed.c_str()) != 0) {
        return Status::io("cannot rotate the audit log to " + closed.string() + ": " +
                          errno_text());
    }
    FERRY_RETURN_IF_ERROR(reopen_locked());
    size_ = 0;
    return {};
}

Status AuditLog::append(nlohmann::json event) {
    std::lock_guard guard(mutex_);
    FileLock lock(lock_fd_);
    if (lock.failed()) {
        return Status::io("cannot lock " + file_.string() + ".lock: " + errno_text());
    }
    FERRY_RETURN_IF_ERROR(sync_tail_locked());
    event.erase("hash");
    event["seq"] = seq_ + 1;
    const std::string time = utc_now_iso();
    event["time"] = time;
    event["prev"] = last_hash_;
    const std::string hash = audit_hash(event);
    event["hash"] = hash;
    const std::string line = event.dump() + '\n';
    const std::string day = time.substr(0, 10);
    const auto line_bytes = static_cast<std::int64_t>(line.size());
    if (size_ > 0 && first_seq_ > 0 &&
        ((rotation_.max_bytes > 0 && size_ + line_bytes > rotation_.max_bytes) ||
         (rotation_.daily && !first_day_.empty() && first_day_ != day))) {
        FERRY_RETURN_IF_ERROR(rotate_locked());
    }
    if (!write_all(fd_, line)) {
        size_ = -1; // a part may have reached the file: read the tail again next time
        return Status::io("cannot write the audit log " + file_.string() + ": " + errno_text());
    }
    size_ += line_bytes;
    if (first_seq_ == 0) {
        first_seq_ = seq_ + 1;
        first_day_ = day;
    }
    ++seq_;
    last_hash_ = hash;
    return {};
}

std::int64_t AuditLog::lines() const {
    std::lock_guard lock(mutex_);
    return seq_;
}

} // namespace ferry::bridge

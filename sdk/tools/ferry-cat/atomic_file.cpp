// SPDX-License-Identifier: Apache-2.0
// atomic_file.cpp — temporary file, fsync, rename.
#include "atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>
#include <utility>

namespace ferry::cat {

namespace {

Status io_error(const std::string& what, const std::string& path) {
    return Status::io(what + " " + path + ": " + std::strerror(errno));
}

// A rename is durable only once the directory holding it is on disk too.
Status sync_directory_of(const std::string& path) {
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (dir.empty()) {
        dir = ".";
    }
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        return io_error("cannot open the directory of", path);
    }
    const int synced = ::fsync(fd);
    ::close(fd);
    return synced == 0 ? Status() : io_error("cannot sync the directory of", path);
}

Result<std::pair<std::string, std::FILE*>> open_temporary(const std::string& path) {
    std::string name = path + ".partial-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        return io_error("cannot create a temporary file beside", path);
    }
    std::FILE* file = ::fdopen(fd, "wb");
    if (file == nullptr) {
        ::close(fd);
        ::unlink(name.c_str());
        return io_error("cannot open", name);
    }
    return std::make_pair(std::move(name), file);
}

Status flush_and_rename(std::FILE* file, const std::string& temporary, const std::string& path) {
    const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
    const bool closed = std::fclose(file) == 0;
    if (!flushed || !closed) {
        const Status failure = io_error("cannot write", temporary);
        ::unlink(temporary.c_str());
        return failure;
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const Status failure = io_error("cannot rename " + temporary + " to", path);
        ::unlink(temporary.c_str());
        return failure;
    }
    return sync_directory_of(path);
}

} // namespace

Result<AtomicOutput> AtomicOutput::create(std::string path) {
    FERRY_ASSIGN_OR_RETURN(auto opened, open_temporary(path));
    return AtomicOutput(std::move(path), std::move(opened.first), opened.second);
}

AtomicOutput::AtomicOutput(AtomicOutput&& other) noexcept
    : path_(std::move(other.path_))
    , temporary_(std::move(other.temporary_))
    , file_(std::exchange(other.file_, nullptr)) {}

AtomicOutput::~AtomicOutput() {
    if (file_ != nullptr) {
        std::fclose(file_);
        ::unlink(temporary_.c_str());
    }
}

Status AtomicOutput::commit() {
    std::FILE* file = std::exchange(file_, nullptr);
    if (file == nullptr) {
        return Status::internal("output " + path_ + " committed twice");
    }
    return flush_and_rename(file, temporary_, path_);
}

Status write_file_atomically(const std::string& path, std::string_view content) {
    FERRY_ASSIGN_OR_RETURN(auto opened, open_temporary(path));
    auto [temporary, file] = std::move(opened);
    if (std::fwrite(content.data(), 1, content.size(), file) != content.size()) {
        const Status failure = io_error("cannot write", temporary);
        std::fclose(file);
        ::unlink(temporary.c_str());
        return failure;
    }
    return flush_and_rename(file, temporary, path);
}

} // namespace ferry::cat

// SPDX-License-Identifier: Apache-2.0
// file_window.cpp — buffered, bounded, forward reading with byte offsets for lineage.
#include "file_window.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace ferry::flatfile {

Result<FileWindow> FileWindow::open(const std::string& path, std::int64_t offset) {
    FileWindow file;
    file.path_ = path;
    const auto slash = path.find_last_of('/');
    file.display_name_ = slash == std::string::npos ? path : path.substr(slash + 1);
    file.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (file.fd_ < 0) {
        const int error = errno;
        Status status =
            error == ENOENT
                ? Status::not_found("no such file: " + file.display_name_)
                : Status::io("cannot open " + file.display_name_ + ": " + std::strerror(error));
        return std::move(status).with_native_code(error);
    }
    if (offset > 0 && ::lseek(file.fd_, static_cast<off_t>(offset), SEEK_SET) != offset) {
        return Status::io("cannot seek " + file.display_name_ + " to byte " +
                          std::to_string(offset));
    }
    ::posix_fadvise(file.fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    file.file_offset_ = offset;
    file.buffer_.resize(kChunk);
    return file;
}

FileWindow::FileWindow(FileWindow&& other) noexcept
    : path_(std::move(other.path_))
    , display_name_(std::move(other.display_name_))
    , fd_(std::exchange(other.fd_, -1))
    , buffer_(std::move(other.buffer_))
    , begin_(other.begin_)
    , end_(other.end_)
    , file_offset_(other.file_offset_)
    , eof_(other.eof_) {}

FileWindow& FileWindow::operator=(FileWindow&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        path_ = std::move(other.path_);
        display_name_ = std::move(other.display_name_);
        fd_ = std::exchange(other.fd_, -1);
        buffer_ = std::move(other.buffer_);
        begin_ = other.begin_;
        end_ = other.end_;
        file_offset_ = other.file_offset_;
        eof_ = other.eof_;
    }
    return *this;
}

FileWindow::~FileWindow() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

Result<bool> FileWindow::refill() {
    if (eof_) {
        return false;
    }
    // Keep the unread tail at the front; grow only when one record fills the whole buffer.
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == buffer_.size()) {
        if (buffer_.size() >= kMaxRecord) {
            return Status::data(display_name_ + ": byte " + std::to_string(offset()) +
                                ": a record longer than " + std::to_string(kMaxRecord) +
                                " bytes (wrong record format or a missing line end?)");
        }
        buffer_.resize(buffer_.size() * 2);
    }
    for (;;) {
        const ssize_t got = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return Status::io(display_name_ + ": read failed: " + std::strerror(errno));
        }
        if (got == 0) {
            eof_ = true;
            return false;
        }
        end_ += static_cast<std::size_t>(got);
        file_offset_ += got;
        return true;
    }
}

} // namespace ferry::flatfile

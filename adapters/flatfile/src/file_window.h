// SPDX-License-Identifier: Apache-2.0
// file_window.h — a bounded read window over a file: the only place the adapter reads bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/result.h"

namespace ferry::flatfile {

/// Reads a file forward through one buffer that grows only up to `max_bytes`, so memory stays
/// constant whatever the file size. Views returned by window() stay valid until the next
/// refill() or consume(). Not thread-safe; one per stream.
class FileWindow {
public:
    static constexpr std::size_t kChunk = 1 << 20;
    static constexpr std::size_t kMaxRecord = 16 << 20;

    /// Opens `path` and positions it at `offset` (0 or a checkpoint's byte offset).
    static Result<FileWindow> open(const std::string& path, std::int64_t offset = 0);

    FileWindow(FileWindow&& other) noexcept;
    FileWindow& operator=(FileWindow&& other) noexcept;
    FileWindow(const FileWindow&) = delete;
    FileWindow& operator=(const FileWindow&) = delete;
    ~FileWindow();

    /// The unread bytes currently buffered.
    std::string_view window() const noexcept { return {buffer_.data() + begin_, end_ - begin_}; }

    /// Reads more bytes after the buffered ones (keeping them). Returns false at the end of the
    /// file. An error for a read failure or when one record would exceed kMaxRecord.
    Result<bool> refill();

    /// Marks `bytes` of the window as read.
    void consume(std::size_t bytes) noexcept { begin_ += bytes; }

    /// File offset of the first unread byte.
    std::int64_t offset() const noexcept {
        return file_offset_ - static_cast<std::int64_t>(end_ - begin_);
    }

    bool at_end() const noexcept { return eof_ && begin_ == end_; }

    const std::string& path() const noexcept { return path_; }

    /// "file.dat" for messages: the base name only, never the machine path.
    const std::string& display_name() const noexcept { return display_name_; }

private:
    FileWindow() = default;

    std::string path_;
    std::string display_name_;
    int fd_ = -1;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    std::int64_t file_offset_ = 0; // offset of buffer_[end_]
    bool eof_ = false;
};

} // namespace ferry::flatfile

// SPDX-License-Identifier: Apache-2.0
// atomic_file.h — files that appear whole or not at all: written to a temporary file beside the
// target, flushed to disk, then renamed over it.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "ferry/result.h"

namespace ferry::cat {

/// An output file under construction. commit() makes it appear at `path`; destroying it
/// uncommitted removes the temporary file, so a failed or unreconciled run leaves nothing that
/// looks complete.
class AtomicOutput {
public:
    static Result<AtomicOutput> create(std::string path);
    AtomicOutput(AtomicOutput&& other) noexcept;
    AtomicOutput& operator=(AtomicOutput&&) = delete;
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;
    ~AtomicOutput();

    std::FILE* stream() const noexcept { return file_; }

    /// fflush + fsync + rename + fsync of the directory.
    Status commit();

private:
    AtomicOutput(std::string path, std::string temporary, std::FILE* file)
        : path_(std::move(path))
        , temporary_(std::move(temporary))
        , file_(file) {}

    std::string path_;
    std::string temporary_;
    std::FILE* file_ = nullptr;
};

/// Replaces the file at `path` with `content` atomically (the state file after each batch).
Status write_file_atomically(const std::string& path, std::string_view content);

} // namespace ferry::cat

// SPDX-License-Identifier: Apache-2.0
// snapshot_state.h — the state of a snapshot diff: (key, row hash) entries sorted by key, kept
// compact (prefix-compressed keys, 8-byte hashes) and carried in JSON as base64.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/result.h"

namespace ferry::odbc {

/// The first 8 bytes of a SHA-256: a missed update needs two versions of one row to collide
/// (2^-64 per change).
using RowHash = std::array<unsigned char, 8>;

/// One key as bytes: per part, a varint length and the part's UTF-8 (key parts may hold any
/// byte, so no separator is reserved).
std::string encode_key(const std::vector<std::string>& parts);
/// The parts of an encode_key() value (InvalidArgument if malformed).
Result<std::vector<std::string>> decode_key(std::string_view encoded);

/// Appends entries in key order. Each is varint(prefix shared with the previous key),
/// varint(suffix length), the suffix, then the 8 hash bytes: about 11 bytes a row for serial
/// 16-character keys.
class SnapshotWriter {
public:
    void append(std::string_view encoded_key, const RowHash& hash);

    std::int64_t entries() const noexcept { return entries_; }

    /// The entries as base64 (what the JSON state carries).
    std::string base64() const;

private:
    std::string bytes_;
    std::string last_key_;
    std::int64_t entries_ = 0;
};

/// Reads SnapshotWriter entries front to back.
class SnapshotReader {
public:
    /// `base64` as SnapshotWriter::base64() made it; `entries` its entry count.
    static Result<SnapshotReader> open(std::string_view base64, std::int64_t entries);

    bool at_end() const noexcept { return at_end_; }

    /// The current entry (valid until next()).
    const std::string& key() const noexcept { return key_; }

    const RowHash& hash() const noexcept { return hash_; }

    /// Moves to the next entry; InvalidArgument when the bytes are malformed.
    Status next();

private:
    SnapshotReader() = default;

    std::string bytes_;
    std::size_t pos_ = 0;
    std::int64_t remaining_ = 0;
    bool at_end_ = false;
    std::string key_;
    RowHash hash_{};
};

} // namespace ferry::odbc

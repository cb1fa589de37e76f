// SPDX-License-Identifier: Apache-2.0
// cursor.h — resumable cursors for incremental pulls. A cursor is where the stream stands after
// the last record a client received: the source checkpoint of the last whole batch plus the
// last record number passed, so resuming mid-batch skips exactly what was already delivered.
// Cursors are encrypted and authenticated (AES-256-GCM): a client can neither read the
// checkpoint (which may hold a clear key) nor hand the plugin a forged one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

namespace ferry::bridge {

struct Cursor {
    std::string dataset;
    nlohmann::json resume;  ///< the source checkpoint to reopen at; null: from the start
    std::int64_t after = 0; ///< every record with record_no <= after was already passed
};

class CursorCodec {
public:
    explicit CursorCodec(std::string key)
        : key_(std::move(key)) {}

    /// Reads the key from `file`, creating it (32 random bytes, mode 0600) when missing, so
    /// cursors stay valid across restarts.
    static Result<CursorCodec> open(const std::filesystem::path& file);

    std::string encode(const Cursor& cursor) const;
    /// InvalidArgument for anything malformed, tampered with, or issued for another dataset
    /// (the message never echoes the token).
    Result<Cursor> decode(std::string_view token, std::string_view dataset) const;

private:
    std::string key_;
};

} // namespace ferry::bridge

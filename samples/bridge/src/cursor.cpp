// SPDX-License-Identifier: Apache-2.0
// cursor.cpp — cursor tokens: base64url(AES-256-GCM(JSON)), opaque and authenticated. The
// JSON holds the source checkpoint, which may hold a record's key (a person's ID number for a
// key-ordered read): a client must neither read it nor change it.
#include "cursor.h"

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"

namespace ferry::bridge {

namespace {

constexpr std::size_t kMaxTokenBytes = 8192;
constexpr std::string_view kAad = "ferry-bridge cursor v2";

// The cipher key, derived from the key file's bytes (which may be any length from 16).
std::string cipher_key(std::string_view file_key) {
    return hmac_sha256(file_key, "ferry-bridge cursor encryption");
}

} // namespace

Result<CursorCodec> CursorCodec::open(const std::filesystem::path& file) {
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    if (std::filesystem::exists(file)) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (bytes.str().size() < 16) {
            return Status::invalid_argument("cursor key file " + file.string() +
                                            " holds fewer than 16 bytes");
        }
        return CursorCodec(bytes.str());
    }
    const std::string key = random_bytes(32);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        return Status::io("cannot create cursor key file " + file.string());
    }
    const ssize_t written = ::write(fd, key.data(), key.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(key.size())) {
        return Status::io("cannot write cursor key file " + file.string());
    }
    return CursorCodec(key);
}

std::string CursorCodec::encode(const Cursor& cursor) const {
    const std::string payload =
        nlohmann::json{{"d", cursor.dataset}, {"r", cursor.resume}, {"a", cursor.after}}.dump();
    return base64url_encode(seal(cipher_key(key_), kAad, payload));
}

Result<Cursor> CursorCodec::decode(std::string_view token, std::string_view dataset) const {
    const auto bad = [] {
        return Status::invalid_argument("parameter \"since\": not a cursor this bridge issued")
            .with_field("since");
    };
    if (token.size() > kMaxTokenBytes) {
        return bad();
    }
    std::string sealed;
    std::string payload;
    if (!base64url_decode(token, sealed) || !open_sealed(cipher_key(key_), kAad, sealed, payload)) {
        return bad();
    }
    nlohmann::json doc = nlohmann::json::parse(payload, nullptr, false);
    if (!doc.is_object() || !doc.contains("d") || !doc["d"].is_string() || !doc.contains("a") ||
        !doc["a"].is_number_integer() || !doc.contains("r")) {
        return bad();
    }
    Cursor cursor;
    cursor.dataset = doc["d"].get<std::string>();
    cursor.resume = doc["r"];
    cursor.after = doc["a"].get<std::int64_t>();
    if (cursor.dataset != dataset) {
        return Status::invalid_argument("parameter \"since\": the cursor belongs to another "
                                        "dataset")
            .with_field("since");
    }
    return cursor;
}

} // namespace ferry::bridge

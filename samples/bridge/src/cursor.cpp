// SPDX-License-Identifier: Apache-2.0
// cursor.cpp — cursor tokens: base64url(JSON) "." base64url(HMAC-SHA256[0..16]).
#include "cursor.h"

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"

namespace ferry::bridge {

namespace {
constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kMaxTokenBytes = 8192;
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
    const std::string mac = hmac_sha256(key_, payload).substr(0, kMacBytes);
    return base64url_encode(payload) + "." + base64url_encode(mac);
}

Result<Cursor> CursorCodec::decode(std::string_view token, std::string_view dataset) const {
    const auto bad = [] {
        return Status::invalid_argument("parameter \"since\": not a cursor this bridge issued")
            .with_field("since");
    };
    const std::size_t dot = token.find('.');
    if (token.size() > kMaxTokenBytes || dot == std::string_view::npos) {
        return bad();
    }
    std::string payload;
    std::string mac;
    if (!base64url_decode(token.substr(0, dot), payload) ||
        !base64url_decode(token.substr(dot + 1), mac)) {
        return bad();
    }
    if (!constant_time_equal(mac, hmac_sha256(key_, payload).substr(0, kMacBytes))) {
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

// SPDX-License-Identifier: Apache-2.0
// crypto.h — the few digests the bridge needs (API-key hashes, the audit chain, signed cursors),
// over OpenSSL.
#pragma once

#include <string>
#include <string_view>

namespace ferry::bridge {

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// Raw (32-byte) HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

/// Compares in time independent of where the strings differ (keys, signatures).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// AES-256-GCM (authenticated encryption) of `plaintext` under a 32-byte `key`:
/// nonce (12 random bytes) + ciphertext + tag (16 bytes). `aad` is authenticated, not hidden.
std::string seal(std::string_view key, std::string_view aad, std::string_view plaintext);
/// The plaintext of what seal() made under the same key and aad; false when anything differs
/// (a changed byte, another key, a truncated token).
bool open_sealed(std::string_view key,
                 std::string_view aad,
                 std::string_view sealed,
                 std::string& plaintext);

/// `count` bytes from the OpenSSL CSPRNG.
std::string random_bytes(std::size_t count);

/// RFC 4648 §5 base64url without padding.
std::string base64url_encode(std::string_view bytes);
/// False when `text` holds anything outside the base64url alphabet or has an impossible length.
bool base64url_decode(std::string_view text, std::string& out);

std::string hex_encode(std::string_view bytes);

} // namespace ferry::bridge

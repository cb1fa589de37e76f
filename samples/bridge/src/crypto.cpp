// SPDX-License-Identifier: Apache-2.0
// crypto.cpp — SHA-256, HMAC-SHA256, random bytes and base64url through OpenSSL.
#include "crypto.h"

#include <array>
#include <cstdint>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdexcept>

namespace ferry::bridge {

std::string hex_encode(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char ch : bytes) {
        const auto byte = static_cast<unsigned char>(ch);
        out += kHex[byte >> 4];
        out += kHex[byte & 15];
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed"); // only on OpenSSL misconfiguration
    }
    return hex_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), size));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(),
             &size) == nullptr) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest.data()), size);
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct CipherContext {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();

    CipherContext() {
        if (ctx == nullptr) {
            throw std::runtime_error("cannot allocate a cipher context");
        }
    }

    ~CipherContext() { EVP_CIPHER_CTX_free(ctx); }

    CipherContext(const CipherContext&) = delete;
    CipherContext& operator=(const CipherContext&) = delete;
};

const unsigned char* bytes_of(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

} // namespace

std::string seal(std::string_view key, std::string_view aad, std::string_view plaintext) {
    if (key.size() != 32) {
        throw std::invalid_argument("seal: the key must be 32 bytes");
    }
    const std::string nonce = random_bytes(kNonceBytes);
    std::string out = nonce;
    out.resize(kNonceBytes + plaintext.size() + kTagBytes);
    auto* cipher = reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes;
    CipherContext c;
    int length = 0;
    int final_length = 0;
    if (EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, bytes_of(key), bytes_of(nonce)) !=
            1 ||
        EVP_EncryptUpdate(c.ctx, nullptr, &length, bytes_of(aad), static_cast<int>(aad.size())) !=
            1 ||
        EVP_EncryptUpdate(c.ctx, cipher, &length, bytes_of(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(c.ctx, cipher + length, &final_length) != 1 ||
        EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                            cipher + plaintext.size()) != 1) {
        throw std::runtime_error("AES-256-GCM failed"); // only on OpenSSL misconfiguration
    }
    return out;
}

bool open_sealed(std::string_view key,
                 std::string_view aad,
                 std::string_view sealed,
                 std::string& plaintext) {
    if (key.size() != 32 || sealed.size() < kNonceBytes + kTagBytes) {
        return false;
    }
    const std::string_view nonce = sealed.substr(0, kNonceBytes);
    const std::string_view cipher =
        sealed.substr(kNonceBytes, sealed.size() - kNonceBytes - kTagBytes);
    std::string tag(sealed.substr(sealed.size() - kTagBytes));
    plaintext.assign(cipher.size(), '\0');
    CipherContext c;
    int length = 0;
    int final_length = 0;
    return EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, bytes_of(key), bytes_of(nonce)) ==
               1 &&
           EVP_DecryptUpdate(c.ctx, nullptr, &length, bytes_of(aad),
                             static_cast<int>(aad.size())) == 1 &&
           EVP_DecryptUpdate(c.ctx, reinterpret_cast<unsigned char*>(plaintext.data()), &length,
                             bytes_of(cipher), static_cast<int>(cipher.size())) == 1 &&
           EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                               tag.data()) == 1 &&
           EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(plaintext.data()) + length,
                               &final_length) == 1;
}

std::string random_bytes(std::size_t count) {
    std::string out(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
        throw std::runtime_error("the random generator failed");
    }
    return out;
}

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char ch) noexcept {
    if (ch >= 'A' && ch <= 'Z') {
        return ch - 'A';
    }
    if (ch >= 'a' && ch <= 'z') {
        return ch - 'a' + 26;
    }
    if (ch >= '0' && ch <= '9') {
        return ch - '0' + 52;
    }
    if (ch == '-') {
        return 62;
    }
    if (ch == '_') {
        return 63;
    }
    return -1;
}
} // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char ch : bytes) {
        buffer = (buffer << 8) | static_cast<unsigned char>(ch);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 63U];
        }
    }
    if (bits > 0) {
        out += kAlphabet[(buffer << (6 - bits)) & 63U];
    }
    return out;
}

bool base64url_decode(std::string_view text, std::string& out) {
    if (text.size() % 4 == 1) {
        return false;
    }
    out.clear();
    out.reserve(text.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char ch : text) {
        const int value = decode_char(ch);
        if (value < 0) {
            return false;
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFFU);
        }
    }
    // Only the canonical encoding is accepted: leftover bits must be zero, so no two texts
    // decode to the same bytes.
    return (buffer & ((1U << bits) - 1U)) == 0;
}

} // namespace ferry::bridge

// SPDX-License-Identifier: Apache-2.0
// privacy.cpp — steps that protect a sensitive value before it leaves: masking (part stays
// readable), keyed pseudonyms (HMAC-SHA256 / HMAC-SM3: joinable, not readable) and redaction.
// Their descriptors declare the Protection the checker relies on.
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/text.h"

#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

namespace {

// ---- mask ----

bool starts_code_point(char byte) noexcept {
    return (static_cast<unsigned char>(byte) & 0xC0U) != 0x80U;
}

std::size_t count_code_points(std::string_view text) noexcept {
    std::size_t count = 0;
    for (const char byte : text) {
        count += starts_code_point(byte) ? 1U : 0U;
    }
    return count;
}

Result<BoundTransform> create_mask(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "mask", {TypeKind::Utf8}, "text"));
    // The schema bounds both at 0; sizes beyond any value behave like "keep all but one".
    const auto keep_first =
        static_cast<std::size_t>(arg_or<std::int64_t>(setup.args, "keep_first", 0));
    const auto keep_last =
        static_cast<std::size_t>(arg_or<std::int64_t>(setup.args, "keep_last", 0));
    std::string mask_char = arg_or<std::string>(setup.args, "char", "*");
    if (!is_valid_utf8(mask_char) || count_code_points(mask_char) != 1) {
        return bad_argument("mask", "char", "must be exactly one character");
    }
    auto transform = make_cell_transform(
        [keep_first, keep_last, mask_char](const Column& in, std::int64_t row,
                                           Column& out) -> std::optional<CellFailure> {
            const std::string_view text = in.text(row);
            const std::size_t length = count_code_points(text);
            std::size_t first = std::min(keep_first, length);
            std::size_t last = std::min(keep_last, length);
            if (length > 0 && first + last >= length) {
                // At least one character is always hidden: give up kept characters from the
                // end first (the tail is what identifies: check digits, last phone digits).
                std::size_t excess = first + last - (length - 1);
                const std::size_t from_last = std::min(excess, last);
                last -= from_last;
                excess -= from_last;
                first -= excess;
            }
            std::size_t prefix_end = 0;
            for (std::size_t seen = 0; prefix_end < text.size(); ++prefix_end) {
                if (starts_code_point(text[prefix_end]) && seen++ == first) {
                    break;
                }
            }
            std::size_t suffix_begin = text.size();
            for (std::size_t seen = 0; seen < last;) {
                --suffix_begin;
                seen += starts_code_point(text[suffix_begin]) ? 1U : 0U;
            }
            std::string& cell = out.open_cell();
            cell.append(text.substr(0, prefix_end));
            for (std::size_t hidden = length - first - last; hidden > 0; --hidden) {
                cell.append(mask_char);
            }
            cell.append(text.substr(suffix_begin));
            out.close_cell();
            return std::nullopt;
        });
    return BoundTransform{std::move(transform), DataType::utf8()};
}

// ---- hmac_sha256 / hmac_sm3 ----

/// Key bytes that are wiped when the last transform using them goes.
struct HmacKey {
    std::string bytes;

    explicit HmacKey(std::string key)
        : bytes(std::move(key)) {}

    HmacKey(const HmacKey&) = delete;
    HmacKey& operator=(const HmacKey&) = delete;

    ~HmacKey() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

struct MacCtxFree {
    void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};

using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

/// A context keyed for `digest`, or null (OpenSSL's error queue says why).
MacCtx keyed_context(EVP_MAC* mac, const HmacKey& key, const char* digest) {
    MacCtx ctx(EVP_MAC_CTX_new(mac));
    // OSSL_PARAM is a C struct without const; OpenSSL only reads the string.
    std::array<OSSL_PARAM, 2> params{
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
        OSSL_PARAM_construct_end()};
    if (ctx == nullptr ||
        EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.bytes.data()),
                     key.bytes.size(), params.data()) != 1) {
        return nullptr;
    }
    return ctx;
}

std::string openssl_error() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        return "no detail from OpenSSL";
    }
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    return text.data();
}

class HmacTransform final : public Transform {
public:
    HmacTransform(std::string op,
                  std::shared_ptr<EVP_MAC> mac,
                  std::shared_ptr<const HmacKey> key,
                  const char* digest,
                  bool base64)
        : op_(std::move(op))
        , mac_(std::move(mac))
        , key_(std::move(key))
        , digest_(digest)
        , base64_(base64) {}

    void
    apply(std::span<const Column* const> inputs, Column& out, RowErrors& errors) const override {
        const Column& in = *inputs[0];
        const std::int64_t rows = in.size();
        out.reserve(rows, static_cast<std::size_t>(rows) * (base64_ ? 44U : 64U));
        // A context per call: EVP_MAC_CTX is not thread-safe, and keying it once per batch
        // (then re-initialising it per row, which keeps the key) saves hashing the key per row.
        const MacCtx ctx = keyed_context(mac_.get(), *key_, digest_);
        if (ctx == nullptr) {
            ERR_clear_error();
        }
        std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
        for (std::int64_t row = 0; row < rows; ++row) {
            if (errors.rejected(row) || in.is_null(row)) {
                out.append_null();
                continue;
            }
            const std::string_view text = in.text(row);
            std::size_t digest_size = 0;
            if (ctx == nullptr || EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) != 1 ||
                EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(text.data()),
                               text.size()) != 1 ||
                EVP_MAC_final(ctx.get(), digest.data(), &digest_size, digest.size()) != 1) {
                ERR_clear_error();
                errors.reject(row, op_, "OpenSSL failed to compute the HMAC");
                out.append_null();
                continue;
            }
            append_encoded(
                std::string_view(reinterpret_cast<const char*>(digest.data()), digest_size), out);
        }
    }

private:
    void append_encoded(std::string_view digest, Column& out) const {
        std::string& cell = out.open_cell();
        if (base64_) {
            // Standard alphabet with '=' padding; 4 characters per 3 bytes plus EVP's NUL.
            std::array<unsigned char, (EVP_MAX_MD_SIZE + 2) / 3 * 4 + 1> encoded{};
            const int size = EVP_EncodeBlock(encoded.data(),
                                             reinterpret_cast<const unsigned char*>(digest.data()),
                                             static_cast<int>(digest.size()));
            cell.append(reinterpret_cast<const char*>(encoded.data()),
                        static_cast<std::size_t>(size));
        } else {
            static constexpr std::string_view kHex = "0123456789abcdef";
            for (const char byte : digest) {
                const auto value = static_cast<unsigned char>(byte);
                cell.push_back(kHex[value >> 4U]);
                cell.push_back(kHex[value & 0x0FU]);
            }
        }
        out.close_cell();
    }

    std::string op_;
    std::shared_ptr<EVP_MAC> mac_;
    std::shared_ptr<const HmacKey> key_;
    const char* digest_; // a string literal: "SHA256" or "SM3"
    bool base64_;
};

Result<BoundTransform>
create_hmac(const TransformSetup& setup, const char* op, const char* digest) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, op, {TypeKind::Utf8}, "text"));
    const std::string key_name = setup.args.at("key").get<std::string>();
    const std::string* secret = setup.secret ? setup.secret(key_name) : nullptr;
    if (secret == nullptr) {
        return bad_argument(op, "key", "secret \"" + key_name + "\" is not configured");
    }
    if (secret->empty()) {
        return bad_argument(op, "key", "secret \"" + key_name + "\" is empty");
    }
    const bool base64 = arg_or<std::string>(setup.args, "output", "hex") == "base64";
    std::shared_ptr<EVP_MAC> mac(EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr), EVP_MAC_free);
    auto key = std::make_shared<const HmacKey>(*secret);
    // Try the digest once here, so an OpenSSL without it (SM3 under a FIPS-only provider)
    // fails the mapping instead of rejecting every row.
    if (mac == nullptr || keyed_context(mac.get(), *key, digest) == nullptr) {
        return Status::not_implemented(std::string(op) +
                                       ": this OpenSSL cannot compute HMAC with " + digest + ": " +
                                       openssl_error());
    }
    return BoundTransform{
        std::make_unique<HmacTransform>(op, std::move(mac), std::move(key), digest, base64),
        DataType::utf8()};
}

constexpr const char* kHmacSchema =
    R"json({"type":"object","required":["key"],"additionalProperties":false,"properties":{
        "key":{"type":"string","minLength":1,
               "description":"name of the secret holding the HMAC key (never the key itself)"},
        "output":{"enum":["hex","base64"],
                  "description":"lower-case hex (default) or padded standard base64"}}})json";

// ---- redact ----

Result<BoundTransform> create_redact(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(
        require_inputs(setup, "redact",
                       {TypeKind::Bool, TypeKind::Int64, TypeKind::Decimal128, TypeKind::Date32,
                        TypeKind::TimestampMicros, TypeKind::Utf8, TypeKind::Binary},
                       "scalar"));
    const auto with = setup.args.find("with");
    if (with == setup.args.end() || with->is_null()) {
        // Keeps the input type, so the step fits wherever the value would have gone.
        return BoundTransform{make_cell_transform([](const Column&, std::int64_t,
                                                     Column& out) -> std::optional<CellFailure> {
                                  out.append_null();
                                  return std::nullopt;
                              }),
                              setup.input_types.front()};
    }
    std::string replacement = with->get<std::string>();
    if (!is_valid_utf8(replacement)) {
        return bad_argument("redact", "with", "is not valid UTF-8");
    }
    return BoundTransform{
        make_cell_transform(
            [replacement](const Column&, std::int64_t, Column& out) -> std::optional<CellFailure> {
                out.append_text(replacement);
                return std::nullopt;
            }),
        DataType::utf8()};
}

} // namespace

void register_privacy(TransformRegistry& registry) {
    must_add(registry,
             {"mask", "hides the middle of a text, keeping the first and last few characters",
              R"json({"type":"object","additionalProperties":false,"properties":{
                  "keep_first":{"type":"integer","minimum":0,
                                "description":"characters kept at the start (default 0)"},
                  "keep_last":{"type":"integer","minimum":0,
                               "description":"characters kept at the end (default 0)"},
                  "char":{"type":"string",
                          "description":"the one character each hidden character becomes (default *)"}}})json",
              1, 1, Protection::Masks, create_mask});
    must_add(registry,
             {"hmac_sha256", "a keyed HMAC-SHA256 pseudonym of a text (joinable, not readable)",
              kHmacSchema, 1, 1, Protection::Pseudonymises, [](const TransformSetup& setup) {
                  return create_hmac(setup, "hmac_sha256", "SHA256");
              }});
    must_add(registry,
             {"hmac_sm3", "a keyed HMAC-SM3 pseudonym of a text (joinable, not readable)",
              kHmacSchema, 1, 1, Protection::Pseudonymises,
              [](const TransformSetup& setup) { return create_hmac(setup, "hmac_sm3", "SM3"); }});
    must_add(registry, {"redact", "replaces every non-null value with a constant (null by default)",
                        R"json({"type":"object","additionalProperties":false,"properties":{
                  "with":{"type":["string","null"],
                          "description":"what every non-null value becomes (default null)"}}})json",
                        1, 1, Protection::Redacts, create_redact});
}

} // namespace ferry::transforms

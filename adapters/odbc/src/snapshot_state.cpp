// SPDX-License-Identifier: Apache-2.0
// snapshot_state.cpp — see snapshot_state.h. Sorted keys share long prefixes (serial numbers,
// region codes), so storing only what differs from the previous key keeps a million-row state
// at about 11 MB raw (15 MB as base64) instead of a map of strings.
#include "snapshot_state.h"

#include <algorithm>
#include <openssl/evp.h>

namespace ferry::odbc {

namespace {

void put_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

bool get_varint(std::string_view in, std::size_t& pos, std::uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64 && pos < in.size(); shift += 7) {
        const auto byte = static_cast<unsigned char>(in[pos++]);
        value |= std::uint64_t{byte & 0x7fu} << shift;
        if ((byte & 0x80u) == 0) {
            return true;
        }
    }
    return false;
}

Status malformed(const std::string& why) {
    return Status::invalid_argument("snapshot state is malformed: " + why +
                                    " (pass back the checkpoint of a completed run unchanged)");
}

} // namespace

std::string encode_key(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& part : parts) {
        put_varint(out, part.size());
        out += part;
    }
    return out;
}

Result<std::vector<std::string>> decode_key(std::string_view encoded) {
    std::vector<std::string> parts;
    std::size_t pos = 0;
    while (pos < encoded.size()) {
        std::uint64_t length = 0;
        if (!get_varint(encoded, pos, length) || length > encoded.size() - pos) {
            return malformed("a key is cut short");
        }
        parts.emplace_back(encoded.substr(pos, length));
        pos += length;
    }
    return parts;
}

void SnapshotWriter::append(std::string_view encoded_key, const RowHash& hash) {
    std::size_t shared = 0;
    const std::size_t limit = std::min(encoded_key.size(), last_key_.size());
    while (shared < limit && encoded_key[shared] == last_key_[shared]) {
        ++shared;
    }
    put_varint(bytes_, shared);
    put_varint(bytes_, encoded_key.size() - shared);
    bytes_.append(encoded_key.substr(shared));
    bytes_.append(reinterpret_cast<const char*>(hash.data()), hash.size());
    last_key_.assign(encoded_key);
    ++entries_;
}

std::string SnapshotWriter::base64() const {
    std::string out(4 * ((bytes_.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(bytes_.data()),
                                        static_cast<int>(bytes_.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

Result<SnapshotReader> SnapshotReader::open(std::string_view base64, std::int64_t entries) {
    SnapshotReader reader;
    if (base64.size() % 4 != 0 || entries < 0) {
        return malformed("entries are not base64 of whole entries");
    }
    reader.bytes_.resize(base64.size() / 4 * 3);
    const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(reader.bytes_.data()),
                                        reinterpret_cast<const unsigned char*>(base64.data()),
                                        static_cast<int>(base64.size()));
    if (decoded < 0) {
        return malformed("entries are not base64");
    }
    // EVP_DecodeBlock counts the padding as zero bytes.
    std::size_t size = static_cast<std::size_t>(decoded);
    for (std::size_t tail = base64.size(); tail > 0 && base64[tail - 1] == '='; --tail) {
        --size;
    }
    reader.bytes_.resize(size);
    reader.remaining_ = entries;
    FERRY_RETURN_IF_ERROR(reader.next());
    return reader;
}

Status SnapshotReader::next() {
    if (remaining_ == 0) {
        if (pos_ != bytes_.size()) {
            return malformed("more bytes than entries");
        }
        at_end_ = true;
        return {};
    }
    std::uint64_t shared = 0;
    std::uint64_t suffix = 0;
    if (!get_varint(bytes_, pos_, shared) || !get_varint(bytes_, pos_, suffix) ||
        shared > key_.size() || suffix > bytes_.size() - pos_ ||
        bytes_.size() - pos_ - suffix < hash_.size()) {
        return malformed("an entry is cut short");
    }
    key_.resize(shared);
    key_.append(bytes_, pos_, suffix);
    pos_ += suffix;
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_), hash_.size(), hash_.begin());
    pos_ += hash_.size();
    --remaining_;
    return {};
}

} // namespace ferry::odbc

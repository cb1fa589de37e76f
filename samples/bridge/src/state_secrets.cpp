// SPDX-License-Identifier: Apache-2.0
// state_secrets.cpp — pseudonym keys that last (see state_secrets.h).
#include "state_secrets.h"

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"

namespace ferry::bridge {

namespace {

Status check_name(const std::string& name) {
    if (name.empty() || name.size() > 64) {
        return Status::invalid_argument("a secret's name must be 1 to 64 characters");
    }
    for (const char ch : name) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        if (!ok) {
            return Status::invalid_argument("secret name \"" + name +
                                            "\" may hold only letters, digits, '_' and '-'");
        }
    }
    return {};
}

Result<std::string> read_secret(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    std::string value = text.str();
    while (!value.empty() &&
           (value.back() == '\n' || value.back() == '\r' || value.back() == ' ')) {
        value.pop_back();
    }
    if (!in || value.size() < 16) {
        return Status::invalid_argument("secret file " + file.string() +
                                        " is unreadable or holds fewer than 16 characters");
    }
    return value;
}

// Creates the file with O_EXCL: false (and nothing written) when it already exists.
Result<bool> create_secret(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            return false;
        }
        return Status::io("cannot create secret file " + file.string());
    }
    const std::string value = base64url_encode(random_bytes(32)) + "\n";
    const ssize_t written = ::write(fd, value.data(), value.size());
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (written != static_cast<ssize_t>(value.size()) || !synced) {
        std::error_code ignored;
        std::filesystem::remove(file, ignored);
        return Status::io("cannot write secret file " + file.string());
    }
    return true;
}

Status make_private_dir(const std::filesystem::path& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error || ::chmod(dir.c_str(), 0700) != 0) {
        return Status::io("cannot create the secrets directory " + dir.string());
    }
    return {};
}

} // namespace

Result<std::string> load_or_create_secret(const std::filesystem::path& dir,
                                          const std::string& name) {
    FERRY_RETURN_IF_ERROR(check_name(name));
    const std::filesystem::path file = dir / (name + ".key");
    if (!std::filesystem::exists(file)) {
        FERRY_RETURN_IF_ERROR(make_private_dir(dir));
        FERRY_RETURN_IF_ERROR(create_secret(file).status()); // lost a race: read theirs
    }
    return read_secret(file);
}

Result<std::filesystem::path> rotate_secret(const std::filesystem::path& dir,
                                            const std::string& name) {
    FERRY_RETURN_IF_ERROR(check_name(name));
    FERRY_RETURN_IF_ERROR(make_private_dir(dir));
    const std::filesystem::path file = dir / (name + ".key");
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    std::filesystem::path retired = file;
    retired += ".retired-" + std::to_string(seconds);
    std::error_code error;
    if (std::filesystem::exists(file)) {
        std::filesystem::rename(file, retired, error);
        if (error) {
            return Status::io("cannot retire secret file " + file.string() + ": " +
                              error.message());
        }
    } else {
        retired.clear();
    }
    FERRY_ASSIGN_OR_RETURN(const bool created, create_secret(file));
    if (!created) {
        return Status::io("secret file " + file.string() + " reappeared during rotation");
    }
    return retired;
}

} // namespace ferry::bridge

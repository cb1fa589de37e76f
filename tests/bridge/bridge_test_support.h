// SPDX-License-Identifier: Apache-2.0
// bridge_test_support.h — temporary folders and a bridge config over the example adapter.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace ferry::bridge::testing {

/// A fresh folder under the system temp dir, removed with the object.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

void write_file(const std::filesystem::path& file, const std::string& text);

/// The consumers file of the tests: "full" (purpose, expiry, clear name), "masked" (purpose,
/// expiry), "open" (no purpose), "expired", "ops" (operator). Keys are "key-<id>".
nlohmann::json test_consumers();

/// A config over the example adapter (`count` persons, every 25th dirty) with dataset
/// "persons", its consumers file written next to it. Returns the config path.
std::filesystem::path
write_synthetic_config(const std::filesystem::path& dir,
                       int count = 1000,
                       const nlohmann::json& extra = nlohmann::json::object());

/// The source tree and the example adapter module (compile definitions of the test target).
std::filesystem::path source_dir();
std::filesystem::path synthetic_plugin();

} // namespace ferry::bridge::testing

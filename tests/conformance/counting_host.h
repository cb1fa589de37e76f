// SPDX-License-Identifier: Apache-2.0
// counting_host.h — a minimal host for the conformance suite: dlopen + init, and a ledger that
// checks every struct the plugin hands over is released exactly once and marks itself released.
#pragma once

#include <cstring>
#include <dlfcn.h>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "ferry/plugin_abi.h"

namespace ferry::conformance {

/// The suite's configuration (FERRY_CONFORMANCE_CONFIG names a JSON file); see README.md here.
struct Config {
    std::string plugin;
    nlohmann::json raw;

    static Config load();
    /// The object under errors.<call>, or null. A quirk is {"quirk": "why it cannot be provoked"}.
    nlohmann::json error_case(const char* call) const;
};

/// Counts structs received from the plugin and their releases.
struct Ledger {
    int acquired = 0;
    int released = 0;

    template <typename T>
    void release(T* item) {
        if (item->release == nullptr) {
            throw std::logic_error("released a struct that was already released");
        }
        item->release(item);
        ++released;
        if (item->release != nullptr) {
            throw std::logic_error("release did not set release to NULL");
        }
    }

    template <typename T>
    void take(const T& item) {
        if (item.release == nullptr) {
            throw std::logic_error("plugin returned FERRY_OK with a released struct");
        }
        ++acquired;
    }
};

/// dlopen'd plugin with its API, released and closed on destruction.
class LoadedPlugin {
public:
    explicit LoadedPlugin(const std::string& path);
    ~LoadedPlugin();
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    FerryPluginInitFunc init() const noexcept { return init_; }

    /// Runs init at the given version into `api` (zeroed first).
    FerryStatus initialise(std::uint32_t version, FerryPluginApi& api, FerryError& error) const;

    FerryPluginApi& api() { return api_; }

private:
    void* handle_ = nullptr;
    FerryPluginInitFunc init_ = nullptr;
    FerryHostApi host_{};
    FerryPluginApi api_{};
};

/// Releases a FerryError if set and returns whether it carried a message.
bool error_has_message(FerryError& error);

} // namespace ferry::conformance

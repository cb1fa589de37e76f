// SPDX-License-Identifier: Apache-2.0
// counting_host.cpp — loading a plugin for the conformance suite without the SDK's host classes,
// so the suite tests the C ABI itself.
#include "counting_host.h"

#include <cstdlib>
#include <fstream>

namespace ferry::conformance {

namespace {

void count_log(void* host_ctx, std::int32_t level, const char* message) {
    (void)host_ctx;
    (void)level;
    if (message == nullptr) {
        throw std::logic_error("plugin logged a NULL message");
    }
}

} // namespace

Config Config::load() {
    const char* path = std::getenv("FERRY_CONFORMANCE_CONFIG");
    if (path == nullptr) {
        throw std::runtime_error("FERRY_CONFORMANCE_CONFIG is not set");
    }
    std::ifstream file(path);
    if (!file) {
        throw std::runtime_error(std::string("cannot read ") + path);
    }
    Config config;
    config.raw = nlohmann::json::parse(file);
    config.plugin = config.raw.at("plugin").get<std::string>();
    return config;
}

nlohmann::json Config::error_case(const char* call) const {
    if (!raw.contains("errors") || !raw["errors"].contains(call)) {
        return nullptr;
    }
    return raw["errors"][call];
}

LoadedPlugin::LoadedPlugin(const std::string& path) {
    handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
        throw std::runtime_error(std::string("dlopen failed: ") + dlerror());
    }
    void* symbol = dlsym(handle_, FERRY_PLUGIN_INIT_SYMBOL);
    if (symbol == nullptr) {
        throw std::runtime_error("no FerryPluginInit in " + path);
    }
    std::memcpy(&init_, &symbol, sizeof init_);
    host_.struct_size = sizeof host_;
    host_.log = &count_log;
    // Newest first, as every host negotiates: a 1.0 plugin refuses 1.2 and 1.1, accepts 1.0.
    for (const std::uint32_t version :
         {FERRY_ABI_VERSION_1_2, FERRY_ABI_VERSION_1_1, FERRY_ABI_VERSION_1_0}) {
        host_.abi_version = version;
        FerryError error{};
        const FerryStatus code = initialise(version, api_, error);
        error_has_message(error);
        if (code == FERRY_OK) {
            return;
        }
        if (code != FERRY_E_NOT_IMPLEMENTED) {
            break;
        }
    }
    throw std::runtime_error("FerryPluginInit failed for " + path);
}

LoadedPlugin::~LoadedPlugin() {
    if (api_.release != nullptr) {
        api_.release(&api_);
    }
#if !defined(FERRY_SANITIZE)
    dlclose(handle_);
#endif
}

FerryStatus
LoadedPlugin::initialise(std::uint32_t version, FerryPluginApi& api, FerryError& error) const {
    api = FerryPluginApi{};
    return init_(version, &host_, &api, &error);
}

bool error_has_message(FerryError& error) {
    const bool has = error.message != nullptr && error.message[0] != '\0';
    if (error.release != nullptr) {
        error.release(&error);
        if (error.release != nullptr) {
            throw std::logic_error("FerryError release did not set release to NULL");
        }
    }
    return has;
}

} // namespace ferry::conformance

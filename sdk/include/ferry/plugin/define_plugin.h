// SPDX-License-Identifier: Apache-2.0
// ferry/plugin/define_plugin.h — FERRY_DEFINE_PLUGIN: turns a Source class into a C ABI plugin.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "ferry/plugin/source.h"
#include "ferry/plugin_abi.h"
#include "ferry/result.h"

namespace ferry::plugin::detail {

/// What FERRY_DEFINE_PLUGIN records about a Source class; the SDK's noexcept trampolines do the
/// rest (version negotiation, exception fencing, Status -> FerryError, batches, cancel).
struct PluginDescriptor {
    const char* name;
    const char* version;
    const char* description;
    const char* options_schema;
    Result<std::unique_ptr<Source>> (*create)(const nlohmann::json& options);
};

FerryStatus init_plugin(const PluginDescriptor* descriptor,
                        std::uint32_t abi_version,
                        const FerryHostApi* host,
                        FerryPluginApi* out,
                        FerryError* error) noexcept;

template <typename SourceClass>
Result<std::unique_ptr<Source>> create_source(const nlohmann::json& options) {
    FERRY_ASSIGN_OR_RETURN(std::unique_ptr<SourceClass> source, SourceClass::create(options));
    return std::unique_ptr<Source>(std::move(source));
}

} // namespace ferry::plugin::detail

// A plugin built as a loadable module (ferry_add_adapter sets FERRY_PLUGIN_MODULE) exports only
// FerryPluginInit; FerryPlugin<Name>Init stays hidden there. In a static library, for linking
// into a host or a test directly, FerryPlugin<Name>Init is the entry point (SQLite's
// sqlite3_X_init idea), so several adapters can share one binary.
#if defined(FERRY_PLUGIN_MODULE)
#    define FERRY_PLUGIN_NAMED_VISIBILITY_ __attribute__((visibility("hidden")))
#    define FERRY_PLUGIN_MODULE_ENTRY_(Name)                                                       \
        extern "C" __attribute__((visibility("default"))) FerryStatus FerryPluginInit(             \
            std::uint32_t abi_version, const FerryHostApi* host, FerryPluginApi* out,              \
            FerryError* error) {                                                                   \
            return FerryPlugin##Name##Init(abi_version, host, out, error);                         \
        }
#else
#    define FERRY_PLUGIN_NAMED_VISIBILITY_ __attribute__((visibility("default")))
#    define FERRY_PLUGIN_MODULE_ENTRY_(Name)
#endif

/// Defines the plugin entry points for SourceClass (see ferry/plugin/source.h). `Name` is a
/// C identifier fragment: FERRY_DEFINE_PLUGIN(Odbc, OdbcSource) defines FerryPluginOdbcInit.
#define FERRY_DEFINE_PLUGIN(Name, SourceClass)                                                     \
    extern "C" FERRY_PLUGIN_NAMED_VISIBILITY_ FerryStatus FerryPlugin##Name##Init(                 \
        std::uint32_t abi_version, const FerryHostApi* host, FerryPluginApi* out,                  \
        FerryError* error) {                                                                       \
        static const ::ferry::plugin::detail::PluginDescriptor descriptor{                         \
            SourceClass::kName, SourceClass::kVersion, SourceClass::kDescription,                  \
            SourceClass::kOptionsSchema, &::ferry::plugin::detail::create_source<SourceClass>};    \
        return ::ferry::plugin::detail::init_plugin(&descriptor, abi_version, host, out, error);   \
    }                                                                                              \
    FERRY_PLUGIN_MODULE_ENTRY_(Name)                                                               \
    static_assert(true, "FERRY_DEFINE_PLUGIN needs a trailing semicolon")

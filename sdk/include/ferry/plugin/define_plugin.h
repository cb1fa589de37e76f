// SPDX-License-Identifier: Apache-2.0
// ferry/plugin/define_plugin.h — FERRY_DEFINE_PLUGIN: turns a Source class into a C ABI plugin.
#pragma once

#include <concepts>
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

// What FERRY_DEFINE_PLUGIN needs of a class, one concept per member, so that a class missing
// one fails a static_assert that says so in a sentence instead of a page of template errors.
template <typename T>
concept HasName = requires {
    { T::kName } -> std::convertible_to<const char*>;
};

template <typename T>
concept HasVersion = requires {
    { T::kVersion } -> std::convertible_to<const char*>;
};

template <typename T>
concept HasDescription = requires {
    { T::kDescription } -> std::convertible_to<const char*>;
};

template <typename T>
concept HasOptionsSchema = requires {
    { T::kOptionsSchema } -> std::convertible_to<const char*>;
};

template <typename T>
concept HasCreate = requires(const nlohmann::json& options) {
    { T::create(options) } -> std::same_as<Result<std::unique_ptr<T>>>;
};

template <typename T>
concept PluginClass = std::derived_from<T, Source> && HasName<T> && HasVersion<T> &&
    HasDescription<T> && HasOptionsSchema<T> && HasCreate<T>;

/// The descriptor FERRY_DEFINE_PLUGIN registers; null (after its static_asserts have said why)
/// for a class that is not a plugin class, so that no second wave of errors follows.
template <typename SourceClass>
const PluginDescriptor* descriptor_of() noexcept {
    if constexpr (PluginClass<SourceClass>) {
        static const PluginDescriptor descriptor{
            SourceClass::kName, SourceClass::kVersion, SourceClass::kDescription,
            SourceClass::kOptionsSchema, &create_source<SourceClass>};
        return &descriptor;
    } else {
        return nullptr;
    }
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

// Each member the class lacks is one sentence, e.g. "FERRY_DEFINE_PLUGIN(Odbc, OdbcSource):
// OdbcSource needs `static Result<std::unique_ptr<OdbcSource>> create(const nlohmann::json&
// options)`" (tests/unit/define_plugin_errors.cmake checks that it is the first error).
#define FERRY_PLUGIN_REQUIRE_(Name, SourceClass, concept_name, what)                               \
    static_assert(::ferry::plugin::detail::concept_name<SourceClass>,                              \
                  "FERRY_DEFINE_PLUGIN(" #Name ", " #SourceClass "): " #SourceClass " " what)
#define FERRY_PLUGIN_REQUIRE_MEMBERS_(Name, SourceClass)                                           \
    static_assert(std::derived_from<SourceClass, ::ferry::plugin::Source>,                         \
                  "FERRY_DEFINE_PLUGIN(" #Name ", " #SourceClass "): " #SourceClass                \
                  " must derive publicly from ferry::plugin::Source");                             \
    FERRY_PLUGIN_REQUIRE_(Name, SourceClass, HasName,                                              \
                          "needs `static constexpr const char* kName` (the plugin's name)");       \
    FERRY_PLUGIN_REQUIRE_(Name, SourceClass, HasVersion,                                           \
                          "needs `static constexpr const char* kVersion` (\"1.0.0\")");            \
    FERRY_PLUGIN_REQUIRE_(Name, SourceClass, HasDescription,                                       \
                          "needs `static constexpr const char* kDescription` (one line)");         \
    FERRY_PLUGIN_REQUIRE_(Name, SourceClass, HasOptionsSchema,                                     \
                          "needs `static constexpr const char* kOptionsSchema` (a JSON Schema)");  \
    FERRY_PLUGIN_REQUIRE_(Name, SourceClass, HasCreate,                                            \
                          "needs `static Result<std::unique_ptr<" #SourceClass                     \
                          ">> create(const nlohmann::json& options)`")

/// Defines the plugin entry points for SourceClass (see ferry/plugin/source.h). `Name` is a
/// C identifier fragment: FERRY_DEFINE_PLUGIN(Odbc, OdbcSource) defines FerryPluginOdbcInit.
/// A class that lacks a member fails to compile with a sentence naming it (C++20 concepts).
#define FERRY_DEFINE_PLUGIN(Name, SourceClass)                                                     \
    FERRY_PLUGIN_REQUIRE_MEMBERS_(Name, SourceClass);                                              \
    extern "C" FERRY_PLUGIN_NAMED_VISIBILITY_ FerryStatus FerryPlugin##Name##Init(                 \
        std::uint32_t abi_version, const FerryHostApi* host, FerryPluginApi* out,                  \
        FerryError* error) {                                                                       \
        return ::ferry::plugin::detail::init_plugin(                                               \
            ::ferry::plugin::detail::descriptor_of<SourceClass>(), abi_version, host, out, error); \
    }                                                                                              \
    FERRY_PLUGIN_MODULE_ENTRY_(Name)                                                               \
    static_assert(true, "FERRY_DEFINE_PLUGIN needs a trailing semicolon")

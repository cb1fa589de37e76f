# cmake -DCXX=<compiler> -DINCLUDES=<dir|dir…> -DSYSTEM_INCLUDES=<dir|dir…> -DWORK_DIR=<dir>
#       -P define_plugin_errors.cmake
# FERRY_DEFINE_PLUGIN on a class that lacks a member must fail with one sentence that names the
# member, as the first error and the only one (no page of template errors after it). A complete
# class must compile, so the test cannot pass vacuously.
file(MAKE_DIRECTORY "${WORK_DIR}")
set(source "${WORK_DIR}/define_plugin_errors.cpp")
file(WRITE "${source}" [=[
#include <memory>

#include <ferry/plugin/define_plugin.h>
#include <ferry/plugin/source.h>

#if defined(NOT_A_SOURCE)
#    define ADAPTER_BASE
#    define ADAPTER_OVERRIDE
#else
#    define ADAPTER_BASE : public ferry::plugin::Source
#    define ADAPTER_OVERRIDE override
#endif

class Adapter ADAPTER_BASE {
public:
    static constexpr const char* kName = "adapter";
    static constexpr const char* kVersion = "1.0.0";
    static constexpr const char* kDescription = "a test adapter";
#if !defined(NO_OPTIONS_SCHEMA)
    static constexpr const char* kOptionsSchema = R"({"type": "object"})";
#endif
#if defined(CREATE_RETURNS_POINTER)
    static std::unique_ptr<Adapter> create(const nlohmann::json&) {
        return std::make_unique<Adapter>();
    }
#elif !defined(NO_CREATE)
    static ferry::Result<std::unique_ptr<Adapter>> create(const nlohmann::json&) {
        return std::make_unique<Adapter>();
    }
#endif
    ferry::Result<nlohmann::json> discover() ADAPTER_OVERRIDE { return nlohmann::json::object(); }
    ferry::Result<std::unique_ptr<ferry::plugin::Stream>>
    open_stream(const ferry::plugin::StreamRequest&) ADAPTER_OVERRIDE {
        return ferry::Status::not_found("no datasets");
    }
};

FERRY_DEFINE_PLUGIN(Sample, Adapter);
]=])

set(flags -std=c++20 -fsyntax-only -fdiagnostics-color=never)
string(REPLACE "|" ";" include_dirs "${INCLUDES}")
foreach(dir IN LISTS include_dirs)
    list(APPEND flags "-I${dir}")
endforeach()
string(REPLACE "|" ";" system_dirs "${SYSTEM_INCLUDES}")
foreach(dir IN LISTS system_dirs)
    if(dir)
        list(APPEND flags "-isystem" "${dir}")
    endif()
endforeach()

set(prefix "FERRY_DEFINE_PLUGIN(Sample, Adapter): Adapter")
set(cases
    "COMPLETE|"
    "NO_CREATE|${prefix} needs `static Result<std::unique_ptr<Adapter>> create(const nlohmann::json& options)`"
    "CREATE_RETURNS_POINTER|${prefix} needs `static Result<std::unique_ptr<Adapter>> create(const nlohmann::json& options)`"
    "NO_OPTIONS_SCHEMA|${prefix} needs `static constexpr const char* kOptionsSchema` (a JSON Schema)"
    "NOT_A_SOURCE|${prefix} must derive publicly from ferry::plugin::Source")
set(failures "")
foreach(entry IN LISTS cases)
    string(FIND "${entry}" "|" bar)
    string(SUBSTRING "${entry}" 0 ${bar} define)
    math(EXPR after "${bar} + 1")
    string(SUBSTRING "${entry}" ${after} -1 sentence)
    execute_process(COMMAND "${CXX}" ${flags} "-D${define}" "${source}"
        RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(REGEX MATCHALL "error: [^\n]*" errors "${out}${err}")
    list(LENGTH errors error_count)
    if(sentence STREQUAL "")
        if(NOT status EQUAL 0)
            string(APPEND failures "${define}: a complete class does not compile:\n${err}\n")
        endif()
        continue()
    endif()
    list(GET errors 0 first)
    string(FIND "${first}" "${sentence}" found)
    if(status EQUAL 0 OR found EQUAL -1 OR NOT error_count EQUAL 1)
        string(APPEND failures "${define}: expected exactly one error, saying\n  ${sentence}\n"
            "got ${error_count}:\n${err}\n")
    else()
        message(STATUS "${define}: ${first}")
    endif()
endforeach()
if(failures)
    message(FATAL_ERROR "${failures}")
endif()

# ferry_add_adapter(NAME <name> SOURCES <files…> [LIBRARIES <targets…>])
#
# Builds an adapter two ways from one source (SQLite's and DuckDB's dual build), compiling all
# but the file that holds FERRY_DEFINE_PLUGIN only once:
#   ferry_adapter_<name>        a loadable module exporting only FerryPluginInit
#   ferry_adapter_<name>_static a static library exporting FerryPlugin<Name>Init, for hosts and
#                               tests that link adapters in
# Works in Ferry's tree and out of tree after find_package(Ferry).
set(FERRY_PLUGIN_MAP "${CMAKE_CURRENT_LIST_DIR}/ferry_plugin.map" CACHE INTERNAL "")

function(ferry_add_adapter)
    cmake_parse_arguments(ARG "" "NAME" "SOURCES;LIBRARIES" ${ARGN})
    if(NOT ARG_NAME OR NOT ARG_SOURCES)
        message(FATAL_ERROR "ferry_add_adapter: NAME and SOURCES are required")
    endif()
    set(module ferry_adapter_${ARG_NAME})

    # Only the file(s) holding FERRY_DEFINE_PLUGIN differ between the two builds (the module's
    # entry point is chosen at compile time); everything else is compiled once and shared.
    set(entry_sources "")
    set(shared_sources "")
    foreach(source IN LISTS ARG_SOURCES)
        get_filename_component(path ${source} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
        set(defines_plugin "")
        if(EXISTS ${path})
            file(STRINGS ${path} defines_plugin REGEX "FERRY_DEFINE_PLUGIN\\(")
        endif()
        if(defines_plugin OR NOT EXISTS ${path} OR NOT source MATCHES "\\.(c|cc|cpp|cxx)$")
            list(APPEND entry_sources ${source})
        else()
            list(APPEND shared_sources ${source})
        endif()
    endforeach()
    set(shared_objects "")
    if(shared_sources)
        add_library(${module}_objects OBJECT ${shared_sources})
        target_link_libraries(${module}_objects PUBLIC Ferry::sdk ${ARG_LIBRARIES})
        set_target_properties(${module}_objects PROPERTIES POSITION_INDEPENDENT_CODE ON)
        if(COMMAND ferry_set_warnings)
            ferry_set_warnings(${module}_objects)
        endif()
        set(shared_objects $<TARGET_OBJECTS:${module}_objects>)
    endif()

    add_library(${module} MODULE ${entry_sources} ${shared_objects})
    target_compile_definitions(${module} PRIVATE FERRY_PLUGIN_MODULE=1)
    target_link_libraries(${module} PRIVATE Ferry::sdk ${ARG_LIBRARIES})
    target_link_options(${module} PRIVATE
        "-Wl,--version-script=${FERRY_PLUGIN_MAP}" "-Wl,--no-undefined")
    set_target_properties(${module} PROPERTIES PREFIX "" LINK_DEPENDS "${FERRY_PLUGIN_MAP}")

    add_library(${module}_static STATIC ${entry_sources} ${shared_objects})
    target_link_libraries(${module}_static PUBLIC Ferry::sdk ${ARG_LIBRARIES})
    if(COMMAND ferry_set_warnings)
        ferry_set_warnings(${module})
        ferry_set_warnings(${module}_static)
    endif()
endfunction()

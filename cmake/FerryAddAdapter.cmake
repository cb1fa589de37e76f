# ferry_add_adapter(NAME <name> SOURCES <files…> [LIBRARIES <targets…>])
#
# Builds an adapter twice from one source (SQLite's and DuckDB's dual build):
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
    add_library(${module} MODULE ${ARG_SOURCES})
    target_compile_definitions(${module} PRIVATE FERRY_PLUGIN_MODULE=1)
    target_link_libraries(${module} PRIVATE Ferry::sdk ${ARG_LIBRARIES})
    target_link_options(${module} PRIVATE
        "-Wl,--version-script=${FERRY_PLUGIN_MAP}" "-Wl,--no-undefined")
    set_target_properties(${module} PROPERTIES PREFIX "" LINK_DEPENDS "${FERRY_PLUGIN_MAP}")

    add_library(${module}_static STATIC ${ARG_SOURCES})
    target_link_libraries(${module}_static PUBLIC Ferry::sdk ${ARG_LIBRARIES})
    if(COMMAND ferry_set_warnings)
        ferry_set_warnings(${module})
        ferry_set_warnings(${module}_static)
    endif()
endfunction()

# ferry_add_conformance(<name> <plugin target> <config template>)
#
# Registers Ferry's adapter conformance suite for one plugin with CTest, one test per case,
# named conformance.<name>.<case> and labelled "conformance" (`ctest -L conformance`). The
# template is the suite's JSON config (docs/conformance.md) with @PLUGIN@ standing for the
# plugin's path; the config is generated into the build directory at build time.
#
# Works in Ferry's own tree (a runner is linked per adapter from the suite's objects) and, after
# find_package(Ferry), in an adapter's own project, with the installed ferry-conformance. There,
# call enable_testing() (or include(CTest)) first, as for any add_test; FerryConfig.cmake sets
# FERRY_CONFORMANCE_EXECUTABLE to the installed runner (-D it to use another one).
function(ferry_add_conformance name plugin_target config_template)
    if(NOT TARGET ${plugin_target})
        message(FATAL_ERROR "ferry_add_conformance(${name}): no target ${plugin_target}")
    endif()
    file(READ ${config_template} template)
    string(REPLACE "@PLUGIN@" "$<TARGET_FILE:${plugin_target}>" template "${template}")
    set(config ${CMAKE_CURRENT_BINARY_DIR}/${name}.conformance.json)
    file(GENERATE OUTPUT ${config} CONTENT "${template}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${config_template})

    if(TARGET ferry_conformance_suite)
        # Ferry's own tree: one executable per adapter (the suite is compiled once), so each
        # gets its own test names.
        set(runner ferry_conformance_${name})
        add_executable(${runner} $<TARGET_OBJECTS:ferry_conformance_suite>)
        target_link_libraries(${runner} PRIVATE ferry_test_main ferry_sdk)
        add_dependencies(${runner} ${plugin_target})
        if(TARGET ferry_sanitized_tests)
            add_dependencies(ferry_sanitized_tests ${runner})
        endif()
        catch_discover_tests(${runner}
            TEST_PREFIX "conformance.${name}."
            PROPERTIES LABELS conformance ENVIRONMENT "FERRY_CONFORMANCE_CONFIG=${config}")
        return()
    endif()

    # An adapter's own project: the installed runner, one CTest test per suite case.
    set(runner "${FERRY_CONFORMANCE_EXECUTABLE}")
    if(NOT runner OR NOT EXISTS "${runner}")
        message(FATAL_ERROR "ferry_add_conformance(${name}): this Ferry installation has no "
            "ferry-conformance (\"${runner}\"); Ferry installs it when built with "
            "FERRY_BUILD_TESTS=ON, or set FERRY_CONFORMANCE_EXECUTABLE")
    endif()
    # Catch2 exits with the number of cases it lists, so only the listing itself counts.
    execute_process(COMMAND "${runner}" --list-test-names-only
        OUTPUT_VARIABLE listing ERROR_VARIABLE ignored)
    string(REPLACE "\n" ";" cases "${listing}")
    set(added 0)
    foreach(case IN LISTS cases)
        if(case STREQUAL "")
            continue()
        endif()
        # The same names as in Ferry's tree; the argument is a Catch2 test spec, so the
        # characters the spec parses are escaped.
        set(spec "${case}")
        foreach(char , [ ])
            string(REPLACE "${char}" "\\${char}" spec "${spec}")
        endforeach()
        add_test(NAME "conformance.${name}.${case}" COMMAND "${runner}" "${spec}")
        set_tests_properties("conformance.${name}.${case}" PROPERTIES
            LABELS conformance ENVIRONMENT "FERRY_CONFORMANCE_CONFIG=${config}")
        math(EXPR added "${added} + 1")
    endforeach()
    if(added EQUAL 0)
        message(FATAL_ERROR "ferry_add_conformance(${name}): ${runner} lists no conformance cases")
    endif()
endfunction()

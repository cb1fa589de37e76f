# ferry_add_fuzzer(NAME <name> SOURCES <files…> CORPUS <dir> [LIBRARIES <targets…>]
#                  [DICT <file>] [MAX_LEN <bytes>])
#
# A libFuzzer target ferry_fuzz_<name> (built by the aggregate target ferry_fuzzers) and a ctest
# fuzz.<name> (label "fuzz") that runs it for FERRY_FUZZ_SECONDS over its seed corpus <dir>.
# New inputs go to a scratch folder in the build tree, never into <dir>; any crash, leak,
# timeout, out-of-memory or UBSan report fails the test. Does nothing unless FERRY_BUILD_FUZZERS
# is ON, so adapters can call it unconditionally. docs/fuzzing.md says how to add one.
#
# FERRY_BUILD_FUZZERS=ON needs clang (libFuzzer ships with it) and instruments every target of
# the build (libraries with fuzzer-no-link coverage, ASan and UBSan), like FERRY_SANITIZE: use a
# build directory of its own and build only the target ferry_fuzzers.
set(FERRY_FUZZ_RUNNER "${CMAKE_CURRENT_LIST_DIR}/FerryFuzzRun.cmake" CACHE INTERNAL "")

if(FERRY_BUILD_FUZZERS)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "FERRY_BUILD_FUZZERS needs clang (libFuzzer): configure with "
            "CC=clang CXX=clang++ (Debian packages clang and libclang-rt-14-dev)")
    endif()
    set(FERRY_FUZZ_SECONDS 5 CACHE STRING "How long each fuzz.<name> ctest runs its fuzzer")
    set(FERRY_FUZZ_SEED 1 CACHE STRING
        "libFuzzer -seed of the ctest runs: the same mutations on every CI run (0 = random)")
    # Coverage feedback and both sanitizers on every object, so a bug in the SDK is caught where
    # it happens, not only in the fuzz target's own code; UBSan aborts like ASan does.
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
    add_custom_target(ferry_fuzzers)
endif()

function(ferry_add_fuzzer)
    cmake_parse_arguments(ARG "" "NAME;CORPUS;DICT;MAX_LEN" "SOURCES;LIBRARIES" ${ARGN})
    if(NOT ARG_NAME OR NOT ARG_SOURCES OR NOT ARG_CORPUS)
        message(FATAL_ERROR "ferry_add_fuzzer: NAME, SOURCES and CORPUS are required")
    endif()
    if(NOT FERRY_BUILD_FUZZERS)
        return()
    endif()
    get_filename_component(corpus ${ARG_CORPUS} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    if(NOT IS_DIRECTORY ${corpus})
        message(FATAL_ERROR "ferry_add_fuzzer(${ARG_NAME}): no seed corpus at ${corpus}")
    endif()
    set(target ferry_fuzz_${ARG_NAME})
    add_executable(${target} ${ARG_SOURCES})
    target_link_libraries(${target} PRIVATE ferry_sdk ${ARG_LIBRARIES})
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
    if(COMMAND ferry_set_warnings)
        ferry_set_warnings(${target})
    endif()
    add_dependencies(ferry_fuzzers ${target})

    set(options "")
    if(ARG_DICT)
        get_filename_component(dict ${ARG_DICT} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
        list(APPEND options -dict=${dict})
    endif()
    if(ARG_MAX_LEN)
        list(APPEND options -max_len=${ARG_MAX_LEN})
    endif()
    # For tests/fuzz/run_long.sh, one item a line: the fuzzer, its seeds, its own flags.
    string(REPLACE ";" "\n" option_lines "${options}")
    file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/fuzzers/${ARG_NAME}.txt
        CONTENT "$<TARGET_FILE:${target}>\n${corpus}\n${option_lines}\n")
    string(REPLACE ";" "," options_arg "${options}")
    add_test(NAME fuzz.${ARG_NAME}
        COMMAND ${CMAKE_COMMAND}
            -DFUZZER=$<TARGET_FILE:${target}>
            -DCORPUS=${corpus}
            -DWORK=${CMAKE_CURRENT_BINARY_DIR}/fuzz-work/${ARG_NAME}
            -DSECONDS=${FERRY_FUZZ_SECONDS}
            -DSEED=${FERRY_FUZZ_SEED}
            -DOPTIONS=${options_arg}
            -P ${FERRY_FUZZ_RUNNER})
    set_tests_properties(fuzz.${ARG_NAME} PROPERTIES LABELS fuzz
        TIMEOUT 300
        ENVIRONMENT "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1;ASAN_OPTIONS=detect_leaks=1")
endfunction()

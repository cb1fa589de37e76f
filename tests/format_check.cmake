# cmake -DSOURCE_DIR=… -DCLANG_FORMAT=… -P format_check.cmake
# Fails if any of Ferry's C++ files differs from the repository's .clang-format.
# The frozen ABI 1.0 headers under tests/abi/v1_0 are exempt: they must never change.
file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}"
    "${SOURCE_DIR}/sdk/*.h" "${SOURCE_DIR}/sdk/*.cpp"
    "${SOURCE_DIR}/adapters/*.h" "${SOURCE_DIR}/adapters/*.cpp"
    "${SOURCE_DIR}/samples/*.h" "${SOURCE_DIR}/samples/*.cpp"
    "${SOURCE_DIR}/tests/*.h" "${SOURCE_DIR}/tests/*.cpp"
    "${SOURCE_DIR}/bench/*.h" "${SOURCE_DIR}/bench/*.cpp")
list(FILTER files EXCLUDE REGEX "^tests/abi/v1_0/")
set(unformatted "")
foreach(file IN LISTS files)
    execute_process(COMMAND "${CLANG_FORMAT}" --dry-run --Werror "${file}"
        WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(NOT rc EQUAL 0)
        list(APPEND unformatted "${file}")
    endif()
endforeach()
list(LENGTH files checked)
if(unformatted)
    string(REPLACE ";" "\n  " listing "${unformatted}")
    message(FATAL_ERROR "not clang-formatted (run clang-format -i):\n  ${listing}")
endif()
message(STATUS "${checked} files match .clang-format")

# cmake -DFERRY_BUILD_DIR=… -DFERRY_SOURCE_DIR=… -DWORK_DIR=… -P out_of_tree.cmake
# Installs the SDK into WORK_DIR/prefix, builds the example adapter as a separate project against
# it, checks its exports, and reads five records through the installed ferry-cat. Then the
# adapter's own project registers the conformance suite with the installed
# ferry_add_conformance() and runs it through its own CTest; and the installed ferry-conformance
# must not hold a path of this machine.
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    set(run_out "${out}" PARENT_SCOPE)
    set(run_err "${err}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install "${FERRY_BUILD_DIR}" --prefix "${prefix}")
if(NOT EXISTS "${prefix}/include/ferry/plugin_abi.h" OR NOT EXISTS "${prefix}/lib/cmake/Ferry/FerryConfig.cmake")
    message(FATAL_ERROR "the install tree lacks the public headers or the CMake package")
endif()

run(${CMAKE_COMMAND} -S "${FERRY_SOURCE_DIR}/samples/synthetic_persons" -B "${WORK_DIR}/build"
    -G "${CMAKE_GENERATOR}" -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build" --target ferry_adapter_synthetic_persons -j 2)
set(plugin "${WORK_DIR}/build/ferry_adapter_synthetic_persons.so")
run(${CMAKE_COMMAND} -DPLUGIN=${plugin} -P "${FERRY_SOURCE_DIR}/tests/abi/check_exports.cmake")

run("${prefix}/bin/ferry-cat" --plugin "${plugin}" --options "{\"count\": 5}")
string(REGEX MATCHALL "\n" lines "${run_out}")
list(LENGTH lines count)
if(NOT count EQUAL 5 OR NOT run_err MATCHES "read 5, delivered 5, rejected 0")
    message(FATAL_ERROR "expected 5 records, got:\n${run_out}\n${run_err}")
endif()

# The installed conformance runner accepts the out-of-tree plugin too.
file(READ "${FERRY_SOURCE_DIR}/tests/conformance/synthetic_persons.json" config)
string(REPLACE "@PLUGIN@" "${plugin}" config "${config}")
file(WRITE "${WORK_DIR}/conformance.json" "${config}")
set(ENV{FERRY_CONFORMANCE_CONFIG} "${WORK_DIR}/conformance.json")
run("${prefix}/bin/ferry-conformance")

# The installed runner must not carry (or print in a failed assertion) the paths of the build.
file(STRINGS "${prefix}/bin/ferry-conformance" runner_strings)
foreach(private_path "${FERRY_SOURCE_DIR}" "${FERRY_BUILD_DIR}")
    string(FIND "${runner_strings}" "${private_path}" at)
    if(NOT at EQUAL -1)
        string(SUBSTRING "${runner_strings}" ${at} 200 leak)
        message(FATAL_ERROR "the installed ferry-conformance holds a path of the build: ${leak}")
    endif()
endforeach()

# An adapter's own project registers the suite in its CTest with ferry_add_conformance().
set(project_dir "${WORK_DIR}/adapter_project")
file(WRITE "${project_dir}/CMakeLists.txt" "cmake_minimum_required(VERSION 3.25)
project(MyAdapter LANGUAGES CXX)
find_package(Ferry 0.1 REQUIRED)
enable_testing()
add_subdirectory(\"${FERRY_SOURCE_DIR}/samples/synthetic_persons\" synthetic_persons)
ferry_add_conformance(synthetic_persons ferry_adapter_synthetic_persons
    \"${FERRY_SOURCE_DIR}/tests/conformance/synthetic_persons.json\")
")
run(${CMAKE_COMMAND} -S "${project_dir}" -B "${WORK_DIR}/adapter_build" -G "${CMAKE_GENERATOR}"
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${WORK_DIR}/adapter_build" -j 2)
get_filename_component(cmake_bin "${CMAKE_COMMAND}" DIRECTORY)
run("${cmake_bin}/ctest" --test-dir "${WORK_DIR}/adapter_build" -L conformance
    --output-on-failure --no-tests=error)
if(NOT run_out MATCHES "100% tests passed, 0 tests failed out of ([0-9]+)" OR
   CMAKE_MATCH_1 LESS 5)
    message(FATAL_ERROR "the adapter project's conformance tests did not all run:\n${run_out}")
endif()
message(STATUS "out-of-tree adapter built against the installed SDK, read 5 records and conforms "
    "(${CMAKE_MATCH_1} conformance tests in its own CTest)")
file(REMOVE_RECURSE "${WORK_DIR}")

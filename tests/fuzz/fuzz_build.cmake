# SPDX-License-Identifier: Apache-2.0
# Initial cache of the fuzz build (cmake -C tests/fuzz/fuzz_build.cmake, with CC=clang
# CXX=clang++): only the fuzz targets and the SDK libraries they link. Used by
# `./bootstrap.sh test` (build-fuzz) and tests/fuzz/run_long.sh, so both build the same thing.
# The SOAP and flat-file adapters are configured for their fuzz targets (which compile only the
# sources they exercise); the target ferry_fuzzers builds none of their plugins.
set(FERRY_BUILD_FUZZERS ON CACHE BOOL "")
foreach(option FERRY_BUILD_TESTS FERRY_BUILD_SAMPLES FERRY_BUILD_BENCH FERRY_ADAPTER_ODBC
        FERRY_SAMPLE_BRIDGE)
    set(${option} OFF CACHE BOOL "")
endforeach()
set(FERRY_ADAPTER_SOAP ON CACHE BOOL "" FORCE)
set(FERRY_ADAPTER_FLATFILE ON CACHE BOOL "" FORCE)
# -O1, libFuzzer's usual level: most of the speed of -O2 for less compile time. Line tables
# only, so crash reports name file:line without the cost of full debug info. FORCE: this wins
# over the -O2 release flags bootstrap.sh passes to every build.
set(CMAKE_BUILD_TYPE Release CACHE STRING "" FORCE)
set(CMAKE_CXX_FLAGS_RELEASE "-O1 -gline-tables-only" CACHE STRING "" FORCE)
set(CMAKE_C_FLAGS_RELEASE "-O1 -gline-tables-only" CACHE STRING "" FORCE)

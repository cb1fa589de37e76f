#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bootstrap.sh — the one entry point on a fresh Debian 12 machine. Idempotent.
#
#   ./bootstrap.sh run    install packages, build, run the main job
#   ./bootstrap.sh test   install packages, build (ASan+UBSan, release, fuzzers) and run the tests
#   ./bootstrap.sh deps   install packages only
#
# Every Debian package Ferry needs is listed here, with the reason it is needed.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
    g++ cmake make          # the toolchain: Debian 12's g++ 12 and CMake 3.25
    binutils                # nm: the test that a plugin exports only FerryPluginInit
    clang-format            # the format check over Ferry's C++ (clang-format 14)
    python3                 # tests/install/check_tutorial.py keeps the tutorial and its code in step
    nlohmann-json3-dev      # JSON: options, discovery, requests, checkpoints
    libvalijson-dev         # JSON Schema validation of plugin options and discovery
    catch2                  # unit, ABI and conformance tests (Catch2 v2)
    pkg-config              # finds RE2 (Debian's libre2-dev ships no CMake package)
    libssl-dev              # OpenSSL 3: HMAC-SHA256 and HMAC-SM3 pseudonymisation
    libre2-dev              # RE2: linear-time regex_extract / matches in mapping transforms
    unixodbc unixodbc-dev odbcinst  # the ODBC adapter: driver manager, headers, driver registry
    libsqliteodbc           # SQLite3 ODBC driver: the sample estate's embedded database, ODBC tests
    odbc-postgresql         # psqlODBC: ODBC integration tests and benchmark against PostgreSQL
    odbc-mariadb            # MariaDB Connector/ODBC: ODBC integration tests with GBK tables
    postgresql              # PostgreSQL 15 server, started on loopback by the ODBC tests
    mariadb-server          # MariaDB server, started on loopback by the ODBC tests
    libpoco-dev             # Poco: the bridge's HTTP server and config, the SOAP adapter's HTTP client
    libxml2-dev             # libxml2: the SOAP adapter's streaming XML reader and WSDL/XSD import
    gnucobol3               # GnuCOBOL: writes the COBOL record files the flat-file tests read
    python3-spyne           # a third-party SOAP server: the SOAP adapter's test peer
    python3-zeep            # a third-party SOAP client: the SOAP benchmark's baseline
    python3-pyodbc          # the ODBC benchmark's baseline (what a user would write instead)
    miller                  # the CSV benchmark's baseline (mlr)
    wrk                     # the bridge's load benchmark (HTTP on loopback)
    valgrind                # callgrind instruction counts in the benchmarks
    openssl                 # the SOAP TLS test makes a throwaway CA and certificates
    python3-yaml            # turns docs/openapi.yaml into the JSON the bridge serves at /v1/openapi.json
    clang                   # the fuzz build (tests/fuzz): clang 14 with libFuzzer, ASan and UBSan
    libclang-rt-14-dev      # clang 14's runtimes for -fsanitize=fuzzer,address,undefined (libFuzzer)
    llvm                    # llvm-symbolizer: file:line in the stack traces of fuzz findings
)

JOBS=$(nproc 2>/dev/null || echo 2)

log() { printf '\n== %s\n' "$*"; }

install_packages() {
    local missing=()
    for package in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        log "Debian packages: all ${#PACKAGES[@]} present"
        return
    fi
    log "Debian packages: installing ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# build <dir> <target, or all> [cmake args…]
build() {
    local dir=$1 target=$2
    shift 2
    log "Building $target in $dir"
    # Optimised as a release, without debug info: on 2 cores debug info costs about a third of the
    # build time (configure your own build directory with RelWithDebInfo when you need it).
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
        -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" "$@" >/dev/null
    cmake --build "$dir" -j "$JOBS" --target "$target"
}

run_main_job() {
    # Only what the main job runs (target ferry_main_job: the bridge, ferry-check, the estate's
    # registry, database and adapters), not the tests and benchmarks `test` builds.
    build build ferry_main_job
    local port=${FERRY_BRIDGE_PORT:-8080}
    local soap_port
    soap_port=$(sed -n 's/^FERRY_ESTATE_SOAP_PORT:STRING=//p' build/CMakeCache.txt)
    log "Checking the mappings the bridge serves (ferry-check: catalog, types, sharing rules)"
    ./build/sdk/ferry-check samples/mappings/estate_*.mapping.json
    log "Starting the estate's legacy SOAP registry on 127.0.0.1:$soap_port"
    ./build/samples/legacy_soap/ferry-legacy-registry --port "$soap_port" >/dev/null &
    REGISTRY_PID=$! # global: the EXIT trap runs after this function has returned
    trap 'kill "$REGISTRY_PID" 2>/dev/null' EXIT
    trap 'exit 130' INT TERM
    local tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$soap_port") 2>/dev/null; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ] || ! kill -0 "$REGISTRY_PID" 2>/dev/null; then
            echo "the sample SOAP registry did not start on port $soap_port" >&2
            exit 1
        fi
        sleep 0.1
    done
    log "Main job: the bridge daemon on the sample legacy estate (SQLite through ODBC, flat files, SOAP); Ctrl-C stops it"
    cat <<EOF
Point a client at http://127.0.0.1:$port (sample consumers: samples/bridge/consumers.json), e.g.
  curl -H 'Authorization: Bearer ferry-demo-tax-bureau' http://127.0.0.1:$port/v1/catalog
  curl -H 'Authorization: Bearer ferry-demo-tax-bureau' 'http://127.0.0.1:$port/v1/datasets/contributions/records?limit=5'
  curl -H 'Authorization: Bearer ferry-demo-tax-bureau' 'http://127.0.0.1:$port/v1/datasets/bank_withholding/records?limit=5'
  curl -H 'Authorization: Bearer ferry-demo-open-portal' 'http://127.0.0.1:$port/v1/datasets/enterprise_registrations/records?limit=5'
  curl -H 'Authorization: Bearer ferry-demo-operator' http://127.0.0.1:$port/v1/datasets/benefit_payments/rejects
  curl http://127.0.0.1:$port/metrics     # the API: docs/bridge.md and /v1/openapi.yaml
EOF
    # The catalog pseudonymises person ids with a keyed hash. Without FERRY_PSEUDONYM_KEY the
    # bridge creates its key once in its state directory and keeps it, so pseudonyms stay the
    # same from run to run (docs/bridge.md, "Pseudonym keys").
    ./build/samples/bridge/ferry-bridge --config build/samples/bridge/estate.json --port "$port"
}

run_tests() {
    # The SDK's own tests once more under AddressSanitizer and UndefinedBehaviorSanitizer (host,
    # plugins and fixtures all built with them); leaks owned by system libraries are listed in
    # tests/support/lsan.supp.
    # -O0 keeps the sanitizer build (the slow half of the suite on 2 cores) short; the release
    # build below is the optimised one.
    # Only what those labels need is built (target ferry_sanitized_tests): the integration tests
    # run in the release pass. -g1 keeps the line tables ASan's reports print (file:line) without
    # the rest of the debug info, which cost 10-13 % of each compile.
    build build-asan ferry_sanitized_tests -DFERRY_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_C_FLAGS_DEBUG=-g1 -DFERRY_BUILD_BENCH=OFF
    log "Tests under ASan + UBSan"
    ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$PWD/tests/support/lsan.supp" \
        UBSAN_OPTIONS=print_stacktrace=1 \
        ctest --test-dir build-asan -L 'unit|abi|conformance' --output-on-failure -j "$JOBS"
    # The release build runs every other test: ABI, conformance (with dlclose), mappings, tools,
    # install, format and the integration tests against real servers and peers. The unit tests
    # already ran above, so they are not compiled twice (FERRY_UNIT_TESTS=OFF; a build directory
    # of your own builds and registers them by default).
    # Nor are the benchmark programs built here (bench/README.md: configure a build directory
    # with -DFERRY_BUILD_BENCH=ON to run them).
    build build all -DFERRY_UNIT_TESTS=OFF -DFERRY_BUILD_BENCH=OFF
    log "Release build: every test but the unit tests (those ran under ASan + UBSan)"
    ctest --test-dir build --output-on-failure --no-tests=error -j "$JOBS"
    # The fuzz targets (tests/fuzz, docs/fuzzing.md): a clang build of only them and the SDK
    # libraries they link (tests/fuzz/fuzz_build.cmake), each run for FERRY_FUZZ_SECONDS over its
    # seed corpus under ASan and UBSan; tests/fuzz/run_long.sh runs them for longer.
    CC=clang CXX=clang++ build build-fuzz ferry_fuzzers -C tests/fuzz/fuzz_build.cmake \
        -DFERRY_FUZZ_SECONDS="${FERRY_FUZZ_SECONDS:-5}"
    log "Fuzz targets, ${FERRY_FUZZ_SECONDS:-5} s each"
    ctest --test-dir build-fuzz -L fuzz --output-on-failure --no-tests=error -j "$JOBS"
}

case "${1:-}" in
run)
    install_packages
    run_main_job
    ;;
test)
    install_packages
    run_tests
    ;;
deps)
    install_packages
    ;;
*)
    sed -n '3,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

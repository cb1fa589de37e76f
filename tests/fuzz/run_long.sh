#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/fuzz/run_long.sh — long fuzzing runs (docs/fuzzing.md); CI runs each target for seconds.
#
#   tests/fuzz/run_long.sh [options] [seconds-per-target] [target…]
#
#   seconds-per-target   how long each libFuzzer job runs (default 300)
#   target…              names as in ferry_add_fuzzer (default: every fuzz target of the build)
#   --jobs N             libFuzzer -jobs: N runs of seconds-per-target each (default 1)
#   --workers N          libFuzzer -workers: how many of those run at once (default: jobs)
#   --build DIR          the fuzz build directory (default build-fuzz, as ./bootstrap.sh test)
#   --scratch DIR        where new inputs, crashes and logs go (default DIR/long-runs)
#   --merge              afterwards, add the new inputs that raise coverage to the repository's
#                        seed corpora (libFuzzer -merge=1); review them before committing
#
# Builds the fuzz targets (clang, tests/fuzz/fuzz_build.cmake), runs each, then prints a table:
# target, executions, exec/s, coverage (edges at start -> end), new inputs, crashes. Exits 1
# when any run left a crash, leak, timeout or out-of-memory input; each is listed with the
# command that reproduces it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

seconds=300
jobs=1
workers=
build="$root/build-fuzz"
scratch=
merge=0
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
    --jobs) jobs=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --build) build=$(realpath -m "$2"); shift 2 ;;
    --scratch) scratch=$(realpath -m "$2"); shift 2 ;;
    --merge) merge=1; shift ;;
    -h | --help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) seconds=$1; shift ;;
    *) targets+=("$1"); shift ;;
    esac
done
workers=${workers:-$jobs}
scratch=${scratch:-$build/long-runs}

echo "== Building the fuzz targets in $build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -C "$root/tests/fuzz/fuzz_build.cmake" >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target ferry_fuzzers

if [ ${#targets[@]} -eq 0 ]; then
    for manifest in "$build"/fuzzers/*.txt; do
        targets+=("$(basename "$manifest" .txt)")
    done
fi

rows=()
findings=()
for name in "${targets[@]}"; do
    manifest="$build/fuzzers/$name.txt"
    if [ ! -f "$manifest" ]; then
        echo "no fuzz target \"$name\" in $build/fuzzers" >&2
        exit 2
    fi
    mapfile -t lines <"$manifest"
    fuzzer=${lines[0]}
    seeds=${lines[1]}
    options=("${lines[@]:2}")
    work="$scratch/$name"
    mkdir -p "$work/corpus" "$work/artifacts"
    echo "== $name: $jobs job(s) of ${seconds}s, $workers at a time (logs: $work)"
    rm -f "$work"/fuzz-*.log
    touch "$work/.started" # findings of earlier runs stay in artifacts/ but are not counted
    started=$(date +%s)
    # libFuzzer writes each job's output to fuzz-<n>.log in the working directory.
    (cd "$work" && "$fuzzer" -jobs="$jobs" -workers="$workers" -max_total_time="$seconds" \
        -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
        "${options[@]}" "$work/corpus" "$seeds" >"$work/driver.log" 2>&1) || true
    elapsed=$(($(date +%s) - started))
    # Sum over the jobs: executions and new inputs; coverage from the first INITED to the last
    # report of any job.
    read -r execs added cov_start cov_end < <(awk '
        /stat::number_of_executed_units:/ { execs += $2 }
        /stat::new_units_added:/ { added += $2 }
        /INITED cov:/ { for (i = 1; i <= NF; i++) if ($i == "cov:" && (start == "" || $(i+1) < start)) start = $(i+1) }
        / cov: / { for (i = 1; i <= NF; i++) if ($i == "cov:" && $(i+1) > end) end = $(i+1) }
        END { printf "%d %d %s %s\n", execs, added, (start == "" ? "?" : start), (end == "" ? "?" : end) }
    ' "$work"/fuzz-*.log)
    crashes=0
    while IFS= read -r finding; do
        crashes=$((crashes + 1))
        findings+=("$fuzzer $finding")
    done < <(find "$work/artifacts" -type f -newer "$work/.started" \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
    rate=$((execs / (elapsed > 0 ? elapsed : 1)))
    rows+=("$(printf '%-14s %14s %9s %15s %9s %8s' "$name" "$execs" "$rate" \
        "$cov_start -> $cov_end" "$added" "$crashes")")
    if [ "$merge" -eq 1 ]; then
        "$fuzzer" -merge=1 "${options[@]}" "$seeds" "$work/corpus" >"$work/merge.log" 2>&1
        echo "   merged into $seeds: $(grep -o 'added [0-9]* new units' "$work/merge.log" || echo '?')"
    fi
done

printf '\n%-14s %14s %9s %15s %9s %8s\n' target executions exec/s coverage "new in" crashes
printf '%s\n' "${rows[@]}"
if [ ${#findings[@]} -gt 0 ]; then
    printf '\nFindings (reproduce with the fuzzer and the file):\n'
    printf '  %s\n' "${findings[@]}"
    exit 1
fi

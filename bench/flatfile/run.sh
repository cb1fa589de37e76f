#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/flatfile/run.sh [BUILD_DIR] — the flat-file adapter against Miller, in one run:
#   1. 1M 200-byte copybook records (CP037 text, COMP-3, zoned) -> decoded batches, one core
#   2. the same through the ac08 mapping to NDJSON
#   3. CSV -> NDJSON, 1M rows: the adapter vs `mlr -S --icsv --ojsonl cat`
#   4. peak RSS while reading a ~2 GB copybook file (generated in a temp dir, then deleted)
# Builds nothing (cmake --build BUILD_DIR --target bench_flatfile first). Knobs:
#   RECORDS=1000000 BIG_RECORDS=10000000 bench/flatfile/run.sh build
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
bin=$build/bench/flatfile/bench_flatfile
records=${RECORDS:-1000000}
big_records=${BIG_RECORDS:-10000000}
[ -x "$bin" ] || { echo "build bench_flatfile first (cmake --build $build --target bench_flatfile)" >&2; exit 2; }
command -v mlr >/dev/null || { echo "Miller (mlr) is needed for the comparison" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-flatfile.XXXXXX")
trap 'rm -rf "$work"' EXIT

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

# Runs the benchmark program under /usr/bin/time; prints its JSON line with the RSS time saw.
measure() {
    local json rss
    /usr/bin/time -f %M -o "$work/rss" "$bin" "$@" 2>"$work/err" >/dev/null || { cat "$work/err" >&2; exit 1; }
    json=$(grep '^{' "$work/err" | tail -1)
    rss=$(cat "$work/rss")
    python3 -c "import json,sys; d=json.loads(sys.argv[1]); d['rss_mib']=int(sys.argv[2])/1024; print(json.dumps(d))" "$json" "$rss"
}

"$bin" gen-copybook "$work/ac08.dat" "$records"
"$bin" gen-csv "$work/rows.csv" "$records"

copybook=$(measure copybook "$work/ac08.dat" "$here/ac08.cpy")
mapped=$(measure copybook-ndjson "$work/ac08.dat" "$here/ac08.cpy" "$here/ac08.mapping.json")
csv=$(measure csv-ndjson "$work/rows.csv")

csv_mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1])/1e6)" "$work/rows.csv")
/usr/bin/time -f "%e %M" -o "$work/mlr" mlr -S --icsv --ojsonl cat "$work/rows.csv" >/dev/null
read -r mlr_seconds mlr_rss <"$work/mlr"

printf '\n%-38s %9s %8s %8s %9s %10s %9s\n' run records MB seconds MB/s "x Miller" "RSS MiB"
mlr_rate=$(python3 -c "print($csv_mb/$mlr_seconds)")
row() { # name json ratio
    printf '%-38s %9s %8s %8s %9s %10s %9.1f\n' "$1" "$(field "$2" records)" "$(field "$2" input_mb)" \
        "$(field "$2" seconds)" "$(field "$2" mb_per_s)" "$3" "$(field "$2" rss_mib)"
}
row "copybook -> batches (1 core)" "$copybook" "-"
row "copybook -> mapping -> NDJSON" "$mapped" "-"
row "CSV -> NDJSON (ferry)" "$csv" "$(python3 -c "print(f'{$(field "$csv" mb_per_s)/$mlr_rate:.1f}')")"
printf '%-38s %9s %8.1f %8s %9.1f %10s %9.1f\n' "CSV -> NDJSON (mlr -S --icsv --ojsonl)" "$records" \
    "$csv_mb" "$mlr_seconds" "$mlr_rate" "1.0" "$(python3 -c "print($mlr_rss/1024)")"

rm -f "$work/ac08.dat" "$work/rows.csv"
"$bin" gen-copybook "$work/big.dat" "$big_records"
big=$(measure copybook "$work/big.dat" "$here/ac08.cpy")
row "copybook, $(field "$big" input_mb) MB file (peak RSS)" "$big" "-"
rm -f "$work/big.dat"

if command -v valgrind >/dev/null; then
    # Instructions per record, repeatable on a noisy machine: (40k - 20k records) / 20k.
    "$bin" gen-copybook "$work/c20.dat" 20000
    "$bin" gen-copybook "$work/c40.dat" 40000
    count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" copybook "$1" "$here/ac08.cpy" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
    c2=$(count "$work/c20.dat")
    c4=$(count "$work/c40.dat")
    echo
    echo "callgrind: $(( (c4 - c2) / 20000 )) instructions per 200-byte copybook record (15 fields)"
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/mapping/run.sh [BUILD_DIR] — the mapping engine against a hand-written Python mapping,
# in one run. Prints a table; the callgrind line counts instructions per record (repeatable).
#
#   RECORDS=1000000 PY_RECORDS=100000 bench/mapping/run.sh build
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
bin=$build/bench/mapping/bench_mapping
mapping=$here/person.mapping.json
records=${RECORDS:-1000000}
py_records=${PY_RECORDS:-100000}
[ -x "$bin" ] || { echo "build bench_mapping first (cmake --build $build --target bench_mapping)" >&2; exit 2; }

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

one=$("$bin" "$mapping" --records "$records" --threads 1)
# Input held in memory (RSS includes it), so the two rows compare mapping alone on 1 and 2 cores.
held1=$("$bin" "$mapping" --records "$records" --threads 1 --pregenerate)
held2=$("$bin" "$mapping" --records "$records" --threads 2 --pregenerate)
py=$(/usr/bin/python3 "$here/baseline.py" "$py_records")
py_rate=$(field "$py" records_per_s)

printf '\n%-34s %10s %8s %9s %12s %10s %9s\n' tool records threads seconds records/s "x python" "RSS MiB"
for row in "ferry mapping (streamed input)|$one" "ferry mapping (input in memory)|$held1" \
    "ferry mapping (input in memory)|$held2" "python3 loop (baseline.py)|$py"; do
    name=${row%%|*}
    json=${row#*|}
    rate=$(field "$json" records_per_s)
    printf '%-34s %10s %8s %9s %12s %10s %9s\n' "$name" "$(field "$json" records)" \
        "$(field "$json" threads)" "$(field "$json" seconds)" "$rate" \
        "$(python3 -c "print(f'{$rate/$py_rate:.1f}')")" "$(field "$json" peak_rss_mib)"
done

if command -v valgrind >/dev/null; then
    # Instructions per mapped record: (map 40k - map 20k) - (generate 40k - generate 20k), / 20k.
    count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
    m2=$(count "$bin" "$mapping" --records 20000)
    m4=$(count "$bin" "$mapping" --records 40000)
    g2=$(count "$bin" "$mapping" --records 20000 --generate-only)
    g4=$(count "$bin" "$mapping" --records 40000 --generate-only)
    echo
    echo "callgrind: $(( ((m4 - m2) - (g4 - g2)) / 20000 )) instructions per mapped record (12 fields)"
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/flatfile/accounting_cost.sh BASE_BUILD [BUILD_DIR] — what source accounting (plugin ABI
# 1.1: declared figures, bytes, skipped records, the report and the verdict) costs on the CSV ->
# NDJSON path, counted with callgrind (instructions, repeatable on a noisy machine).
# BASE_BUILD is a build of a commit before ABI 1.1 (for example 5c1d644, configured like
# bootstrap.sh and built with --target bench_flatfile); BUILD_DIR is this tree's build.
# Both run the same generated files, 20,000 and 40,000 rows; per row = (40k - 20k) / 20,000.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base=${1:?usage: accounting_cost.sh BASE_BUILD [BUILD_DIR]}
build=${2:-$here/../../build}
old=$base/bench/flatfile/bench_flatfile
new=$build/bench/flatfile/bench_flatfile
for bin in "$old" "$new"; do
    [ -x "$bin" ] || { echo "build bench_flatfile in $(dirname "$(dirname "$(dirname "$bin")")") first" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-accounting.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$new" gen-csv "$work/r20.csv" 20000 2>/dev/null
"$new" gen-csv "$work/r40.csv" 40000 2>/dev/null
count() { valgrind --tool=callgrind --callgrind-out-file="$work/$3.out" "$1" csv-ndjson "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
o20=$(count "$old" "$work/r20.csv" o20)
o40=$(count "$old" "$work/r40.csv" o40)
n20=$(count "$new" "$work/r20.csv" n20)
n40=$(count "$new" "$work/r40.csv" n40)
# The accounting's own functions, inclusive, in the 40k run of the new build.
own=$(callgrind_annotate --inclusive=yes --threshold=100 "$work/n40.out" 2>/dev/null |
    grep -E "fetch_report|FileReader::report_to|FileReader::report_position|DelimitedDecoder::account" |
    awk '{gsub(",", "", $1); sum += $1} END {print sum + 0}')
python3 - "$o20" "$o40" "$n20" "$n40" "$own" <<'PY'
import sys
o20, o40, n20, n40, own = map(int, sys.argv[1:])
old, new = (o40 - o20) / 20000, (n40 - n20) / 20000
print(f"{'build':<34}{'instr/row':>12}{'40k rows total':>18}")
print(f"{'before ABI 1.1':<34}{old:>12.1f}{o40:>18,}")
print(f"{'with source accounting':<34}{new:>12.1f}{n40:>18,}")
print(f"per-row change: {new - old:+.1f} instructions ({(new - old) / old * 100:+.2f}%)")
print(f"accounting functions (report, verdict, file size): {own:,} instructions, "
      f"{own / n40 * 100:.3f}% of the 40k-row run")
PY

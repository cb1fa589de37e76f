#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/flatfile/csv_vs_duckdb.sh BUILD_DIR — CSV -> NDJSON on one generated UTF-8 file:
#   ferry-cat with the flat-file adapter, Miller (`mlr --icsv --ojsonl cat`) and DuckDB through
#   the npm package @duckdb/node-api (`COPY (SELECT * FROM read_csv(...)) TO ... (FORMAT json)`)
#   at 1 and 2 threads; then Ferry's peak RSS on a file 4x larger (it should not grow).
# UTF-8, not GBK: DuckDB reads only UTF-8. Every tool writes every value as a JSON string
# (DuckDB with all_varchar=true, and once more with its own type detection), so all write the
# same objects. Not part of CI. Needs: BUILD_DIR with ferry-cat and ferry_adapter_flatfile
#   cmake --build BUILD_DIR --target ferry-cat ferry_adapter_flatfile
# mlr, node and npm (DuckDB is installed into a temp dir; DUCKDB_DIR=dir reuses one holding
# node_modules/@duckdb/node-api). Knobs: ROWS=1000000.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:?usage: csv_vs_duckdb.sh BUILD_DIR}")
rows=${ROWS:-1000000}
cat_bin=$build/sdk/ferry-cat
plugin=$build/adapters/flatfile/ferry_adapter_flatfile.so
for need in "$cat_bin" "$plugin"; do
    [ -e "$need" ] || { echo "missing $need: cmake --build $build --target ferry-cat ferry_adapter_flatfile" >&2; exit 2; }
done
for tool in mlr node npm /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-csv-duckdb.XXXXXX")
trap 'rm -rf "$work"' EXIT

duck=${DUCKDB_DIR:-$work/duckdb}
if [ ! -d "$duck/node_modules/@duckdb/node-api" ]; then
    echo "== installing @duckdb/node-api into $duck" >&2
    mkdir -p "$duck"
    (cd "$duck" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null)
fi
cat >"$duck/copy.mjs" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
const [input, output, threads, varchar] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
const options = varchar === 'all_varchar' ? ', all_varchar = true' : '';
await con.run(`COPY (SELECT * FROM read_csv('${input}', header = true${options})) ` +
              `TO '${output}' (FORMAT json)`);
EOF
cat >"$duck/baseline.mjs" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
await (await DuckDBInstance.create(':memory:')).connect();
EOF

# Bank-batch-like rows: a 15-digit id with leading zeros, a Chinese name, an amount, a date,
# a quoted memo holding the delimiter and a doubled quote.
generate() {
    python3 - "$1" "$2" <<'EOF'
import random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(21)
given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
family = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
with open(path, "w", encoding="utf-8", newline="\n") as out:
    out.write("serial,account,name,amount,paid_on,branch,memo\n")
    for i in range(1, rows + 1):
        name = rng.choice(family) + rng.choice(given) + (rng.choice(given) if i % 3 else "")
        memo = '"月度代发, 第%d批 ""补发"""' % (i % 97) if i % 10 == 0 else "月度代发"
        out.write("%d,%015d,%s,%d.%02d,2026-%02d-%02d,%04d,%s\n" % (
            i, rng.randrange(10**12), name, rng.randrange(100000), rng.randrange(100),
            1 + i % 12, 1 + i % 28, rng.randrange(10000), memo))
EOF
}

# measure NAME COMMAND…: one row of wall s, CPU s (user+sys), peak RSS MiB.
results=$work/results
measure() {
    local name=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" ||
        { echo "$name failed:" >&2; cat "$work/err" >&2; exit 1; }
    read -r wall user sys rss <"$work/time"
    echo "$name|$wall|$(echo "$user + $sys" | bc)|$((rss / 1024))" >>"$results"
}

options() { # options file for the flat-file adapter on $1
    printf '{"format": "delimited", "path": "%s", "encoding": "UTF-8", "lineage_columns": false}\n' "$1"
}

csv=$work/rows.csv
generate "$rows" "$csv"
options "$csv" >"$work/ferry.json"
mb=$(python3 -c "import os,sys; print(round(os.path.getsize(sys.argv[1]) / 1e6, 1))" "$csv")
echo "== $rows rows, $mb MB of UTF-8 CSV; nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

: >"$results"
measure "ferry-cat" "$cat_bin" --plugin "$plugin" --options-file "$work/ferry.json" \
    --output "$work/ferry.ndjson"
measure "mlr --icsv --ojsonl cat" mlr --icsv --ojsonl cat "$csv"
for threads in 1 2; do
    measure "duckdb $threads thread(s), all_varchar" node "$duck/copy.mjs" "$csv" \
        "$work/duck.json" "$threads" all_varchar
    measure "duckdb $threads thread(s), typed" node "$duck/copy.mjs" "$csv" \
        "$work/duck.json" "$threads" typed
done
measure "node + DuckDB instance, no query" node "$duck/baseline.mjs"

# The same objects? Row counts and the first record of each.
ferry_rows=$(wc -l <"$work/ferry.ndjson")
duck_rows=$(wc -l <"$work/duck.json")
echo "rows written: ferry $ferry_rows, duckdb $duck_rows (typed run)" >&2
head -1 "$work/ferry.ndjson" >&2

# Peak RSS at 4x the file size.
big=$work/big.csv
cp "$csv" "$big"
for _ in 1 2 3; do tail -n +2 "$csv" >>"$big"; done
options "$big" >"$work/big.json"
measure "ferry-cat, 4x file" "$cat_bin" --plugin "$plugin" --options-file "$work/big.json" \
    --output "$work/ferry.ndjson"

# "net": DuckDB's rows less the node + DuckDB start-up of the baseline row; ratios are to Ferry.
python3 - "$results" <<'EOF'
import sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1])]
base = {name: (float(wall), float(cpu)) for name, wall, cpu, _ in rows}
ferry_wall, ferry_cpu = base["ferry-cat"]
start_wall, start_cpu = base["node + DuckDB instance, no query"]
print(f"{'run':40} {'wall s':>7} {'CPU s':>7} {'RSS MiB':>8} {'net wall':>9} {'net CPU':>8}"
      f" {'wall/ferry':>11} {'CPU/ferry':>10}")
for name, wall, cpu, rss in rows:
    wall, cpu = float(wall), float(cpu)
    if name.startswith("duckdb"):
        wall, cpu = wall - start_wall, cpu - start_cpu
    print(f"{name:40} {float(base[name][0]):7.2f} {float(base[name][1]):7.2f} {int(rss):8d}"
          f" {wall:9.2f} {cpu:8.2f} {wall / ferry_wall:11.2f} {cpu / ferry_cpu:10.2f}")
EOF

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/odbc/run.sh BUILD_DIR [ROWS] — the ODBC adapter against the roof and against pyodbc, in
# one run, on SQLite (SQLite3 ODBC driver) and PostgreSQL 15 (psqlODBC, started here on
# 127.0.0.1 in a temp dir and stopped at the end):
#   roof        odbc_roof: bound array fetches only, same bindings, no conversion
#   batches     the adapter: the table into Arrow batches (exact decimals, dates, UTF-8)
#   ndjson      ferry-cat --mapping (estate AC08 contribution mapping) to NDJSON
#   ndjson x2   the same in two key-range partitions read at once (ferry-cat --partitions 2)
#   pyodbc      /usr/bin/python3 + pyodbc dumping the table to NDJSON
# Targets: batches >= 80% of the roof, NDJSON >= 5x pyodbc, memory bounded (peak RSS).
# Then p50/p99 of 10,000 key lookups on PostgreSQL. Builds nothing; bounded; cleans up.
set -eu
build=$(cd "$1" && pwd)
rows=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
plugin=$build/adapters/odbc/ferry_adapter_odbc.so
work=$(mktemp -d /tmp/ferry-odbc-bench.XXXXXX)
pg_state=$work/postgres.state
cleanup() { "$repo/tests/adapters/odbc/servers/postgres.sh" stop "$pg_state" > /dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
export FERRY_PSEUDONYM_KEY=bench-only-key
mapping=$repo/samples/mappings/estate_ac08.contribution.mapping.json
columns='"AAZ083", "AAC001", "AAB001", "AAE140", "AAE002", "AAE003", "AAA115", "AAE143", "AAE180", "AAA041", "AAE082", "AAA042", "AAE020", "AAE056", "AAE114", "AAE100", "AAE011", "AAE036"'

echo "preparing $rows rows (SQLite file, PostgreSQL server) ..." >&2
/usr/bin/python3 "$here/make_table.py" "$work/bench.db" "$rows"
"$repo/tests/adapters/odbc/servers/postgres.sh" start "$pg_state" > /dev/null
. "$pg_state"
psql="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql -q -h 127.0.0.1 -p $PORT -U postgres ferry"
runuser -u postgres -- $psql -c "CREATE TABLE \"AC08\" (\"AAZ083\" varchar(20) PRIMARY KEY, \"AAC001\" varchar(15) NOT NULL, \"AAB001\" varchar(15) NOT NULL, \"AAE140\" varchar(6) NOT NULL, \"AAE002\" numeric(6) NOT NULL, \"AAE003\" numeric(6) NOT NULL, \"AAA115\" varchar(2), \"AAE143\" varchar(2), \"AAE180\" numeric(14,2), \"AAA041\" numeric(6,4), \"AAE082\" numeric(14,2), \"AAA042\" numeric(6,4), \"AAE020\" numeric(14,2), \"AAE056\" numeric(14,2), \"AAE114\" varchar(1), \"AAE100\" varchar(1), \"AAE011\" varchar(15), \"AAE036\" timestamp)" \
    -c "INSERT INTO \"AC08\" SELECT lpad(n::text, 16, '0'), '10' || lpad((n % 100000)::text, 8, '0'), '6101' || lpad((n % 2000)::text, 8, '0'), '0' || (1 + n % 5)::text, 201801 + n % 12, 201801 + n % 12, '10', '01', 3000 + n % 27000, 0.08, round((3000 + n % 27000) * 0.08, 2), 0.16, round((3000 + n % 27000) * 0.16, 2), 0, '1', '1', 'op001', timestamp '2018-01-01' + n * interval '1 second' FROM generate_series(1, $rows) n" \
    -c "VACUUM ANALYZE \"AC08\""

sqlite_cs="Driver=SQLite3;Database=$work/bench.db;StepAPI=1"
pg_cs="Driver=PostgreSQL Unicode;Server=127.0.0.1;Port=$PORT;Database=ferry;UseDeclareFetch=1;Fetch=10000;UID=postgres"
sqlite_options="{\"connection\": \"$sqlite_cs\", \"text_encoding\": \"UTF-8\"}"
pg_options="{\"connection\": \"Driver=PostgreSQL Unicode;Server=127.0.0.1;Port=$PORT;Database=ferry;UseDeclareFetch=1;Fetch=10000\", \"user\": \"postgres\"}"
# The same sources split in two key ranges (the ODBC adapter's "parallel" option).
with_partitions() { echo "$1" | sed 's/}$/, "parallel": {"AC08": {"partitions": 2}}}/'; }

# measure NAME COMMAND… : prints "seconds peak_rss_kb" of the command (stdout discarded).
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/time"
}

printf '%-10s %-8s %10s %9s %12s %9s %s\n' backend path rows seconds rows/s "RSS MB" ratio
for backend in sqlite postgres; do
    if [ $backend = sqlite ]; then cs=$sqlite_cs; options=$sqlite_options; width=narrow; else cs=$pg_cs; options=$pg_options; width=wide; fi
    set -- $(measure "$build/bench/odbc/odbc_roof" "$cs" "SELECT $columns FROM \"AC08\"" $width)
    roof_s=$1; roof_kb=$2
    set -- $(measure "$build/bench/odbc/odbc_batches" "$plugin" "$options" AC08)
    batch_s=$1; batch_kb=$2
    set -- $(measure "$build/sdk/ferry-cat" --plugin "$plugin" --options "$options" --mapping "$mapping")
    nd_s=$1; nd_kb=$2
    set -- $(measure "$build/sdk/ferry-cat" --plugin "$plugin" --options "$(with_partitions "$options")" --mapping "$mapping" --partitions 2)
    np_s=$1; np_kb=$2
    set -- $(measure /usr/bin/python3 "$here/pyodbc_dump.py" "$cs" '"AC08"')
    py_s=$1; py_kb=$2
    awk -v b=$backend -v n=$rows -v rs=$roof_s -v rk=$roof_kb -v bs=$batch_s -v bk=$batch_kb \
        -v ns=$nd_s -v nk=$nd_kb -v ps=$py_s -v pk=$py_kb -v qs=$np_s -v qk=$np_kb 'BEGIN {
        f = "%-10s %-8s %10d %9.2f %12.0f %9.1f %s\n";
        printf f, b, "roof", n, rs, n / rs, rk / 1024, "";
        printf f, b, "batches", n, bs, n / bs, bk / 1024, sprintf("%.0f%% of roof (target >= 80%%)", 100 * rs / bs);
        printf f, b, "ndjson", n, ns, n / ns, nk / 1024, sprintf("%.1fx pyodbc (target >= 5x)", ps / ns);
        printf f, b, "ndjson x2", n, qs, n / qs, qk / 1024, sprintf("%.1fx pyodbc, 2 partitions", ps / qs);
        printf f, b, "pyodbc", n, ps, n / ps, pk / 1024, "";
    }'
done
set -- $("$build/bench/odbc/odbc_batches" "$plugin" "$pg_options" AC08 --lookups 10000 AAZ083 "$rows")
echo
echo "key lookups on PostgreSQL (prepared statement, pooled connection): $1 lookups, p50 $2 us, p99 $3 us"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/bridge/run.sh [BUILD_DIR] — the bridge under load, on loopback. Builds nothing.
#   1. Key lookups on the sample estate (contributions, SQLite through ODBC) with wrk:
#      paced at about 1,000 requests/s for $DURATION s (12 connections, each waiting 10 ms
#      between requests: Debian's wrk has no constant-rate mode), then unpaced for 10 s;
#      p50/p99 and errors. Baseline in the same run: the same lookups as a plain parameterised
#      SELECT through pyodbc (no HTTP, no mapping, no grants).
#   2. A full pull of $RECORDS mapped records as NDJSON over HTTP (the example adapter through
#      its person mapping, masked per grant): records/s and the bridge's peak RSS; next to it
#      ferry-cat, the same pipeline without HTTP or grants, writing to /dev/null.
#
#   3. With valgrind: instructions per lookup inside the bridge (callgrind; the difference of a
#      run serving 300 lookups and one serving 100, so start-up cancels out). Repeatable.
#
#   DURATION=60 RECORDS=1000000 bench/bridge/run.sh build
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
duration=${DURATION:-60}
records=${RECORDS:-1000000}
bridge=$build/samples/bridge/ferry-bridge
estate_db=$build/samples/estate/estate.db
odbc_plugin=$build/adapters/odbc/ferry_adapter_odbc.so
synthetic_plugin=$build/samples/synthetic_persons/ferry_adapter_synthetic_persons.so
for file in "$bridge" "$estate_db" "$odbc_plugin" "$synthetic_plugin" "$build/sdk/ferry-cat"; do
    [ -e "$file" ] || { echo "missing $file (build ferry-bridge, ferry-cat, ferry_estate_db first)" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }

work=$(mktemp -d /tmp/ferry-bench-bridge.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
export FERRY_PSEUDONYM_KEY=bench-pseudonym-key
api_key=bench-key

# One consumer without rate limits, cleared for everything the datasets publish.
/usr/bin/python3 - "$work" "$root" "$estate_db" "$odbc_plugin" "$synthetic_plugin" "$records" <<'PY'
import hashlib, json, sys
work, root, db, odbc, synthetic, records = sys.argv[1:]
grant = lambda d: {"dataset": d, "purpose": "benchmark", "expires": "2099-12-31"}
consumers = {"consumers": [{"id": "bench", "key_sha256": hashlib.sha256(b"bench-key").hexdigest(),
                            "grants": [grant("contributions"), grant("persons")]}]}
json.dump(consumers, open(f"{work}/consumers.json", "w"))
config = {
    "listen": {"address": "127.0.0.1", "port": 0, "max_threads": 16, "max_queued": 256},
    "catalog": {"dir": f"{root}/schemas"},
    "state_dir": f"{work}/state",
    "consumers_file": "consumers.json",
    "sources": {
        "estate_db": {"plugin": odbc, "options": {
            "connection": f"Driver=SQLite3;Database={db};StepAPI=1", "lookup_pool_size": 16}},
        "synthetic": {"plugin": synthetic, "options": {"count": int(records)}},
    },
    "datasets": [
        {"id": "contributions", "source": "estate_db",
         "mapping": f"{root}/samples/mappings/estate_ac08.contribution.mapping.json"},
        {"id": "persons", "source": "synthetic",
         "mapping": f"{root}/samples/mappings/synthetic_persons.person.mapping.json"},
    ],
    "limits": {"batch_rows": 4096, "mapping_threads": 2},
}
json.dump(config, open(f"{work}/bridge.json", "w"))
PY

"$bridge" --config "$work/bridge.json" > "$work/bridge.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do [ -s "$work/state/bridge.port" ] && break; sleep 0.05; done
port=$(cat "$work/state/bridge.port")
base=http://127.0.0.1:$port

# The keys: every delivered contribution id.
/usr/bin/python3 - "$base" "$api_key" > "$work/keys.txt" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/v1/datasets/contributions/records",
                                 headers={"Authorization": "Bearer " + sys.argv[2]})
for line in urllib.request.urlopen(request):
    doc = json.loads(line)
    if "_cursor" not in doc:
        print(doc["contribution_id"])
PY
nkeys=$(wc -l < "$work/keys.txt")

lookup_run() { # <seconds> <delay ms>
    FERRY_BENCH_KEYS=$work/keys.txt FERRY_BENCH_API_KEY=$api_key FERRY_BENCH_DATASET=contributions \
        FERRY_BENCH_DELAY_MS=$2 wrk -t2 -c12 -d"$1s" --timeout 5s --latency -s "$here/lookup.lua" "$base" |
        sed -n 's/^RESULT //p'
}

paced=$(lookup_run "$duration" 10)
unpaced=$(lookup_run 10 0)
baseline=$(/usr/bin/python3 "$here/odbc_lookup_baseline.py" "$estate_db" "$work/keys.txt" 20000)

# Full pull of $records mapped records as NDJSON (read in large blocks; only the last line is
# parsed), then the same pipeline without HTTP.
pull=$(/usr/bin/python3 - "$base" "$api_key" <<'PY'
import json, sys, time, urllib.request
request = urllib.request.Request(sys.argv[1] + "/v1/datasets/persons/records",
                                 headers={"Authorization": "Bearer " + sys.argv[2]})
start = time.perf_counter()
tail = b""
with urllib.request.urlopen(request) as response:
    while block := response.read(1 << 20):
        tail = (tail + block)[-4096:]
seconds = time.perf_counter() - start
summary = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])
print(json.dumps({"delivered": summary["_delivered"], "seconds": seconds}))
PY
)
bridge_rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
cat_out=$( { /usr/bin/time -f 'TIME %e %M' "$build/sdk/ferry-cat" --plugin "$synthetic_plugin" \
    --options "{\"count\": $records}" --threads 2 \
    --mapping "$root/samples/mappings/synthetic_persons.person.mapping.json" > /dev/null; } 2>&1 |
    sed -n 's/^TIME //p')

/usr/bin/python3 - "$duration" "$nkeys" "$records" "$paced" "$unpaced" "$baseline" "$pull" \
    "$bridge_rss_kb" "$cat_out" <<'PY'
import json, sys
duration, nkeys, records, paced, unpaced, baseline, pull, rss_kb, cat = sys.argv[1:]
def wrk(text):
    d = dict(item.split("=") for item in text.split())
    return {k: int(v) for k, v in d.items()}
print(f"\nKey lookups: sample estate contributions ({nkeys} keys), SQLite through ODBC, loopback")
print(f"{'run':46} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9} {'errors':>7}")
for name, text in [(f"bridge, paced ~1000 req/s, {duration} s", paced), ("bridge, unpaced, 10 s", unpaced)]:
    r = wrk(text)
    errors = sum(r[k] for k in r if k.startswith("errors_"))
    print(f"{name:46} {r['requests']:>9} {r['requests'] * 1e6 / r['duration_us']:>8.0f} "
          f"{r['p50_us'] / 1000:>8.2f} {r['p99_us'] / 1000:>8.2f} {r['p999_us'] / 1000:>9.2f} {errors:>7}")
b = json.loads(baseline)
print(f"{'pyodbc SELECT by key, in-process (baseline)':46} {b['lookups']:>9} {b['per_s']:>8} "
      f"{b['p50_us'] / 1000:>8.2f} {b['p99_us'] / 1000:>8.2f} {'-':>9} {0:>7}")
p = json.loads(pull)
cat_s, cat_kb = cat.split()
print(f"\nFull pull: {records} mapped person records as NDJSON (example adapter, 2 mapping threads)")
print(f"{'tool':46} {'records':>9} {'seconds':>8} {'records/s':>10} {'RSS MiB':>8}")
print(f"{'bridge over HTTP (masked per grant)':46} {p['delivered']:>9} {p['seconds']:>8.2f} "
      f"{p['delivered'] / p['seconds']:>10.0f} {int(rss_kb) // 1024:>8}")
print(f"{'ferry-cat (same pipeline, no HTTP/grants)':46} {records:>9} {float(cat_s):>8.2f} "
      f"{int(records) / float(cat_s):>10.0f} {int(cat_kb) // 1024:>8}")
print("(bridge RSS: the daemon's peak over the whole run, lookups included)")
PY

if command -v valgrind >/dev/null; then
    kill "$pid" && wait "$pid" 2>/dev/null || true
    pid=
    # Instructions of a bridge run serving <n> lookups (all threads).
    count_run() {
        rm -f "$work/state/bridge.port"
        valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
            "$bridge" --config "$work/bridge.json" > "$work/cg.log" 2>&1 &
        local cg=$!
        for _ in $(seq 1 1200); do [ -s "$work/state/bridge.port" ] && break; sleep 0.1; done
        /usr/bin/python3 - "$(cat "$work/state/bridge.port")" "$1" "$api_key" "$work/keys.txt" <<'PY'
import http.client, sys
port, n, key, keys = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], open(sys.argv[4]).read().split()
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
for i in range(n):
    connection.request("GET", "/v1/datasets/contributions/records/" + keys[(i * 7919) % len(keys)],
                       headers={"Authorization": "Bearer " + key})
    response = connection.getresponse()
    response.read()
    assert response.status == 200, response.status
PY
        kill -TERM "$cg"
        wait "$cg" 2>/dev/null || true
        sed -n 's/^summary: //p' "$work/cg.out"
    }
    c1=$(count_run 100)
    c3=$(count_run 300)
    echo
    echo "callgrind: $(( (c3 - c1) / 200 )) instructions per key lookup inside the bridge (HTTP, auth, ODBC, mapping, masking, audit)"
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/soap/paged_peer.sh [BUILD_DIR] — the SOAP adapter against python3-zeep on the spyne test
# peer (tests/adapters/soap/peer/registry_peer.py), in one run: RECORDS records (default
# 100,000) in pages of PAGE (500) through list_enterprise_page to NDJSON. The peer runs on
# loopback with --threads, --cache-pages and --page-latency-ms LATENCY_MS (default 20): every
# page costs the peer that back-end latency, and after a first pass none of spyne's own Python
# serialisation, so the figures are the clients' own. Builds nothing; needs ferry-cat and
# ferry_adapter_soap in BUILD_DIR, python3-zeep and python3-spyne for /usr/bin/python3.
#   1. raw_roof.py: a raw HTTP client, no XML parsing, pages in turn — a first pass fills the
#      peer's cache, the second is the sequential roof (the peer's own time per page);
#   2. ferry-cat, pages in turn (concurrency 1) and CONCURRENCY pages at once (default 8);
#   3. zeep_page_client.py, pages in turn (as a zeep user does);
# then one table (wall and CPU seconds, CPU per record, peak RSS, ratios to zeep) and a check
# that Ferry's and zeep's outputs hold the same records (uscc multisets).
#
#   RECORDS=100000 LATENCY_MS=20 CONCURRENCY=8 bench/soap/paged_peer.sh build
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
plugin=$build/adapters/soap/ferry_adapter_soap.so
cat_bin=$build/sdk/ferry-cat
peer=$root/tests/adapters/soap/peer/registry_peer.py
py=/usr/bin/python3
records=${RECORDS:-100000}
latency=${LATENCY_MS:-20}
concurrency=${CONCURRENCY:-8}
page=${PAGE:-500}
pages=$(( (records + page - 1) / page ))
for file in "$plugin" "$cat_bin" "$peer" /usr/bin/time; do
    [ -e "$file" ] || { echo "missing $file (build ferry-cat and ferry_adapter_soap)" >&2; exit 2; }
done

work=$(mktemp -d)
peer_pid=
cleanup() {
    if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$py" "$peer" serve --port 0 --records "$records" --threads --cache-pages \
    --page-latency-ms "$latency" --lifetime 900 > "$work/peer.out" 2> "$work/peer.err" &
peer_pid=$!
port=
for _ in $(seq 200); do
    port=$(sed -n 's/^PORT //p' "$work/peer.out")
    [ -n "$port" ] && break
    kill -0 "$peer_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "the spyne peer did not start:" >&2
    cat "$work/peer.err" >&2
    exit 1
fi

# measure NAME COMMAND… : runs COMMAND with stdout to $work/NAME.out and stderr to $work/NAME.err;
# writes "wall_s user_s sys_s rss_kib" to $work/NAME.time.
measure() {
    local name=$1 start end
    shift
    start=$(date +%s.%N)
    if ! /usr/bin/time -f "%U %S %M" -o "$work/$name.rusage" "$@" > "$work/$name.out" 2> "$work/$name.err"; then
        echo "$name failed:" >&2
        tail -20 "$work/$name.err" >&2
        exit 1
    fi
    end=$(date +%s.%N)
    echo "$("$py" -c "print(f'{$end - $start:.3f}')") $(tail -1 "$work/$name.rusage")" > "$work/$name.time"
}

# 1. The roof: the first pass fills the peer's cache (spyne serialises each page once), the
#    second is what the peer costs a client that does nothing but HTTP.
"$py" "$here/raw_roof.py" "$port" "$page" "$pages" > "$work/roof_cold.json"
"$py" "$here/raw_roof.py" "$port" "$page" "$pages" > "$work/roof.json"

# 2. Ferry, pages in turn and CONCURRENCY at once.
options() { # CONCURRENCY
    printf '{"wsdl": "http://127.0.0.1:%s/?wsdl", "datasets": {"enterprises": {"operation": "list_enterprise_page", "paging": {"kind": "page", "page_param": "page_no", "size_param": "page_size", "size": %s, "concurrency": %s}}}}' \
        "$port" "$page" "$1"
}
measure ferry1 "$cat_bin" --plugin "$plugin" --options "$(options 1)" --dataset enterprises
measure ferryN "$cat_bin" --plugin "$plugin" --options "$(options "$concurrency")" --dataset enterprises

# 3. zeep.
measure zeep "$py" "$here/zeep_page_client.py" "http://127.0.0.1:$port/?wsdl" "$page"

"$py" -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$port/stats').read().decode())" \
    > "$work/stats.json"

# The table, the roof, the peer's settings, then the outputs' agreement.
"$py" - "$work" "$records" "$page" "$pages" "$latency" "$concurrency" <<'EOF'
import collections
import json
import sys

work, records, page, pages, latency, concurrency = sys.argv[1:]
records, pages, concurrency = int(records), int(pages), int(concurrency)


def load(name):
    wall, user, system, rss = open("%s/%s.time" % (work, name)).read().split()
    with open("%s/%s.out" % (work, name), encoding="utf-8") as out:
        lines = sum(1 for _ in out)
    return {"wall": float(wall), "cpu": float(user) + float(system), "rss": int(rss) / 1024,
            "lines": lines}


rows = [("ferry-cat + soap adapter, concurrency 1", load("ferry1")),
        ("ferry-cat + soap adapter, concurrency %d" % concurrency, load("ferryN")),
        ("python3-zeep (zeep_page_client.py)", load("zeep"))]
zeep = rows[-1][1]
per_record = lambda row: row["cpu"] / max(row["lines"], 1) * 1e6
print()
print("Paging %d records (%s a page, %d pages) from the spyne peer -> NDJSON" % (records, page, pages))
head = "%-42s %8s %8s %13s %7s %14s %19s %8s"
print(head % ("tool", "records", "wall s", "x zeep (wall)", "CPU s", "CPU µs/record",
              "x zeep (CPU/record)", "RSS MiB"))
for name, row in rows:
    print(head % (name, row["lines"], "%.3f" % row["wall"], "%.1f" % (zeep["wall"] / row["wall"]),
                  "%.2f" % row["cpu"], "%.2f" % per_record(row),
                  "%.1f" % (per_record(zeep) / per_record(row)) if per_record(row) else "-",
                  "%.0f" % row["rss"]))
cold = json.load(open(work + "/roof_cold.json"))
roof = json.load(open(work + "/roof.json"))
print("sequential roof (raw_roof.py, raw HTTP, no XML parsing, cache warm): %.2f ms/page "
      "(p50 %.2f, max %.2f), %.3f s for %d pages, %.1f MB; %d pages at once: at best %.3f s"
      % (roof["ms_per_page"], roof["p50_ms"], roof["max_ms"], roof["seconds"], roof["pages"],
         roof["bytes"] / 1e6, concurrency,
         roof["seconds"] * -(-roof["pages"] // concurrency) / roof["pages"]))
print("  (first pass, filling the cache through spyne: %.2f ms/page, %.3f s)"
      % (cold["ms_per_page"], cold["seconds"]))
stats = json.load(open(work + "/stats.json"))
print("peer: registry_peer.py --threads --cache-pages --page-latency-ms %s (spyne, wsgiref, "
      "HTTP/1.0: a connection per request); %d page requests, cache hits %d, misses %d"
      % (latency, stats["requests"], stats["cache"]["hits"], stats["cache"]["misses"]))
for name, label in (("ferry1", "ferry c=1"), ("ferryN", "ferry c=%d" % concurrency),
                    ("zeep", "zeep")):
    for line in open("%s/%s.err" % (work, name), encoding="utf-8", errors="replace"):
        print("(%s: %s)" % (label, line.rstrip().replace("ferry-cat: ", "", 1)))

counts = [row["lines"] for _, row in rows]
uscc = []
for name in ("ferry1", "ferryN", "zeep"):
    with open("%s/%s.out" % (work, name), encoding="utf-8") as out:
        uscc.append(collections.Counter(json.loads(line)["uscc"] for line in out))
if len(set(counts)) != 1 or counts[0] != records:
    sys.exit("outputs disagree: %s lines (ferry c=1, ferry c=%d, zeep), %d records expected"
             % (counts, concurrency, records))
if not uscc[0] == uscc[1] == uscc[2] or max(uscc[2].values()) != 1:
    sys.exit("outputs disagree: the uscc multisets differ (or a record repeats)")
print("outputs agree: %d lines each, the same %d distinct uscc" % (records, len(uscc[2])))
EOF

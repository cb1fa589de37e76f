#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/soap/run.sh [BUILD_DIR] — the SOAP adapter against python3-zeep, in one run, on the
# sample legacy registry (samples/legacy_soap) on loopback. Builds nothing; needs the targets
# ferry_adapter_soap, ferry-cat, ferry-legacy-registry (and bench_soap_parse) in BUILD_DIR.
# Prints three tables:
#   1. paging RECORDS records (PAGE per request) → mapped NDJSON: Ferry vs a zeep client;
#   2. one ~100 MB response parsed by the adapter: records/s, MB/s, and peak RSS next to a
#      10 MB response (flat RSS: the response is never held in memory);
#   3. the parser alone on a generated 10 MB and 100 MB response (wall and CPU time, RSS).
#
#   RECORDS=100000 ZEEP_RECORDS=100000 PAGE=1000 bench/soap/run.sh build
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
plugin=$build/adapters/soap/ferry_adapter_soap.so
cat_bin=$build/sdk/ferry-cat
service=$build/samples/legacy_soap/ferry-legacy-registry
records=${RECORDS:-100000}
zeep_records=${ZEEP_RECORDS:-$records}
page=${PAGE:-1000}
big=${BIG_RECORDS:-170000} # about 105 MB of response at ~617 bytes a record
for file in "$plugin" "$cat_bin" "$service"; do
    [ -x "$file" ] || [ -f "$file" ] || { echo "missing $file: build ferry_adapter_soap ferry-cat ferry-legacy-registry" >&2; exit 2; }
done
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# start_service RECORDS MAX_PAGE -> sets $port
start_service() {
    "$service" --port 0 --records "$1" --max-page "$2" --lifetime 900 > "$work/service.out" &
    pids+=($!)
    for _ in $(seq 100); do
        port=$(sed -n 's/^PORT //p' "$work/service.out")
        [ -n "$port" ] && return 0
        sleep 0.05
    done
    echo "the sample registry did not start" >&2
    exit 1
}

options() { # PORT PAGE_SIZE
    printf '{"wsdl": "http://127.0.0.1:%s/registry?wsdl", "timeouts": {"receive_ms": 120000}, "datasets": {"registrations": {"operation": "QueryEnterprises", "paging": {"kind": "page", "page_param": "pageNo", "size_param": "pageSize", "size": %s}}}}' "$1" "$2"
}

# timed OUT ERR COMMAND… : runs with /usr/bin/time, prints "seconds rss_kib"
timed() {
    local start end out=$1 err=$2
    shift 2
    start=$(date +%s.%N)
    /usr/bin/time -f %M -o "$work/rss" "$@" > "$out" 2> "$err"
    end=$(date +%s.%N)
    echo "$(python3 -c "print(f'{$end - $start:.3f}')") $(cat "$work/rss")"
}

start_service "$records" "$page"
ferry_opts=$(options "$port" "$page")
read -r f_sec f_rss < <(timed "$work/ferry.ndjson" "$work/ferry.err" "$cat_bin" \
    --plugin "$plugin" --options "$ferry_opts" \
    --mapping "$root/samples/mappings/estate_soap_registration.mapping.json")
f_lines=$(wc -l < "$work/ferry.ndjson")
read -r z_sec z_rss < <(timed "$work/zeep.ndjson" "$work/zeep.err" /usr/bin/python3 \
    "$here/zeep_client.py" "http://127.0.0.1:$port/registry?wsdl" "$zeep_records" "$page")
z_lines=$(wc -l < "$work/zeep.ndjson")

rate() { python3 -c "print(f'{$1 / $2:.0f}')"; }
f_rate=$(rate "$f_lines" "$f_sec")
z_rate=$(rate "$z_lines" "$z_sec")
echo
echo "Paging the sample registry ($page records a request) -> mapped NDJSON"
printf '%-36s %9s %9s %12s %9s %9s\n' tool records seconds records/s "x zeep" "RSS MiB"
printf '%-36s %9s %9s %12s %9s %9s\n' "ferry-cat + soap adapter + mapping" "$f_lines" "$f_sec" "$f_rate" \
    "$(python3 -c "print(f'{$f_rate / $z_rate:.1f}')")" "$((f_rss / 1024))"
printf '%-36s %9s %9s %12s %9s %9s\n' "python3-zeep client (zeep_client.py)" "$z_lines" "$z_sec" "$z_rate" \
    "1.0" "$((z_rss / 1024))"
echo "(ferry: $(tail -1 "$work/ferry.err" | sed 's/^ferry-cat: //'))"

# One huge response, then one a tenth of its size: same peak RSS means nothing is buffered.
kill "${pids[@]}" 2>/dev/null || true
pids=()
echo
echo "One SOAP response parsed by the adapter (no mapping), over loopback HTTP"
printf '%-10s %9s %9s %9s %12s %9s %9s\n' response records MB seconds records/s MB/s "RSS MiB"
for count in $((big / 10)) "$big"; do
    start_service "$count" "$count"
    bytes=$(curl -s -o /dev/null -w '%{size_download}' -H 'Content-Type: text/xml' --data-binary \
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><r:QueryEnterprises xmlns:r=\"urn:ferry:sample:legacy-registry\"><r:pageNo>1</r:pageNo><r:pageSize>$count</r:pageSize></r:QueryEnterprises></s:Body></s:Envelope>" \
        "http://127.0.0.1:$port/registry")
    read -r sec rss < <(timed /dev/null "$work/big.err" "$cat_bin" --plugin "$plugin" \
        --options "$(options "$port" "$count")")
    mb=$(python3 -c "print(f'{$bytes / 1048576:.1f}')")
    printf '%-10s %9s %9s %9s %12s %9s %9s\n' "${mb} MB" "$count" "$mb" "$sec" "$(rate "$count" "$sec")" \
        "$(python3 -c "print(f'{$bytes / 1048576 / $sec:.1f}')")" "$((rss / 1024))"
    kill "${pids[@]}" 2>/dev/null || true
    pids=()
done
echo "(seconds include the service generating the response; RSS is ferry-cat's peak)"

# The parser alone, on a generated response streamed chunk by chunk (bench_soap_parse).
parse_bin=$build/bench/soap/bench_soap_parse
if [ -x "$parse_bin" ]; then
    field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
    echo
    echo "The streaming parser alone (XmlReader + ResponseParser -> batches), generated input"
    printf '%-8s %9s %9s %11s %12s %9s %11s %9s\n' MB records seconds cpu_seconds records/s MB/s "MB/cpu-s" "RSS MiB"
    for mb in 10 100; do
        json=$("$parse_bin" --megabytes "$mb")
        printf '%-8s %9s %9s %11s %12s %9s %11s %9s\n' "$(field "$json" megabytes)" "$(field "$json" records)" \
            "$(field "$json" seconds)" "$(field "$json" cpu_seconds)" "$(field "$json" records_per_s)" \
            "$(field "$json" mb_per_s)" "$(field "$json" mb_per_cpu_s)" "$(field "$json" peak_rss_mib)"
    done
    if command -v valgrind >/dev/null; then
        # Instructions per record, repeatable on a noisy machine: (4 MB run - 2 MB run) / records.
        count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$parse_bin" --megabytes "$1" 2>&1 |
            sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
        records_of() { field "$("$parse_bin" --megabytes "$1")" records; }
        i2=$(count 2)
        i4=$(count 4)
        r2=$(records_of 2)
        r4=$(records_of 4)
        echo
        echo "callgrind: $(( (i4 - i2) / (r4 - r2) )) instructions per record parsed (16 fields, ~540 bytes)"
    fi
fi

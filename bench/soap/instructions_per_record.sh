#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/soap/instructions_per_record.sh [BUILD_DIR] — the CPU cost of a record, Ferry against
# python3-zeep, counted in instructions (valgrind --tool=callgrind: repeatable on a shared,
# noisy machine, unlike CPU seconds). Each client reads the spyne peer's paged operation twice,
# SMALL and LARGE records (pages of 500, the peer's pages cached); the difference divided by
# LARGE - SMALL is the cost of one more record, without start-up (WSDL import, dlopen, Python).
#
#   SMALL=5000 LARGE=15000 bench/soap/instructions_per_record.sh build
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
small=${SMALL:-5000}
large=${LARGE:-15000}
peer=$root/tests/adapters/soap/peer/registry_peer.py
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# instructions OUT COMMAND…: the program's instruction count (all threads)
instructions() {
    local out=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" > /dev/null 2> "$out"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out" | tail -1
}

declare -A count
for records in "$small" "$large"; do
    /usr/bin/python3 "$peer" serve --port 0 --records "$records" --threads --cache-pages \
        --lifetime 900 > "$work/peer.out" &
    pids+=($!)
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/^PORT //p' "$work/peer.out")
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || { echo "the peer did not start" >&2; exit 1; }
    pages=$(( (records + 499) / 500 ))
    /usr/bin/python3 "$here/raw_roof.py" "$port" 500 "$pages" > /dev/null # fills the cache
    for concurrency in 1 8; do
        options='{"wsdl": "http://127.0.0.1:'$port'/?wsdl", "datasets": {"enterprises": {"operation": "list_enterprise_page", "paging": {"kind": "page", "page_param": "page_no", "size_param": "page_size", "size": 500, "concurrency": '$concurrency'}}}}'
        count[ferry$concurrency,$records]=$(instructions "$work/ferry.err" "$build/sdk/ferry-cat" \
            --plugin "$build/adapters/soap/ferry_adapter_soap.so" --options "$options" \
            --dataset enterprises)
    done
    count[zeep,$records]=$(instructions "$work/zeep.err" /usr/bin/python3 \
        "$here/zeep_page_client.py" "http://127.0.0.1:$port/?wsdl" 500)
    kill "${pids[-1]}" 2>/dev/null || true
done

per_record() { python3 -c "print(round(($2 - $1) / ($large - $small)))"; }
zeep=$(per_record "${count[zeep,$small]}" "${count[zeep,$large]}")
echo
echo "Instructions per record (callgrind, ($large - $small) records of the spyne peer's paged operation, pages of 500)"
printf '%-40s %14s %14s %16s %12s\n' client "$small records" "$large records" "per record" "zeep / this"
for client in ferry1 ferry8 zeep; do
    case $client in
    ferry1) label="ferry-cat + soap adapter, concurrency 1" ;;
    ferry8) label="ferry-cat + soap adapter, concurrency 8" ;;
    zeep) label="python3-zeep (zeep_page_client.py)" ;;
    esac
    each=$(per_record "${count[$client,$small]}" "${count[$client,$large]}")
    printf '%-40s %14s %14s %16s %12s\n' "$label" "${count[$client,$small]}" \
        "${count[$client,$large]}" "$each" "$(python3 -c "print(f'{$zeep / $each:.1f}')")"
done

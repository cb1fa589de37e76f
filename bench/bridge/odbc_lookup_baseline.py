#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# odbc_lookup_baseline.py DB KEYS N — the plain alternative to a bridge lookup: a parameterised
# SELECT by key through pyodbc and the SQLite3 ODBC driver, in-process (no HTTP, no mapping, no
# grants). Prints JSON with p50/p99 in microseconds.
import json
import sys
import time

import pyodbc

db, keys_file, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
keys = [line.strip() for line in open(keys_file) if line.strip()]
connection = pyodbc.connect(f"Driver=SQLite3;Database={db};StepAPI=1")
cursor = connection.cursor()
times = []
for i in range(count):
    key = keys[(i * 7919) % len(keys)]
    start = time.perf_counter()
    cursor.execute("SELECT * FROM AC08 WHERE AAZ083 = ?", key)
    rows = cursor.fetchall()
    times.append((time.perf_counter() - start) * 1e6)
    assert rows, key
times.sort()
print(json.dumps({"lookups": count, "p50_us": round(times[len(times) // 2]),
                  "p99_us": round(times[int(len(times) * 0.99)]),
                  "per_s": round(count / (sum(times) / 1e6))}))

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# audit_soak.py — the audit chain under concurrent writers: the daemon serving wrk on loopback,
# two loops of `--export` runs beside it, the log rotating into small segments; then
# `--verify-audit` over the folder, and the sequence numbers must run 1..N with one line per
# export. Not part of ctest (it runs for --seconds); docs/bridge.md gives the command.
#
#   audit_soak.py --bridge BIN --plugin SO --source-dir DIR [--seconds 10] [--max-bytes 65536]
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bridge_daemon_test as daemon  # noqa: E402  (its config and daemon helpers)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bridge", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--max-bytes", type=int, default=65536)
    args = parser.parse_args()
    bridge_bin = os.path.abspath(args.bridge)
    tmp = tempfile.mkdtemp(prefix="ferry-audit-soak-")
    try:
        config = daemon.write_config(tmp, os.path.abspath(args.plugin),
                                     os.path.abspath(args.source_dir))
        with open(config) as f:
            doc = json.load(f)
        audit_dir = os.path.join(tmp, "audit")
        doc["audit_file"] = os.path.join(audit_dir, "audit.jsonl")
        doc["audit_rotation"] = {"max_bytes": args.max_bytes}
        with open(config, "w") as f:
            json.dump(doc, f)
        bridge = daemon.Bridge(bridge_bin, config, tmp)
        env = dict(os.environ, FERRY_PSEUDONYM_KEY="integration-test-key")
        deadline = time.time() + args.seconds
        exports = {"ok": 0, "failed": 0}
        lock = threading.Lock()

        def export_loop(name):
            for run in range(100000):
                if time.time() >= deadline:
                    return
                out = os.path.join(tmp, f"export-{name}-{run % 2}")
                done = subprocess.run([bridge_bin, "--config", config, "--export", out,
                                       "--consumer", "partial"], capture_output=True, env=env,
                                      timeout=60)
                with lock:
                    exports["ok" if done.returncode == 0 else "failed"] += 1

        try:
            loops = [threading.Thread(target=export_loop, args=(name,)) for name in "ab"]
            for loop in loops:
                loop.start()
            wrk = subprocess.run(["wrk", "-t1", "-c4", f"-d{args.seconds}s", "-H",
                                  "Authorization: Bearer key-tax",
                                  bridge.base + "/v1/catalog"],
                                 capture_output=True, text=True, timeout=args.seconds + 60)
            for loop in loops:
                loop.join(timeout=120)
        finally:
            bridge.stop()
        verify = subprocess.run([bridge_bin, "--verify-audit", audit_dir], capture_output=True,
                                text=True)
        segments = sorted(n for n in os.listdir(audit_dir)
                          if n.endswith(".jsonl") and n != "audit.jsonl") + ["audit.jsonl"]
        seqs, export_lines = [], 0
        for name in segments:
            with open(os.path.join(audit_dir, name)) as f:
                for line in f:
                    event = json.loads(line)
                    seqs.append(event["seq"])
                    export_lines += event["route"] == "export"
        requests = [l for l in wrk.stdout.splitlines() if "requests in" in l]
        print(f"wrk: {requests[0].strip() if requests else wrk.stdout + wrk.stderr}")
        print(f"exports: {exports['ok']} ok, {exports['failed']} failed; "
              f"export audit lines: {export_lines}")
        print(f"audit: {len(seqs)} lines in {len(segments)} segments; "
              f"sequence 1..N: {seqs == list(range(1, len(seqs) + 1))}")
        print(f"--verify-audit: exit {verify.returncode}: {verify.stdout.strip()}")
        good = (verify.returncode == 0 and seqs == list(range(1, len(seqs) + 1)) and
                exports["failed"] == 0 and export_lines == exports["ok"] > 0)
        print("PASS" if good else "FAIL")
        return 0 if good else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# bridge_daemon_test.py — starts the real ferry-bridge on 127.0.0.1 (ephemeral port) over the
# example adapter and drives it over HTTP with urllib: catalog, records with cursor resume
# exactly once, lookups, rejects, auth failures, grants and masking, rate limits and quotas,
# metrics, reload, export with manifest, the source's verdict (an unreconciled source fails the
# stream and the export; vacant slots are skipped and reconcile), graceful drain on SIGTERM, and
# audit-chain verification (including detection of a tampered line). Every wait is bounded; the
# temp dir is removed.
#
#   bridge_daemon_test.py --bridge BIN --plugin SO --source-dir DIR
import argparse
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

FAILURES = []


def check(condition, what):
    if condition:
        print(f"ok   {what}")
    else:
        print(f"FAIL {what}")
        FAILURES.append(what)


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def consumer(ident, grants, **extra):
    return {"id": ident, "key_sha256": key_hash("key-" + ident), "grants": grants, **extra}


def write_config(tmp, plugin, source_dir, odbc_plugin=None, estate_db=None):
    forever = "2099-12-31"
    consumers = {"consumers": [
        consumer("full", [{"dataset": "persons", "purpose": "benefit checks", "expires": forever,
                           "clear": ["person_id", "name", "id_number"]}] +
                 ([{"dataset": "contributions", "purpose": "reconciliation", "expires": forever}]
                  if estate_db else []) + [
                          {"dataset": "big", "purpose": "bulk", "expires": forever},
                          {"dataset": "restricted", "purpose": "benefit checks", "expires": forever,
                           "clear": ["person_id", "id_number"]},
                          {"dataset": "short", "purpose": "bulk", "expires": forever},
                          {"dataset": "vacant", "purpose": "bulk", "expires": forever}]),
        consumer("tax", [{"dataset": dataset, "purpose": "contribution reconciliation",
                          "expires": forever} for dataset in ["persons", "short", "vacant"]]),
        consumer("open", [{"dataset": "persons"}]),
        consumer("partial", [{"dataset": "vacant", "purpose": "bulk", "expires": forever}]),
        consumer("slow", [], rate_limit={"requests_per_second": 0.2, "burst": 2}),
        consumer("quota", [{"dataset": "persons", "purpose": "sampling", "expires": forever}],
                 rate_limit={"daily_records": 100}),
        consumer("ops", [{"dataset": "persons", "purpose": "operations", "expires": forever}],
                 role="operator"),
    ]}
    with open(os.path.join(tmp, "consumers.json"), "w") as out:
        json.dump(consumers, out)
    mapping = os.path.join(source_dir, "samples/mappings/synthetic_persons.person.mapping.json")
    # The same mapping with "name" restricted to 不予共享 (a mapping may restrict, never loosen).
    with open(mapping, encoding="utf-8") as f:
        restricted = json.loads("".join(l for l in f if not l.lstrip().startswith("//")))
    restricted["catalog"] = os.path.join(source_dir, "schemas")
    restricted["fields"]["name"]["sharing"] = "none"
    restricted_mapping = os.path.join(tmp, "restricted.mapping.json")
    with open(restricted_mapping, "w", encoding="utf-8") as out:
        json.dump(restricted, out, ensure_ascii=False)
    config = {
        "listen": {"address": "127.0.0.1", "port": 0, "max_threads": 8, "max_queued": 32},
        "catalog": {"dir": os.path.join(source_dir, "schemas"), "title": "Test catalog"},
        "state_dir": os.path.join(tmp, "state"),
        "consumers_file": "consumers.json",
        "sources": {
            "synthetic": {"plugin": plugin, "options": {"count": 5000, "dirty_every": 25}},
            "bulk": {"plugin": plugin, "options": {"count": 100000}},
            # A register whose header declares one slot more than it holds: never complete.
            "short_register": {"plugin": plugin, "options": {"count": 1000, "declared_count": 1001}},
            "vacant_register": {"plugin": plugin, "options": {"count": 1000, "vacant_every": 10}},
        },
        "datasets": [
            {"id": "persons", "source": "synthetic", "mapping": mapping},
            {"id": "big", "source": "bulk", "mapping": mapping},
            {"id": "restricted", "source": "synthetic", "mapping": restricted_mapping},
            {"id": "short", "source": "short_register", "mapping": mapping},
            {"id": "vacant", "source": "vacant_register", "mapping": mapping},
        ],
        "limits": {"batch_rows": 256, "mapping_threads": 1, "drain_seconds": 30},
    }
    if estate_db:
        config["sources"]["estate_db"] = {
            "plugin": odbc_plugin,
            "options": {"connection": f"Driver=SQLite3;Database={estate_db};StepAPI=1"}}
        config["datasets"].append({
            "id": "contributions", "source": "estate_db",
            "mapping": os.path.join(source_dir,
                                    "samples/mappings/estate_ac08.contribution.mapping.json")})
    path = os.path.join(tmp, "bridge.json")
    with open(path, "w") as out:
        json.dump(config, out)
    return path


class Bridge:
    def __init__(self, binary, config, tmp):
        self.tmp = tmp
        port_file = os.path.join(tmp, "state", "bridge.port")
        env = dict(os.environ, FERRY_PSEUDONYM_KEY="integration-test-key")
        self.log = open(os.path.join(tmp, "bridge.log"), "w")
        self.proc = subprocess.Popen([binary, "--config", config], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 30
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("the bridge did not start:\n" + self.output())
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())
        self.base = f"http://127.0.0.1:{self.port}"

    def output(self):
        self.log.flush()
        with open(os.path.join(self.tmp, "bridge.log")) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def get(self, path, key=None, method="GET"):
        request = urllib.request.Request(self.base + path, method=method)
        if key:
            request.add_header("Authorization", "Bearer key-" + key)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def json(self, path, key=None):
        status, _, body = self.get(path, key)
        return status, json.loads(body)

    def records(self, path, key):
        status, _, body = self.get(path, key)
        lines = [json.loads(line) for line in body.splitlines()]
        return status, [l for l in lines if "_cursor" not in l], [l for l in lines if "_cursor" in l]


def pull_all(bridge, key, limit):
    ids, since = [], ""
    for _ in range(10000):
        query = f"?limit={limit}" + (f"&since={since}" if since else "")
        status, records, controls = bridge.records("/v1/datasets/persons/records" + query, key)
        assert status == 200, status
        ids += [r["person_id"] for r in records]
        summary = controls[-1]
        since = summary["_cursor"]
        if summary["_complete"]:
            return ids, summary
    raise RuntimeError("pull did not finish")


def run(args, tmp):
    config = write_config(tmp, args.plugin, args.source_dir, args.odbc_plugin, args.estate_db)
    bridge = Bridge(args.bridge, config, tmp)
    try:
        exercise(bridge, args, tmp)
        if args.estate_db:
            estate(bridge)
        drain_on_sigterm(bridge)
    finally:
        bridge.stop()
    check(bridge.proc.returncode == 0, f"graceful shutdown exits 0 (got {bridge.proc.returncode})")
    audit(args, tmp)
    export(args, tmp, config)


def exercise(bridge, args, tmp):
    # Health and auth.
    check(bridge.get("/healthz")[0] == 200, "healthz")
    check(bridge.get("/readyz")[0] == 200, "readyz")
    status, headers, body = bridge.get("/v1/catalog")
    check(status == 401 and "WWW-Authenticate" in headers, "no API key: 401")
    check(bridge.get("/v1/catalog", "wrong")[0] == 401, "unknown API key: 401")
    status, catalog = bridge.json("/v1/catalog", "tax")
    check(status == 200 and [d["id"] for d in catalog["datasets"]][:3] == ["persons", "big", "restricted"],
          "catalog lists the datasets")
    status, dcat = bridge.json("/v1/catalog?format=dcat", "tax")
    check(status == 200 and "@context" in dcat and "dcat:dataset" in json.dumps(dcat),
          "catalog as DCAT-AP JSON-LD")
    check(bridge.get("/v1/catalog?format=xml", "tax")[0] == 400, "unknown catalog format: 400")

    # Dataset descriptions follow the grant.
    status, described = bridge.json("/v1/datasets/persons", "tax")
    fields = {f["name"]: f["access"] for f in described["fields"]}
    check(status == 200 and fields.get("id_number") == "masked" and fields.get("sex") == "clear",
          "dataset description shows masked and clear fields")
    check("pattern" not in described["schema"]["properties"]["id_number"],
          "masked fields lose their pattern in the consumer's schema")
    check(bridge.get("/v1/datasets/persons", "open")[0] == 403,
          "有条件共享 dataset without purpose/expiry: 403")
    check(bridge.get("/v1/datasets/nope", "tax")[0] == 404, "unknown dataset: 404")

    # HTTP details: status lines with their reason, a JSON body naming the HTTP refusal, 405 with
    # Allow for a known route and the wrong method, and no parameter given twice.
    conn = http.client.HTTPConnection("127.0.0.1", bridge.port, timeout=30)
    conn.request("GET", "/v1/datasets/persons", headers={"Authorization": "Bearer key-open"})
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    check(response.status == 403 and response.reason == "Forbidden" and body["code"] == "forbidden",
          f"403 Forbidden with code forbidden ({response.status} {response.reason}, {body['code']})")
    status, headers, body = bridge.get("/v1/catalog", "tax", method="POST")
    check(status == 405 and headers.get("Allow") == "GET, HEAD" and
          json.loads(body)["code"] == "method_not_allowed", f"POST on a GET route: 405 ({status})")
    status, headers, _ = bridge.get("/v1/admin/reload", "ops")
    check(status == 405 and headers.get("Allow") == "POST", f"GET on the reload route: 405 ({status})")
    status, _, body = bridge.get("/v1/datasets/persons/records?limit=1&limit=2", "full")
    check(status == 400 and "more than once" in json.loads(body)["message"],
          f"a parameter given twice: 400 ({status})")

    # Records: paged pulls deliver every record exactly once, for any page size.
    full_ids, summary = pull_all(bridge, "full", 100000)
    check(len(full_ids) == 4800 and len(set(full_ids)) == 4800, "full pull: 4800 delivered")
    check(summary["_delivered"] == 4800 and summary["_rejected"] == 200,
          "summary reconciles: read 5000 = delivered 4800 + rejected 200")
    paged, _ = pull_all(bridge, "full", 777)
    check(paged == full_ids, "pages of 777 deliver every record exactly once")
    status, records, controls = bridge.records("/v1/datasets/persons/records", "full")
    middle = controls[len(controls) // 2]["_cursor"]
    before = sum(1 for _ in records[: len(records)])  # records are in cursor order
    status, rest, _ = bridge.records("/v1/datasets/persons/records?since=" + middle, "full")
    check(status == 200 and full_ids[len(full_ids) - len(rest):] == [r["person_id"] for r in rest],
          "resuming from a mid-stream cursor delivers exactly the rest")

    # 不予共享 never leaves: not in records, lookups, the consumer's schema or the DCAT items.
    status, records, _ = bridge.records("/v1/datasets/restricted/records?limit=50", "full")
    check(status == 200 and len(records) == 50 and not any("name" in r for r in records),
          "不予共享 field absent from records")
    status, record = bridge.json("/v1/datasets/restricted/records/P00000042", "full")
    check(status == 200 and "name" not in record and record["id_number"].isdigit(),
          "不予共享 field absent from lookups")
    status, described = bridge.json("/v1/datasets/restricted", "full")
    check("name" not in described["schema"]["properties"] and
          "name" not in [f["name"] for f in described["fields"]], "不予共享 field absent from the schema")
    item_lists = []

    def collect(node):
        if isinstance(node, dict):
            if "ferry:infoItem" in node:
                item_lists.append([i.get("ferry:name") for i in node["ferry:infoItem"]])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(dcat)
    person_lists = [items for items in item_lists if "id_number" in items]
    check(len(person_lists) == 5 and sum("name" in items for items in person_lists) == 4,
          "不予共享 field not advertised in DCAT")

    # Masking for a grant without clear values.
    status, masked, _ = bridge.records("/v1/datasets/persons/records?limit=20", "tax")
    check(all(re.fullmatch(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]", r["id_number"]) for r in masked),
          "id_number masked (keep 6 + 4)")
    check(all(len(r["person_id"]) == 64 for r in masked), "person_id pseudonymised")
    check(all(r["birth_date"] is None and r["declared_wage"] is None for r in masked),
          "birth_date and declared_wage redacted")

    # Lookups.
    status, record = bridge.json("/v1/datasets/persons/records/P00000042", "full")
    check(status == 200 and record["person_id"] == "P00000042", "lookup by key")
    # A consumer who sees the key pseudonymised cannot look it up by its clear value: the answer
    # would pair the two, and asking for every ID would map the pseudonyms back to people.
    status, record = bridge.json("/v1/datasets/persons/records/P00000042", "tax")
    check(status == 403 and "masked" in json.dumps(record) and
          not re.search(r"[0-9a-f]{64}", json.dumps(record)),
          f"lookup by a masked key is refused, no pseudonym in the answer ({status})")
    check(bridge.get("/v1/datasets/persons/records/P09999999", "full")[0] == 404,
          "lookup of an unknown key: 404")
    status, body = bridge.json("/v1/datasets/persons/records/P00000025", "full")
    check(status == 422 and body["field"] == "id_number" and body["record_no"] == 25,
          "lookup of a rejected record: 422 naming field and record")
    check(not re.search(r"[0-9]{15}", json.dumps(body)), "reject body quotes no ID number")
    check(bridge.get("/v1/datasets/persons/records/abc", "full")[0] == 400,
          "malformed key refused by the source: 400")
    check(bridge.get("/v1/datasets/persons/records/a%01b", "full")[0] == 400,
          "key with control characters: 400")

    # Parameter validation.
    for query in ["limit=0", "limit=abc", "limit=-5", "since=garbage", "colour=blue",
                  "since=" + middle[:5] + ("B" if middle[5] != "B" else "C") + middle[6:]]:
        status, body = bridge.json("/v1/datasets/persons/records?" + query, "full")
        check(status == 400 and body["code"] == "invalid_argument", f"bad parameter {query}: 400")

    # Rejects are for operators and never carry values.
    status, rejects = bridge.json("/v1/datasets/persons/rejects?limit=1000", "ops")
    check(status == 200 and [r["record_no"] for r in rejects["rejects"]][:3] == [25, 50, 75],
          "rejects list record numbers")
    check(all(r["field"] == "id_number" and r["rule"] for r in rejects["rejects"]),
          "rejects name field and rule")
    check(not re.search(r"[0-9]{15}", json.dumps(rejects)), "rejects carry no ID numbers")
    check(bridge.get("/v1/datasets/persons/rejects", "tax")[0] == 403, "rejects: 403 for consumers")

    # Rate limits and quotas.
    codes = [bridge.get("/v1/catalog", "slow")[0] for _ in range(3)]
    status, headers, body = bridge.get("/v1/catalog", "slow")
    check(codes[:2] == [200, 200] and codes[2] == 429 and "Retry-After" in headers and
          json.loads(body)["code"] == "rate_limited",
          f"rate limit: burst of 2 then 429, code rate_limited ({codes})")
    status, records, _ = bridge.records("/v1/datasets/persons/records", "quota")
    check(status == 200 and len(records) == 100, "daily quota caps a pull at 100 records")
    check(bridge.get("/v1/datasets/persons/records", "quota")[0] == 429, "quota used up: 429")

    # A client that disconnects mid-pull resumes from its last cursor and loses nothing.
    connection = http.client.HTTPConnection("127.0.0.1", bridge.port, timeout=30)
    connection.request("GET", "/v1/datasets/persons/records",
                       headers={"Authorization": "Bearer key-full"})
    response = connection.getresponse()
    got, cursor = [], None
    while cursor is None or len(got) < 1000:
        doc = json.loads(response.readline())
        if "_cursor" in doc:
            cursor = doc["_cursor"]
            kept = len(got)
        else:
            got.append(doc["person_id"])
    connection.close()
    status, rest, _ = bridge.records("/v1/datasets/persons/records?since=" + cursor, "full")
    check(got[:kept] + [r["person_id"] for r in rest] == full_ids,
          "disconnect mid-pull, resume from the last cursor: nothing lost or repeated")

    verdicts(bridge)

    # Operations.
    status, headers, text = bridge.get("/metrics")
    check(status == 200 and
          'ferry_bridge_requests_total{route="records",dataset="persons",consumer="full",status="200"}'
          in text and "ferry_bridge_records_delivered_total" in text and
          "ferry_bridge_request_duration_seconds_bucket" in text, "Prometheus metrics")
    check(bridge.get("/v1/openapi.yaml")[0] == 200, "OpenAPI document served")
    check(bridge.get("/v1/admin/reload", "ops", method="POST")[0] == 200, "reload by an operator")
    # Usage from the audit log: what each consumer took, per dataset and field.
    status, usage = bridge.json("/v1/admin/usage", "ops")
    full_persons = [u for u in usage.get("usage", []) if u["consumer"] == "full" and u["dataset"] == "persons"]
    check(status == 200 and full_persons and full_persons[0]["records"] >= 4800 and
          "id_number" in full_persons[0]["fields"], f"usage report by an operator ({status})")
    check(bridge.get("/v1/admin/usage", "tax")[0] == 403, "usage: 403 for consumers")
    check(bridge.get("/v1/admin/usage?from=2026-13-01", "ops")[0] == 400, "usage: a bad day is a 400")
    check(bridge.get("/v1/admin/reload", "tax", method="POST")[0] == 403, "reload: 403 for consumers")
    check(bridge.get("/v1/datasets/persons/records/P00000042", "full")[0] == 200,
          "lookups work after a reload")


def verdicts(bridge):
    # A full read of a source that declares more records than it holds ends with the error line.
    status, records, controls = bridge.records("/v1/datasets/short/records", "full")
    last = controls[-1]
    shortfall = "the register's header counts 1001 records, 1000 were read"
    check(status == 200 and len(records) == 1000 and last["_complete"] is False and
          last["_verdict"] == "unreconciled" and last["_error"]["code"] == "data" and
          last["_error"]["message"] == "unreconciled: " + shortfall,
          f"unreconciled source: the stream ends with the error line ({last})")
    status, records, controls = bridge.records("/v1/datasets/short/records?limit=10", "full")
    check(status == 200 and len(records) == 10 and "_verdict" not in controls[-1] and
          "_error" not in controls[-1], "a page the bridge cut itself carries no verdict")
    status, records, controls = bridge.records("/v1/datasets/persons/records", "full")
    check(controls[-1]["_verdict"] == "reconciled" and controls[-1]["_skipped"] == 0,
          "a full read of a sound source ends reconciled")
    status, records, controls = bridge.records("/v1/datasets/vacant/records", "full")
    last = controls[-1]
    check(status == 200 and last["_complete"] and last["_verdict"] == "reconciled" and
          last["_skipped"] == 100 and last["_delivered"] + last["_rejected"] == 900,
          "vacant slots are skipped and the stream reconciles (read 1000 = 880 + 20 + 100)")
    status, _, text = bridge.get("/metrics")
    check('ferry_bridge_stream_verdicts_total{dataset="short",verdict="unreconciled"} 1' in text and
          'ferry_bridge_stream_verdicts_total{dataset="short",verdict="reconciled"} 0' in text and
          'ferry_bridge_stream_verdicts_total{dataset="vacant",verdict="reconciled"} 1' in text and
          'ferry_bridge_records_skipped_total{dataset="vacant"} 100' in text and
          'ferry_bridge_source_errors_total{dataset="short"} 1' in text,
          "metrics count streams by verdict and skipped records")


def estate(bridge):
    # The sample estate through the ODBC adapter: the README's data source.
    status, records, controls = bridge.records("/v1/datasets/contributions/records", "full")
    summary = controls[-1]
    check(status == 200 and summary["_complete"] and
          summary["_delivered"] + summary["_rejected"] == 2400 and
          len(records) == summary["_delivered"], "estate contributions: read 2400 = delivered + rejected")
    ids = [r["contribution_id"] for r in records]
    paged, since = [], ""
    for _ in range(100):
        query = "?limit=500" + (f"&since={since}" if since else "")
        status, page, controls = bridge.records("/v1/datasets/contributions/records" + query, "full")
        paged += [r["contribution_id"] for r in page]
        since = controls[-1]["_cursor"]
        if controls[-1]["_complete"]:
            break
    check(paged == ids, "estate contributions: pages of 500 deliver every record exactly once")
    status, record = bridge.json("/v1/datasets/contributions/records/" + ids[100], "full")
    check(status == 200 and record["contribution_id"] == ids[100] and len(record["person_id"]) == 64,
          "estate lookup through the ODBC adapter's prepared statement")
    check(bridge.get("/v1/datasets/contributions/records/0000000000000000", "full")[0] == 404,
          "estate lookup of an unknown key: 404")


def drain_on_sigterm(bridge):
    # A long pull is in flight when SIGTERM arrives: it finishes (drain), then the bridge exits.
    connection = http.client.HTTPConnection("127.0.0.1", bridge.port, timeout=60)
    connection.request("GET", "/v1/datasets/big/records",
                       headers={"Authorization": "Bearer key-full"})
    response = connection.getresponse()
    response.readline()
    bridge.proc.send_signal(signal.SIGTERM)
    count, last = 1, None
    for line in response:
        count += 1
        last = line
    summary = json.loads(last)
    check(summary.get("_complete") is True and summary["_delivered"] == 100000,
          f"SIGTERM drains the in-flight stream to its end ({summary.get('_delivered')} records)")
    try:
        bridge.proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        pass


def audit(args, tmp):
    log = os.path.join(tmp, "state", "audit.jsonl")
    verify = subprocess.run([args.bridge, "--verify-audit", log], capture_output=True, text=True)
    check(verify.returncode == 0 and "intact" in verify.stdout, "audit chain verifies")
    with open(log) as f:
        lines = f.readlines()
    events = [json.loads(l) for l in lines]
    check(any(e["route"] == "records" and e["consumer"] == "full" and e["records"] == 4800 and
              e["purpose"] == "benefit checks" for e in events),
          "audit records consumer, dataset, count and purpose")
    check(any(e["result"] == "unauthenticated" for e in events), "auth failures are audited")
    check(any(e["route"] == "records" and e["dataset"] == "short" and
              e["result"] == "unreconciled" and e["verdict"] == "unreconciled" for e in events),
          "an unreconciled stream is audited as such")
    check(not any("key-" in l for l in lines), "no API key in the audit log")
    tampered = json.loads(lines[4])
    tampered["records"] = 999999
    lines[4] = json.dumps(tampered) + "\n"
    with open(log, "w") as f:
        f.writelines(lines)
    verify = subprocess.run([args.bridge, "--verify-audit", log], capture_output=True, text=True)
    check(verify.returncode != 0 and ":5: tampered" in verify.stdout,
          f"tampered line 5 is reported ({verify.stdout.strip()})")


def export(args, tmp, config):
    out = os.path.join(tmp, "export")
    env = dict(os.environ, FERRY_PSEUDONYM_KEY="integration-test-key")
    # The audit log was tampered with above; the exports write to a fresh one, in small
    # segments, beside a daemon that appends to it at the same time.
    audit_dir = os.path.join(tmp, "audit2")
    with open(config) as f:
        doc = json.load(f)
    doc["audit_file"] = os.path.join(audit_dir, "audit.jsonl")
    doc["audit_rotation"] = {"max_bytes": 16384}
    with open(config, "w") as f:
        json.dump(doc, f)
    os.remove(os.path.join(tmp, "state", "bridge.port"))
    bridge = Bridge(args.bridge, config, tmp)
    stop = threading.Event()
    requests = []

    def beside():
        while not stop.is_set() and len(requests) < 5000:
            requests.append(bridge.get("/v1/catalog", "tax")[0])

    thread = threading.Thread(target=beside)
    thread.start()
    try:
        run = subprocess.run([args.bridge, "--config", config, "--export", out, "--consumer",
                              "tax", "--datasets", "persons"], capture_output=True, text=True,
                             env=env, timeout=60)
        short_out = os.path.join(tmp, "export-short")
        short_run = subprocess.run([args.bridge, "--config", config, "--export", short_out,
                                    "--consumer", "tax", "--datasets", "vacant,short,persons"],
                                   capture_output=True, text=True, env=env, timeout=60)
        granted_out = os.path.join(tmp, "export-granted")
        granted_run = subprocess.run([args.bridge, "--config", config, "--export", granted_out,
                                      "--consumer", "partial"], capture_output=True, text=True,
                                     env=env, timeout=60)
    finally:
        stop.set()
        thread.join(timeout=30)
        bridge.stop()
    check(run.returncode == 0, "export mode runs" + ("" if run.returncode == 0 else run.stderr))
    with open(os.path.join(out, "manifest.json")) as f:
        manifest = json.load(f)
    entry = manifest["datasets"][0]
    with open(os.path.join(out, entry["file"]), "rb") as f:
        data = f.read()
    check(hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"],
          "manifest SHA-256 and size match the file")
    check(data.count(b"\n") == entry["delivered"] == 4800 and entry["rejected"] == 200 and
          entry["read"] == 5000, "manifest counts reconcile with the file")
    check(manifest["status"] == "complete" and entry["verdict"] == "reconciled" and
          entry["reconciliation"]["figures"][0]["declared"] == "5000", "manifest gives the verdict")

    # An unreconciled dataset fails the export: nothing appears, the manifest on stdout says why.
    manifest = json.loads(short_run.stdout)
    vacant, short = manifest["datasets"]
    check(short_run.returncode == 65 and "exporting \"short\"" in short_run.stderr and
          "counts 1001 records, 1000 were read" in short_run.stderr,
          f"unreconciled dataset: export exits 65 naming it "
          f"({short_run.returncode}: {short_run.stderr.strip()})")
    check(manifest["status"] == "failed" and manifest["error"]["dataset"] == "short" and
          "1001" in manifest["error"]["message"] and manifest["not_exported"] == ["persons"],
          "manifest says which dataset failed and why")
    check(not os.path.exists(short_out) and
          not any(name.startswith(".export-short") for name in os.listdir(tmp)),
          "a failed export leaves no folder, staged or not")
    check(short["status"] == "failed" and short["file"] is None and
          short["verdict"] == "unreconciled", "the unreconciled dataset has no file")
    check(vacant["status"] == "complete" and vacant["verdict"] == "reconciled" and
          vacant["skipped"] == 100 and vacant["skipped_by_reason"] == {"vacant_slot": 100} and
          vacant["read"] == 1000, "manifest shows skipped records by reason")

    # Without --datasets: what the consumer is granted, and a list of what was left out.
    with open(os.path.join(granted_out, "manifest.json")) as f:
        manifest = json.load(f)
    check(granted_run.returncode == 0 and
          [d["dataset"] for d in manifest["datasets"]] == ["vacant"] and
          "short" in [d["dataset"] for d in manifest["left_out"]] and
          "left out" in granted_run.stderr,
          "an export without --datasets takes the granted ones and lists the rest")

    verify = subprocess.run([args.bridge, "--verify-audit", audit_dir], capture_output=True,
                            text=True)
    events = []
    for name in sorted(os.listdir(audit_dir)):
        if name.endswith(".jsonl") and name != "audit.jsonl":
            with open(os.path.join(audit_dir, name)) as f:
                events += [json.loads(line) for line in f]
    with open(os.path.join(audit_dir, "audit.jsonl")) as f:
        events += [json.loads(line) for line in f]
    check(verify.returncode == 0 and "segments" in verify.stdout and
          [e["seq"] for e in events] == list(range(1, len(events) + 1)) and
          len(requests) > 0 and all(status == 200 for status in requests),
          f"exports beside the daemon ({len(requests)} requests) keep one chain over "
          f"its segments ({verify.stdout.strip()})")
    exports = [e for e in events if e["route"] == "export"]
    check([(e["result"], e.get("dataset"), e.get("verdict"),
            [d["dataset"] for d in e["datasets"]]) for e in exports] ==
          [("ok", None, None, ["persons"]),
           ("unreconciled", "short", "unreconciled", ["vacant", "short", "persons"]),
           ("ok", None, None, ["vacant"])] and
          exports[0]["datasets"][0]["verdict"] == "reconciled",
          "each export is audited once, with its verdicts")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bridge", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--odbc-plugin", help="with --estate-db: also serve the sample estate")
    parser.add_argument("--estate-db")
    args = parser.parse_args()
    args.bridge = os.path.abspath(args.bridge)
    args.plugin = os.path.abspath(args.plugin)
    args.source_dir = os.path.abspath(args.source_dir)
    if args.estate_db:
        args.odbc_plugin = os.path.abspath(args.odbc_plugin)
        args.estate_db = os.path.abspath(args.estate_db)
    tmp = tempfile.mkdtemp(prefix="ferry-bridge-it-")
    try:
        run(args, tmp)
    except Exception as error:  # report, then fail
        FAILURES.append(repr(error))
        print("FAIL", repr(error))
        log = os.path.join(tmp, "bridge.log")
        if os.path.exists(log):
            print(open(log).read()[-4000:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())

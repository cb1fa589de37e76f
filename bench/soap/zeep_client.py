#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# zeep_client.py WSDL_URL RECORDS PAGE_SIZE — the baseline for bench/soap/run.sh: what a user
# would otherwise write with python3-zeep. Pages through the sample registry, maps each record
# the way samples/mappings/estate_soap_registration.mapping.json does, writes NDJSON to stdout,
# and prints {"records": …, "seconds": …} on stderr.
import decimal
import logging
import json
import sys
import time

import zeep

logging.disable(logging.CRITICAL)  # zeep logs every value it cannot convert; the count is what matters

wsdl, total, page_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = time.monotonic()
client = zeep.Client(wsdl)
out = sys.stdout
records = 0
page = 1
while records < total:
    answer = client.service.QueryEnterprises(pageNo=page, pageSize=page_size)
    rows = answer.records.record if answer.records is not None else []
    if not rows:
        break
    for row in rows:
        capital = row.zczb
        out.write(json.dumps({
            "uscc": row.tyshxydm.strip().upper(),
            "legacy_reg_no": (row.zch or "").strip() or None,
            "name": row.qymc.strip(),
            "entity_category": row.ztlb,
            "enterprise_type": row.qylx,
            "legal_rep_name": row.fddbr,
            "registered_capital": None if capital is None else
                str((capital * 10000).quantize(decimal.Decimal("0.01"))),
            "capital_currency": row.zczbbz,
            "business_scope": row.jyfw,
            "established_on": None if row.clrq is None else row.clrq.isoformat(),
            "approved_on": None if row.hzrq is None else row.hzrq.isoformat(),
            "operating_status": row.jyzt,
            "industry_code": row.hydm,
            "industry_section": row.hyml,
            "registration_authority": row.djjg,
            "registered_address": row.zs,
            "source_system": "sample-registry",
        }, ensure_ascii=False))
        out.write("\n")
        records += 1
    page += 1
print(json.dumps({"records": records, "seconds": round(time.monotonic() - start, 3)}),
      file=sys.stderr)

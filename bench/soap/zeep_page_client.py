#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# zeep_page_client.py WSDL_URL PAGE_SIZE — the baseline for bench/soap/paged_peer.sh: what a user
# would write with python3-zeep against the test peer's list_enterprise_page. Pages through it
# in turn (as a zeep user does: one request after another) until the records read reach the
# page's TotalCount or a page comes back empty, writes every record as one NDJSON line to stdout,
# and prints {"records": …, "seconds": …} on stderr.
import json
import logging
import sys
import time

import zeep

logging.disable(logging.CRITICAL)


def main():
    wsdl, page_size = sys.argv[1], int(sys.argv[2])
    start = time.monotonic()
    client = zeep.Client(wsdl)
    out = sys.stdout
    records = 0
    page_no = 1
    while True:
        page = client.service.list_enterprise_page(page_no=page_no, page_size=page_size)
        rows = page.Enterprises.Enterprise if page.Enterprises is not None else []
        if not rows:
            break
        for row in rows:
            out.write(json.dumps({
                "uscc": row.uscc,
                "name": row.name,
                "legal_rep": row.legal_rep,
                "registered_capital": None if row.registered_capital is None
                else str(row.registered_capital),
                "established_on": None if row.established_on is None
                else row.established_on.isoformat(),
                "updated_at": None if row.updated_at is None else row.updated_at.isoformat(),
                "status": row.status,
                "employees": row.employees,
            }, ensure_ascii=False))
            out.write("\n")
            records += 1
        if page.TotalCount is not None and records >= page.TotalCount:
            break
        page_no += 1
    out.flush()
    print(json.dumps({"records": records, "seconds": round(time.monotonic() - start, 3)}),
          file=sys.stderr)


if __name__ == "__main__":
    main()

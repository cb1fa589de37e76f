#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""What an integrator would write without Ferry: the same 12-field person mapping as a plain
Python loop over dict records (trim, crosswalk lookups, GB 11643 check, date parsing, mobile
normalisation and masking, decimal rounding). Prints one JSON line like bench_mapping."""
import datetime
import decimal
import json
import re
import resource
import sys
import time

SURNAMES = "张王李赵刘陈杨黄周吴"
GIVEN = "伟芳娜敏静磊洋勇艳杰涛明"
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SEX = {"1": "1", "2": "2", "0": "0", "9": "9", "M": "1", "F": "2"}
ID_TYPE = {"01": "111", "02": "112", "03": "113", "111": "111"}
ETHNICITY = {"%02d" % i for i in range(1, 57)}
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
CENT = decimal.Decimal("0.01")


def mix(x):
    m = (1 << 64) - 1
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & m
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & m
    return x ^ (x >> 33)


def check_char(body):
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, W)) % 11]


def record(n, dirty_every):
    r = mix(n)
    y, mo, d = 1950 + r % 55, 1 + (r >> 8) % 12, 1 + (r >> 16) % 28
    body = "110105%04d%02d%02d%03d" % (y, mo, d, (r >> 24) % 1000)
    c = check_char(body)
    if dirty_every and n % dirty_every == 0:
        c = "1" if c == "0" else "0"
    name = SURNAMES[r % 10] + GIVEN[(r >> 4) % 12] + (GIVEN[(r >> 20) % 12] if (r >> 12) & 1 else "")
    return {"AAC001": "%010d  " % n, "AAC058": "02" if r & 7 == 0 else "01", "AAC002": body + c,
            "AAC003": name + "  ", "AAC004": "1" if ((r >> 24) % 1000) % 2 else "2",
            "AAC005": "%02d" % (1 + (r >> 28) % 56), "AAC006": "%04d%02d%02d" % (y, mo, d),
            "AAC007": "%04d-%02d-01" % (y + 18, mo), "AAE005": "+86 13%09d" % ((r >> 3) % 1000000000),
            "AAC010": "北京市朝阳区建国路88号  ",
            "AAC040": decimal.Decimal(30000000 + r % 400000000).scaleb(-4)}


def gb11643(s):
    s = s.strip().upper()
    if len(s) != 18 or not s[:17].isdigit():
        raise ValueError("gb11643")
    datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    if check_char(s[:17]) != s[17]:
        raise ValueError("gb11643")
    return s


def mobile(s):
    s = s.replace(" ", "").replace("-", "")
    for prefix in ("+86", "0086", "86"):
        if s.startswith(prefix) and len(s) == 11 + len(prefix):
            s = s[len(prefix):]
    if not MOBILE.match(s):
        raise ValueError("mobile")
    return s


def map_record(src):
    out = {"person_id": src["AAC001"].strip(), "id_type": ID_TYPE[src["AAC058"].strip()],
           "id_number": gb11643(src["AAC002"]), "name": src["AAC003"].strip(),
           "sex": SEX[src["AAC004"].strip()]}
    if src["AAC005"] not in ETHNICITY:
        raise ValueError("in_code_table")
    out["ethnicity"] = src["AAC005"]
    out["birth_date"] = datetime.datetime.strptime(src["AAC006"], "%Y%m%d").date()
    out["first_work_date"] = datetime.date.fromisoformat(src["AAC007"])
    phone = mobile(src["AAE005"])
    out["phone"] = phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    out["household_address"] = src["AAC010"].strip()
    out["declared_wage"] = src["AAC040"].quantize(CENT, rounding=decimal.ROUND_HALF_UP)
    out["source_system"] = "bench"
    return out


def main():
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    batch = 8192
    delivered = rejected = 0
    mapping_seconds = 0.0
    for first in range(1, records + 1, batch):
        rows = [record(n, 100) for n in range(first, min(first + batch, records + 1))]
        start = time.perf_counter()
        for row in rows:
            try:
                map_record(row)
                delivered += 1
            except (ValueError, KeyError):
                rejected += 1
        mapping_seconds += time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"records": records, "delivered": delivered, "rejected": rejected, "threads": 1,
                      "seconds": round(mapping_seconds, 3),
                      "records_per_s": round(records / mapping_seconds),
                      "peak_rss_mib": round(rss, 1)}))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# pyodbc_dump.py CONNECTION TABLE — what a user would write instead of Ferry: dump a table to
# NDJSON with pyodbc (decimals as strings to stay exact, dates in ISO form).
import datetime
import decimal
import json
import sys

import pyodbc


def plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def main():
    conn = pyodbc.connect(sys.argv[1])
    cursor = conn.cursor()
    cursor.arraysize = 10000
    cursor.execute("SELECT * FROM %s" % sys.argv[2])
    names = [column[0] for column in cursor.description]
    out = sys.stdout
    while True:
        rows = cursor.fetchmany(10000)
        if not rows:
            break
        for row in rows:
            out.write(json.dumps({n: plain(v) for n, v in zip(names, row)}, ensure_ascii=False))
            out.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# make_table.py OUT.db ROWS — the benchmark's contribution table (AC08 layout of the sample
# estate) in SQLite, amounts stored as the legacy application wrote them (REAL).
import sqlite3
import sys

out, rows = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(out)
conn.execute("DROP TABLE IF EXISTS AC08")
conn.execute("""CREATE TABLE AC08 (AAZ083 VARCHAR2(20) NOT NULL PRIMARY KEY, AAC001 VARCHAR2(15) NOT NULL,
  AAB001 VARCHAR2(15) NOT NULL, AAE140 VARCHAR2(6) NOT NULL, AAE002 NUMBER(6) NOT NULL,
  AAE003 NUMBER(6) NOT NULL, AAA115 VARCHAR2(2), AAE143 VARCHAR2(2), AAE180 NUMBER(14,2),
  AAA041 NUMBER(6,4), AAE082 NUMBER(14,2), AAA042 NUMBER(6,4), AAE020 NUMBER(14,2),
  AAE056 NUMBER(14,2), AAE114 VARCHAR2(1), AAE100 VARCHAR2(1), AAE011 VARCHAR2(15), AAE036 TIMESTAMP)""")


def gen():
    for n in range(1, rows + 1):
        base = 3000 + n % 27000
        month = 1 + n % 12
        yield ("%016d" % n, "10%08d" % (n % 100000), "6101%08d" % (n % 2000), "0%d" % (1 + n % 5),
               201800 + month, 201800 + month, "10", "01", float(base), 0.08,
               round(base * 0.08, 2), 0.16, round(base * 0.16, 2), 0.0, "1", "1", "op001",
               "2018-%02d-%02d 10:%02d:%02d" % (month, 1 + n % 28, n % 60, (n * 7) % 60))


conn.executemany("INSERT INTO AC08 VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", gen())
conn.commit()

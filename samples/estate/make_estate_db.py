#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# make_estate_db.py OUT.db — builds the sample legacy estate's database (SQLite, read by Ferry
# through the SQLite3 ODBC driver). Legacy-style schema after domain.md §7: AA10 code table,
# AB01 employers, AC01 persons, AC02 enrollments, AC08 contributions with the Xi'an 2-digit
# insurance codes. Deterministic: the same file on every build. Every value is synthetic.
#
# Dirty rows are deliberate and listed in DIRTY below, each with what should happen to it:
# "adapter" rows are rejected by the ODBC adapter (the value cannot be read as its declared
# type), "mapping" rows by the sample mappings (a rule of the catalog: check digits, periods,
# codes), "delivered" rows are legal but unusual and must come through unchanged.
import os
import sqlite3
import sys

ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def id_check(first17):
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def org_check(body8):
    value = lambda c: int(c) if c.isdigit() else ord(c) - 55
    c9 = 11 - sum(value(c) * w for c, w in zip(body8, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def uscc_check(first17):
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


class Lcg:
    """A tiny deterministic generator (no dependency on Python's random across versions)."""

    def __init__(self, seed):
        self.state = seed

    def draw(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 33) % n


SCHEMA = """
CREATE TABLE AA10 (
  AAA100 VARCHAR2(20)  NOT NULL,
  AAA101 VARCHAR2(50),
  AAA102 VARCHAR2(10)  NOT NULL,
  AAA103 VARCHAR2(100) NOT NULL,
  AAE030 NUMBER(6),
  AAE031 NUMBER(6),
  AAE120 VARCHAR2(1) DEFAULT '0',
  CONSTRAINT PK_AA10 PRIMARY KEY (AAA100, AAA102));
CREATE TABLE AB01 (
  AAB001 VARCHAR2(15)  NOT NULL,
  AAB998 VARCHAR2(18),
  AAB003 VARCHAR2(10),
  AAB004 VARCHAR2(120) NOT NULL,
  AAB019 VARCHAR2(3),
  AAB022 VARCHAR2(4),
  AAB301 VARCHAR2(6),
  AAB033 VARCHAR2(2),
  AAB034 VARCHAR2(16),
  AAE004 VARCHAR2(60), AAE005 VARCHAR2(50), AAE006 VARCHAR2(200), AAE007 VARCHAR2(6),
  AAE011 VARCHAR2(15), AAE036 TIMESTAMP, AAE120 VARCHAR2(1) DEFAULT '0',
  CONSTRAINT PK_AB01 PRIMARY KEY (AAB001));
CREATE TABLE AC01 (
  AAC001 VARCHAR2(15) NOT NULL,
  AAC002 VARCHAR2(18),
  AAC058 VARCHAR2(3),
  AAC147 VARCHAR2(50),
  AAC003 VARCHAR2(60) NOT NULL,
  AAC004 VARCHAR2(1),
  AAC005 VARCHAR2(2),
  AAC006 DATE,
  AAC007 DATE,
  AAC008 VARCHAR2(1),
  AAC009 VARCHAR2(2),
  AAC010 VARCHAR2(200),
  AAC161 VARCHAR2(3),
  AAE005 VARCHAR2(50), AAE006 VARCHAR2(200),
  AAE011 VARCHAR2(15), AAE036 TIMESTAMP, AAE120 VARCHAR2(1) DEFAULT '0',
  CONSTRAINT PK_AC01 PRIMARY KEY (AAC001));
CREATE TABLE AC02 (
  AAC001 VARCHAR2(15) NOT NULL,
  AAE140 VARCHAR2(6)  NOT NULL,
  AAB001 VARCHAR2(15) NOT NULL,
  AAC030 DATE,
  AAC049 NUMBER(6),
  AAC031 VARCHAR2(1),
  AAC040 NUMBER(14,2),
  AAE180 NUMBER(14,2),
  AAE011 VARCHAR2(15), AAE036 TIMESTAMP,
  CONSTRAINT PK_AC02 PRIMARY KEY (AAC001, AAE140));
CREATE TABLE AC08 (
  AAZ083 VARCHAR2(20) NOT NULL,
  AAC001 VARCHAR2(15) NOT NULL,
  AAB001 VARCHAR2(15) NOT NULL,
  AAE140 VARCHAR2(6)  NOT NULL,
  AAE002 NUMBER(6)    NOT NULL,
  AAE003 NUMBER(6)    NOT NULL,
  AAA115 VARCHAR2(2),
  AAE143 VARCHAR2(2),
  AAE180 NUMBER(14,2),
  AAA041 NUMBER(6,4), AAE082 NUMBER(14,2),
  AAA042 NUMBER(6,4), AAE020 NUMBER(14,2),
  AAE056 NUMBER(14,2),
  AAE114 VARCHAR2(1),
  AAE100 VARCHAR2(1) DEFAULT '1',
  AAE011 VARCHAR2(15), AAE036 TIMESTAMP,
  CONSTRAINT PK_AC08 PRIMARY KEY (AAZ083));
CREATE INDEX IX_AC08_AAE036 ON AC08 (AAE036);
CREATE INDEX IX_AC08_AAC001 ON AC08 (AAC001);
"""

CODES = [
    ("AAE140", "险种类型", "01", "企业职工基本养老保险"), ("AAE140", "险种类型", "02", "失业保险"),
    ("AAE140", "险种类型", "03", "基本医疗保险"), ("AAE140", "险种类型", "04", "工伤保险"),
    ("AAE140", "险种类型", "05", "生育保险"), ("AAE140", "险种类型", "07", "大额补充医疗保险"),
    ("AAE140", "险种类型", "08", "公务员补助"),
    ("AAC031", "参保状态", "1", "参保缴费"), ("AAC031", "参保状态", "2", "暂停缴费"),
    ("AAC031", "参保状态", "3", "终止参保"),
    ("AAC004", "性别", "1", "男"), ("AAC004", "性别", "2", "女"), ("AAC004", "性别", "9", "未说明的性别"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"]
DISTRICTS = ["110105", "440304", "510107", "330106", "610102"]
INSURANCES = ["01", "02", "03", "04", "05", "07"]
RATES = {"01": ("0.0800", "0.1600"), "02": ("0.0050", "0.0050"), "03": ("0.0200", "0.0600"),
         "04": ("0.0000", "0.0040"), "05": ("0.0000", "0.0080"), "07": ("0.0000", "0.0100")}

PERSONS = 200
EMPLOYERS = 20
MONTHS = 12

# (table, key, column, what is wrong, who catches it)
DIRTY = []


def employers(gen):
    rows = []
    for n in range(1, EMPLOYERS + 1):
        district = DISTRICTS[n % len(DISTRICTS)]
        body = "MA%02d%s" % (n, "C7K2"[:4])
        org = body + org_check(body)
        first17 = "91" + district + org
        uscc = first17 + uscc_check(first17)
        rows.append({
            "AAB001": "6101%08d" % n, "AAB998": uscc, "AAB003": org[:8] + "-" + org[8],
            "AAB004": "示例%s科技有限公司" % SURNAMES[n % len(SURNAMES)],
            "AAB019": "10", "AAB022": "6513", "AAB301": district, "AAB033": "1",
            "AAB034": "610100", "AAE004": None, "AAE005": None, "AAE006": None, "AAE007": None,
            "AAE011": "op%03d" % (n % 7), "AAE036": "2015-03-%02d 09:00:00" % (n % 28 + 1),
            "AAE120": "0"})
    # A pre-2015 unit that was never re-coded, and a documentation placeholder USCC.
    rows[3]["AAB998"] = None
    DIRTY.append(("AB01", rows[3]["AAB001"], "AAB998", "NULL (pre-2015 unit)", "delivered"))
    rows[7]["AAB998"] = "91330104341916223P"
    DIRTY.append(("AB01", rows[7]["AAB001"], "AAB998", "check character wrong", "mapping"))
    return rows


def persons(gen):
    rows = []
    for n in range(1, PERSONS + 1):
        district = DISTRICTS[gen.draw(len(DISTRICTS))]
        year, month, day = 1960 + gen.draw(40), 1 + gen.draw(12), 1 + gen.draw(28)
        seq = 1 + gen.draw(998)
        first17 = "%s%04d%02d%02d%03d" % (district, year, month, day, seq)
        rows.append({
            "AAC001": "10%08d" % n, "AAC002": first17 + id_check(first17), "AAC058": "111",
            "AAC147": None,
            "AAC003": SURNAMES[gen.draw(len(SURNAMES))] + GIVEN[gen.draw(len(GIVEN))],
            "AAC004": "1" if seq % 2 else "2", "AAC005": "01",
            "AAC006": "%04d-%02d-%02d" % (year, month, day),
            "AAC007": "%04d-07-01" % (year + 22), "AAC008": "1", "AAC009": "10",
            "AAC010": "示例市示例区示例路%d号" % n, "AAC161": "CHN", "AAE005": None, "AAE006": None,
            "AAE011": "op%03d" % (n % 7), "AAE036": "2016-01-%02d 10:%02d:00" % (n % 28 + 1, n % 60),
            "AAE120": "0"})
    r = rows
    r[9]["AAC006"] = "1990-02-30"
    DIRTY.append(("AC01", r[9]["AAC001"], "AAC006", "impossible date 1990-02-30", "adapter"))
    r[19]["AAC006"] = "19850312"
    DIRTY.append(("AC01", r[19]["AAC001"], "AAC006", "date in yyyymmdd form", "adapter"))
    r[29]["AAC002"] = r[29]["AAC002"][:17] + ("0" if r[29]["AAC002"][17] != "0" else "1")
    DIRTY.append(("AC01", r[29]["AAC001"], "AAC002", "wrong check digit", "mapping"))
    r[39]["AAC002"] = "110105490101001"
    DIRTY.append(("AC01", r[39]["AAC001"], "AAC002", "15-digit legacy ID", "delivered"))
    r[49]["AAC002"] = "11010519900307101x"
    DIRTY.append(("AC01", r[49]["AAC001"], "AAC002", "lower-case x", "delivered"))
    r[59]["AAC003"] = "张三  "
    DIRTY.append(("AC01", r[59]["AAC001"], "AAC003", "trailing blanks (CHAR padding)", "delivered"))
    r[69]["AAC003"] = bytes.fromhex("d5c5c8fd")  # GBK bytes left in a UTF-8 database
    DIRTY.append(("AC01", r[69]["AAC001"], "AAC003", "GBK bytes, not UTF-8", "adapter"))
    return rows


def contributions(gen, person_rows, employer_rows):
    rows = []
    serial = 0
    for p_index, person in enumerate(person_rows):
        employer = employer_rows[p_index % len(employer_rows)]
        insurance = INSURANCES[p_index % len(INSURANCES)]
        base = 3000 + gen.draw(27000)  # whole yuan
        person_rate, employer_rate = RATES[insurance]
        for month in range(1, MONTHS + 1):
            serial += 1
            person_amount = round(base * float(person_rate), 2)
            employer_amount = round(base * float(employer_rate), 2)
            rows.append({
                "AAZ083": "2018%02d%010d" % (month, serial), "AAC001": person["AAC001"],
                "AAB001": employer["AAB001"], "AAE140": insurance,
                "AAE002": 201800 + month, "AAE003": 201800 + month - 1 if month > 1 else 201712,
                "AAA115": "10", "AAE143": "01",
                # Amounts as the legacy application wrote them: floats in a NUMERIC column.
                "AAE180": float(base), "AAA041": float(person_rate), "AAE082": person_amount,
                "AAA042": float(employer_rate), "AAE020": employer_amount, "AAE056": 0,
                "AAE114": "1", "AAE100": "1", "AAE011": "op%03d" % (serial % 7),
                "AAE036": "2018-%02d-%02d %02d:%02d:%02d" % (
                    month, 1 + (serial % 28), 8 + serial % 10, serial % 60, (serial * 7) % 60)})
    r = rows
    r[100]["AAE082"] = "abc"
    DIRTY.append(("AC08", r[100]["AAZ083"], "AAE082", "text in an amount column", "adapter"))
    r[500]["AAE180"] = 1e15
    DIRTY.append(("AC08", r[500]["AAZ083"], "AAE180", "exceeds NUMBER(14,2)", "adapter"))
    r[900]["AAE036"] = "yesterday"
    DIRTY.append(("AC08", r[900]["AAZ083"], "AAE036", "not a timestamp", "adapter"))
    r[1300]["AAE002"] = 201813
    DIRTY.append(("AC08", r[1300]["AAZ083"], "AAE002", "month 13", "mapping"))
    r[1700]["AAE140"] = "08"
    DIRTY.append(("AC08", r[1700]["AAZ083"], "AAE140", "code without a canonical insurance", "mapping"))
    r[2100]["AAE020"] = 1234.567
    DIRTY.append(("AC08", r[2100]["AAZ083"], "AAE020", "three decimals: rounded half-up to 1234.57", "delivered"))
    return rows


def enrollments(person_rows, employer_rows):
    rows = []
    for p_index, person in enumerate(person_rows):
        rows.append({
            "AAC001": person["AAC001"], "AAE140": INSURANCES[p_index % len(INSURANCES)],
            "AAB001": employer_rows[p_index % len(employer_rows)]["AAB001"],
            "AAC030": "2012-07-01", "AAC049": 201207, "AAC031": "1",
            "AAC040": 8000.0, "AAE180": 8000.0, "AAE011": "op001",
            "AAE036": "2012-07-01 09:00:00"})
    return rows


def insert(conn, table, rows):
    columns = list(rows[0].keys())
    sql = "INSERT INTO %s (%s) VALUES (%s)" % (table, ", ".join(columns), ", ".join("?" * len(columns)))
    for row in rows:
        values = []
        for column in columns:
            value = row[column]
            values.append(value)
        if any(isinstance(v, bytes) for v in values):
            # Raw bytes stored as TEXT (not BLOB), as a legacy loader would have left them.
            placeholders = ", ".join("CAST(? AS TEXT)" if isinstance(v, bytes) else "?" for v in values)
            conn.execute("INSERT INTO %s (%s) VALUES (%s)" % (table, ", ".join(columns), placeholders), values)
        else:
            conn.execute(sql, values)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_estate_db.py OUT.db")
    out = sys.argv[1]
    tmp = out + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    conn = sqlite3.connect(tmp)
    conn.executescript(SCHEMA)
    gen = Lcg(20181231)
    conn.executemany("INSERT INTO AA10 (AAA100, AAA101, AAA102, AAA103, AAE030) VALUES (?, ?, ?, ?, 199405)", CODES)
    employer_rows = employers(gen)
    person_rows = persons(gen)
    insert(conn, "AB01", employer_rows)
    insert(conn, "AC01", person_rows)
    insert(conn, "AC02", enrollments(person_rows, employer_rows))
    insert(conn, "AC08", contributions(gen, person_rows, employer_rows))
    conn.execute("CREATE TABLE FERRY_ESTATE_DIRTY (TABLE_NAME VARCHAR2(10), ROW_KEY VARCHAR2(20), "
                 "COLUMN_NAME VARCHAR2(10), PROBLEM VARCHAR2(100), CAUGHT_BY VARCHAR2(10))")
    conn.executemany("INSERT INTO FERRY_ESTATE_DIRTY VALUES (?, ?, ?, ?, ?)", DIRTY)
    conn.commit()
    conn.close()
    os.replace(tmp, out)


if __name__ == "__main__":
    main()

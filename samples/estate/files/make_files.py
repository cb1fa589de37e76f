#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the sample estate's flat files (run with /usr/bin/python3; needs the iconv tool):

- bank_withholding_20261129.txt  GBK, pipe-delimited, a summary line first (count|total|batch)
- persons_export.txt             fixed-width GBK export of insured persons (layout in the mapping)
- benefit_payments.ebcdic        IBM1388 (EBCDIC, SO/SI Chinese; IBM935 lacks 喆) extract,
                                 layout benefit_payments.cpy

All values are synthetic; ID numbers carry valid GB 11643 check digits. Deliberately dirty:
one withholding line holds a name GBK cannot encode (GB18030 bytes: a reject, never mojibake);
one export line is a byte short (a record_length reject); one extract record has a packed
amount overwritten by spaces (a cobol_numeric reject with the raw bytes in hex).
"""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["伟", "芳", "娜娜", "敏", "静", "强", "磊", "洋", "喆", "燕"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(seq):
    body = "110105%04d%02d%02d%03d" % (1960 + seq % 40, 1 + seq % 12, 1 + seq % 28, 100 + seq)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]
    return body + check


def name(seq):
    return SURNAMES[seq % 10] + GIVEN[(seq * 7) % 10]


def ebcdic(text, code_page="IBM1388"):
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", code_page], input=text.encode(),
                          check=True, capture_output=True).stdout


def packed(cents, size):
    digits = str(abs(cents)).rjust(size * 2 - 1, "0")
    nibbles = [int(d) for d in digits] + [0xD if cents < 0 else 0xC]
    return bytes(nibbles[i] * 16 + nibbles[i + 1] for i in range(0, len(nibbles), 2))


def withholding():
    lines, total = [], 0
    for seq in range(1, 31):
        cents = 20000 + seq * 1337 % 90000
        total += cents
        person = name(seq) if seq != 17 else "王䶮"
        encoded = person.encode("gb18030")  # GBK is a subset; 䶮 exists only in GB18030
        lines.append(b"|".join([
            b"DK2026112900%02d" % seq, b"1101%011d" % seq, encoded, id_number(seq).encode(),
            b"01" if seq % 4 else b"03", b"202611", b"%d.%02d" % (cents // 100, cents % 100),
            b"20261129"]))
    summary = b"30|%d.%02d|DK20261129" % (total // 100, total % 100)
    (HERE / "bank_withholding_20261129.txt").write_bytes(b"\n".join([summary] + lines) + b"\n")


def persons():
    lines = []
    for seq in range(1, 41):
        text = "1101%011d" % seq + id_number(seq) + name(seq)
        record = text.encode("gbk")
        record += b" " * (53 - len(record))
        record += b"1" if seq % 2 else b"2"
        record += ("%04d%02d%02d" % (1960 + seq % 40, 1 + seq % 12, 1 + seq % 28)).encode()
        record += b"%010d" % (300000 + seq * 12345)
        if seq == 23:
            record = record[:-1]  # a record one byte short
        lines.append(record)
    (HERE / "persons_export.txt").write_bytes(b"\n".join(lines) + b"\n")


def benefits():
    out = b""
    for seq in range(1, 26):
        record = ebcdic("BP%014d" % seq) + ebcdic("1101%011d" % seq)
        person = ebcdic(name(seq))
        record += person + b"\x40" * (20 - len(person))
        record += ebcdic("01" if seq % 5 else "03") + ebcdic("2026%02d" % (1 + seq % 12))
        amount = packed(180000 + seq * 2311, 6)
        record += amount if seq != 13 else b"\x40" * 6
        record += (120 + seq).to_bytes(2, "big", signed=True)
        record += ebcdic("P" if seq % 6 else "S")
        out += record
    (HERE / "benefit_payments.ebcdic").write_bytes(out)


if __name__ == "__main__":
    withholding()
    persons()
    benefits()
    sys.exit(0)

#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# raw_roof.py PORT PAGE_SIZE PAGES — the sequential roof for bench/soap/paged_peer.sh: the test
# peer's own time per page, seen by a client that does nothing but HTTP. Posts the SOAP 1.1
# list_enterprise_page envelope for pages 1..PAGES in turn with http.client (one connection,
# reused while the server keeps it open; wsgiref answers HTTP/1.0 and closes it, and http.client
# then reconnects by itself), reads each body whole and parses no XML. Prints one JSON line:
# {"pages", "bytes", "seconds", "ms_per_page", "p50_ms", "max_ms"}.
import http.client
import json
import sys
import time

TNS = "urn:ferry:sample:registry"
ENVELOPE = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">'
            '<soap-env:Body><ns0:list_enterprise_page xmlns:ns0="%s">'
            "<ns0:page_no>%%d</ns0:page_no><ns0:page_size>%%d</ns0:page_size>"
            "</ns0:list_enterprise_page></soap-env:Body></soap-env:Envelope>" % TNS)


def main():
    port, page_size, pages = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    total_bytes = 0
    times = []
    start = time.monotonic()
    for page_no in range(1, pages + 1):
        body = (ENVELOPE % (page_no, page_size)).encode()
        begun = time.monotonic()
        connection.request("POST", "/", body=body, headers={
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": '"list_enterprise_page"',
            "Connection": "keep-alive"})
        response = connection.getresponse()
        answer = response.read()
        times.append(time.monotonic() - begun)
        if response.status != 200:
            sys.exit("raw_roof: page %d answered %d: %s"
                     % (page_no, response.status, answer[:300].decode("utf-8", "replace")))
        total_bytes += len(answer)
    seconds = time.monotonic() - start
    connection.close()
    times.sort()
    print(json.dumps({"pages": pages, "bytes": total_bytes, "seconds": round(seconds, 3),
                      "ms_per_page": round(seconds * 1000 / pages, 2),
                      "p50_ms": round(times[len(times) // 2] * 1000, 2),
                      "max_ms": round(times[-1] * 1000, 2)}))


if __name__ == "__main__":
    main()

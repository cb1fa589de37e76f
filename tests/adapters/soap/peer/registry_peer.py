#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# registry_peer.py — a real third-party SOAP stack (spyne) serving a small enterprise registry on
# loopback, for the SOAP adapter's integration and conformance tests. Run with /usr/bin/python3.
#
#   registry_peer.py serve --port 0 [--records N] [--fault-every K] [--slow-every K]
#                          [--drop-every K] [--unavailable-first N] [--soap12] [--lifetime S]
#                          [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]
#                          [--basic-user U --basic-password P]
#                          [--slow-seconds S] [--chaos PERCENT [--chaos-seed N]]
#                          [--threads] [--page-latency-ms N] [--cache-pages]
#       prints "PORT <n>" on stdout once listening; exits by itself after --lifetime seconds.
#   registry_peer.py start --port P --pidfile F ...   the same, detached; returns once listening
#   registry_peer.py stop --pidfile F
#   registry_peer.py dump --records N [--first A] [--last B] [--soap12]
#       prints records A..B (default 1..N), one JSON object a line (UTF-8), exactly as the wire
#       carries them: the records are fetched through the peer's own spyne application
#       in-process (list_enterprise_page), so keys are the element names in wire order, values
#       the elements' XML text content, xsi:nil="true" is null and an element spyne leaves out
#       (legal_rep when None) is an absent key. Differential tests compare a client's output
#       with this instead of re-deriving spyne's formatting of decimals, dates and datetimes.
#
# Records are a pure function of their number, so every test knows what each page holds.
# Operations: list_enterprises(page, page_size) and list_enterprise_page(page_no, page_size)
# page by number (the latter answers the common legacy page shape EnterprisePage: TotalCount,
# PageNo, PageSize and the Enterprises wrapper of repeated Enterprise); list_changes(cursor) by
# continuation token; list_established(from_date, to_date) by date window; get_enterprise(code)
# one record; fail() always faults; list_two_lists(page_no, page_size) answers a page with two
# repeated lists (Enterprises, Branches), for a client that must refuse to guess which holds
# the records.
# Fault injection counts list_enterprises requests: every K-th answers HTTP 500, sleeps past the
# client's timeout (--slow-seconds, default 2.0), or sends half the response and drops the
# connection; the first N answer 503 with Retry-After: 1.
# --tls-cert/--tls-key serve https (Python's ssl module); with --tls-client-ca the peer requires a
# client certificate signed by that CA. --basic-user/--basic-password require HTTP basic auth on
# every request (the WSDL and /stats too) and answer 401 with WWW-Authenticate otherwise.
# --chaos PERCENT injects failures into list_enterprise_page requests only (the counters above
# ignore them): each such request fails with probability PERCENT/100, drawn from
# random.Random(--chaos-seed, default 0) so a run is reproducible, with one of, uniformly:
# HTTP 500 text/plain; a SOAP Server.Unavailable fault (HTTP 500, 1.1 faultcode
# soap11env:Server.Unavailable or 1.2 Receiver/Unavailable, detail retry_after_ms 200); a slow
# answer (--slow-seconds, then the real one); the real answer cut at a random point in its second
# half, with the real status and headers but Content-Length set to the cut length (complete
# HTTP, truncated XML); or the full Content-Length promised, half sent and the connection closed
# (as --drop-every). A retried request draws again.
# GET /stats answers JSON {"requests": list_enterprise_page requests seen, "injected": {"http500",
# "server_fault", "slow", "truncated", "dropped"}} so a test can tell what the client survived;
# GET ?wsdl (on any path) still serves the WSDL.
# With --soap12, faults follow the SOAP 1.2 HTTP binding: every env:Sender fault (any operation,
# schema validation too) answers HTTP 400, anything else HTTP 500 (spyne answers 500 for every
# fault, so the status is corrected here); a dotted spyne code such as Client.BadPage is spyne's
# Sender with Subcode BadPage, its Detail the fault's detail when there is one.
# For benchmarks (bench/soap/paged_peer.sh), which must measure the client, not spyne:
# --threads serves each connection on its own (daemon) thread, so concurrent clients are served
# concurrently (TLS handshakes stay on the accepting thread, as without it); --page-latency-ms N
# makes every list_enterprise_page request sleep N ms before it is answered (a legacy back-end's
# query time; the sleep releases the GIL, so with --threads requests overlap); --cache-pages
# answers a list_enterprise_page request whose information content was answered before with the
# same status, headers and body, without asking spyne again. The cache key is the request's
# infoset, not its bytes, so any client's envelope hits what another client's warmed: (envelope
# namespace, HTTP method, path, the parameter elements' names and texts), taken only from a
# request shaped exactly Envelope > [empty Header] > Body > list_enterprise_page > leaf
# parameters, without attributes, comments or a DTD; anything else, and every answer that is not
# 2xx, goes to spyne as before. /stats then also reports {"cache": {"hits", "misses"}}.
import argparse
import base64
import datetime
import io
import json
import logging
import decimal
import os
import random
import signal
import socket
import socketserver
import ssl
import sys
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.util import setup_testing_defaults

from lxml import etree, html
from spyne import (Application, Array, ComplexModel, Date, DateTime, Decimal, Fault, Integer,
                   Iterable, ServiceBase, Unicode, rpc)
from spyne.protocol.soap import Soap11, Soap12
from spyne.server.wsgi import WsgiApplication

TNS = "urn:ferry:sample:registry"
SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
RECORDS = 2500
STATUSES = ["1", "2", "3", "4"]
PHONETIC = ["华", "安", "信", "达", "兴", "盛", "恒", "通", "泰", "丰"]


def uscc(number):
    # A well-formed code (check character not computed: the adapter does not validate it).
    return "91110105" + "MA%08d" % number


class Enterprise(ComplexModel):
    __namespace__ = TNS
    _type_info = [
        ("uscc", Unicode(min_occurs=1, nillable=False)),
        ("name", Unicode(min_occurs=1, nillable=False)),
        ("legal_rep", Unicode),
        ("registered_capital", Decimal(total_digits=18, fraction_digits=2)),
        ("established_on", Date),
        ("updated_at", DateTime),
        ("status", Unicode),
        ("employees", Integer),
    ]


class EnterprisePage(ComplexModel):
    # The legacy page shape: the counts first, then the records in a wrapper element, so the WSDL
    # declares Enterprises > Enterprise with maxOccurs="unbounded".
    __namespace__ = TNS
    _type_info = [
        ("TotalCount", Integer),
        ("PageNo", Integer),
        ("PageSize", Integer),
        ("Enterprises", Array(Enterprise)),
    ]


class EnterpriseBranchPage(ComplexModel):
    # Two repeated lists of the same record type: nothing in the WSDL says which holds the records.
    __namespace__ = TNS
    _type_info = [
        ("TotalCount", Integer),
        ("PageNo", Integer),
        ("PageSize", Integer),
        ("Enterprises", Array(Enterprise)),
        ("Branches", Array(Enterprise)),
    ]


def enterprise(number):
    name = "示例" + PHONETIC[number % 10] + PHONETIC[(number // 10) % 10] + "科技有限公司 & <%d>" % number
    return Enterprise(
        uscc=uscc(number),
        name=name,
        legal_rep=None if number % 7 == 0 else "张" + PHONETIC[number % 10],
        registered_capital=decimal.Decimal(number * 1000 + 1234) / 100,
        established_on=datetime.date(1990, 1, 1) + datetime.timedelta(days=number % 10000),
        updated_at=datetime.datetime(2024, 1, 1, 8, 30, 0) + datetime.timedelta(minutes=number),
        status=STATUSES[number % 4],
        employees=number % 500,
    )


class Registry(ServiceBase):
    @rpc(Integer(min_occurs=1, nillable=False), Integer(min_occurs=1, nillable=False),
         _returns=Iterable(Enterprise), _body_style="wrapped")
    def list_enterprises(ctx, page, page_size):
        if page is None or page < 1 or page_size is None or page_size < 1 or page_size > 5000:
            raise Fault("Client.BadPage", "page must be >= 1 and page_size 1..5000")
        first = (page - 1) * page_size + 1
        last = min(first + page_size - 1, RECORDS)
        return [enterprise(n) for n in range(first, last + 1)]

    @rpc(Integer(min_occurs=1, nillable=False), Integer(min_occurs=1, nillable=False),
         _returns=EnterprisePage)
    def list_enterprise_page(ctx, page_no, page_size):
        if (page_no is None or page_no < 1 or page_size is None or page_size < 1
                or page_size > 5000):
            # The detail gives a SOAP 1.2 client a Sender fault with Subcode and Detail to read;
            # one root element, as spyne's Soap12 serialises no other detail dict.
            raise Fault("Client.BadPage", "page_no must be >= 1 and page_size 1..5000",
                        detail={"bad_page": {"page_no": str(page_no),
                                             "page_size": str(page_size)}})
        first = (page_no - 1) * page_size + 1
        last = min(first + page_size - 1, RECORDS)
        # Past the end the range is empty: an empty Enterprises with the true TotalCount.
        return EnterprisePage(TotalCount=RECORDS, PageNo=page_no, PageSize=page_size,
                              Enterprises=[enterprise(n) for n in range(first, last + 1)])

    @rpc(Integer(min_occurs=1, nillable=False), Integer(min_occurs=1, nillable=False),
         _returns=EnterpriseBranchPage)
    def list_two_lists(ctx, page_no, page_size):
        # Fixed data: only the shape matters, a client should stop before reading any records.
        return EnterpriseBranchPage(TotalCount=3, PageNo=page_no, PageSize=page_size,
                                    Enterprises=[enterprise(1), enterprise(2)],
                                    Branches=[enterprise(3)])

    @rpc(Unicode, _returns=Iterable(Enterprise))
    def list_changes(ctx, cursor):
        # Continuation-token paging: the token is the last code the client saw; 400 per answer.
        start = int(cursor[10:]) if cursor else 0
        return [enterprise(n) for n in range(start + 1, min(start + 400, RECORDS) + 1)]

    @rpc(Date(min_occurs=1, nillable=False), Date(min_occurs=1, nillable=False),
         _returns=Iterable(Enterprise))
    def list_established(ctx, from_date, to_date):
        # Date-window paging: the registrations established in [from_date, to_date].
        base = datetime.date(1990, 1, 1)
        first = max(1, (from_date - base).days)
        last = min(RECORDS, (to_date - base).days)
        return [enterprise(n) for n in range(first, last + 1)]

    @rpc(Unicode(min_occurs=1, nillable=False), _returns=Enterprise)
    def get_enterprise(ctx, code):
        if not code.startswith("91110105MA") or not code[10:].isdigit():
            raise Fault("Client.BadKey", "not a registry code")
        number = int(code[10:])
        if number < 1 or number > RECORDS:
            return None
        return enterprise(number)

    @rpc(_returns=Unicode)
    def fail(ctx):
        raise Fault("Server.Database", "registry database offline", detail={"ticket": "DB-17"})


# The chaos failure kinds, in the order /stats lists them.
CHAOS_KINDS = ["http500", "server_fault", "slow", "truncated", "dropped"]

# Built by hand, not by spyne: the fault a busy production registry answers, identical whatever
# spyne's fault serialisation does.
UNAVAILABLE_FAULT_11 = (
    b"<?xml version='1.0' encoding='UTF-8'?>\n"
    b'<soap11env:Envelope xmlns:soap11env="http://schemas.xmlsoap.org/soap/envelope/">'
    b"<soap11env:Body><soap11env:Fault><faultcode>soap11env:Server.Unavailable</faultcode>"
    b"<faultstring>registry busy</faultstring>"
    b"<detail><retry_after_ms>200</retry_after_ms></detail>"
    b"</soap11env:Fault></soap11env:Body></soap11env:Envelope>")
UNAVAILABLE_FAULT_12 = (
    b"<?xml version='1.0' encoding='UTF-8'?>\n"
    b'<soap12env:Envelope xmlns:soap12env="http://www.w3.org/2003/05/soap-envelope">'
    b"<soap12env:Body><soap12env:Fault>"
    b"<soap12env:Code><soap12env:Value>soap12env:Receiver</soap12env:Value>"
    b"<soap12env:Subcode><soap12env:Value>Unavailable</soap12env:Value></soap12env:Subcode>"
    b"</soap12env:Code>"
    b'<soap12env:Reason><soap12env:Text xml:lang="en">registry busy</soap12env:Text>'
    b"</soap12env:Reason>"
    b"<soap12env:Detail><retry_after_ms>200</retry_after_ms></soap12env:Detail>"
    b"</soap12env:Fault></soap12env:Body></soap12env:Envelope>")


def is_wsdl_request(environ):
    # spyne's own test (WsgiApplication.is_wsdl_request): GET ?wsdl on any path, or *.wsdl.
    return (environ["REQUEST_METHOD"].upper() == "GET"
            and (environ.get("QUERY_STRING", "").split("=")[0].lower() == "wsdl"
                 or environ.get("PATH_INFO", "").endswith(".wsdl")))


def is_soap12_sender_fault(body):
    # SOAP 1.2 over HTTP answers env:Sender with 400; the Value is a QName, so resolve its prefix
    # rather than compare text.
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError:
        return False
    value = root.find("{%s}Body/{%s}Fault/{%s}Code/{%s}Value" % ((SOAP12_NS,) * 4))
    if value is None or not value.text:
        return False
    prefix, _, local = value.text.strip().rpartition(":")
    return local == "Sender" and value.nsmap.get(prefix or None) == SOAP12_NS


class PeerSoap12(Soap12):
    # spyne 2.14's Soap12 cannot write its own schema validation fault (lxml's message arrives as
    # bytes, and the Reason would lack its Text child and namespace): the answer was a bare 500.
    # Written like any other fault, a request failing validation gets a SOAP 1.2 Sender fault.
    def schema_validation_error_to_parent(self, ctx, cls, inst, parent, ns, **_):
        if isinstance(inst.faultstring, bytes):
            # Decoded the way spyne's SOAP 1.1 writer does (character references resolved).
            inst.faultstring = html.fromstring(inst.faultstring).text
        return self.fault_to_parent(ctx, cls, inst, parent, ns)


def page_cache_key(environ, body):
    # The information content of a list_enterprise_page request (see --cache-pages above), or
    # None when the request is not of the one plain shape whose answer it fully determines.
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    if root.getroottree().docinfo.doctype:
        return None
    envelope_ns = etree.QName(root).namespace

    def plain(element, leaf):
        # An element without attributes whose content is only elements (or, for a leaf, text).
        if element.attrib or not isinstance(element.tag, str):
            return False
        if (element.tail or "").strip():
            return False
        if leaf:
            return len(element) == 0
        return not (element.text or "").strip()

    if root.tag != "{%s}Envelope" % envelope_ns or not plain(root, False):
        return None
    parts = list(root)
    if parts and parts[0].tag == "{%s}Header" % envelope_ns:
        if len(parts[0]) or not plain(parts[0], False):
            return None
        parts = parts[1:]
    if len(parts) != 1 or parts[0].tag != "{%s}Body" % envelope_ns or not plain(parts[0], False):
        return None
    operations = list(parts[0])
    if (len(operations) != 1 or operations[0].tag != "{%s}list_enterprise_page" % TNS
            or not plain(operations[0], False)):
        return None
    parameters = []
    for parameter in operations[0]:
        if not plain(parameter, True):
            return None
        parameters.append((parameter.tag, parameter.text or ""))
    return (envelope_ns, environ["REQUEST_METHOD"].upper(), environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""), tuple(parameters))


class Faults:
    def __init__(self, args):
        self.args = args
        self.count = 0
        self.lock = threading.Lock()
        # One generator for the whole run: the n-th list_enterprise_page request always meets
        # the same fate for a given seed, which a failing test can then replay.
        self.random = random.Random(args.chaos_seed)
        self.page_requests = 0
        self.injected = dict.fromkeys(CHAOS_KINDS, 0)
        # --cache-pages: page_cache_key -> (status, headers, body) of spyne's 2xx answer.
        self.cache = {}
        self.cache_hits = 0
        self.cache_misses = 0

    def chaos(self):
        # Returns the failure to inject (or None) and, for a truncation, where to cut (0..1 of
        # the second half). Drawn per request, so a retry may fail again.
        with self.lock:
            self.page_requests += 1
            if not self.args.chaos or self.random.random() >= self.args.chaos / 100:
                return None, 0.0
            kind = self.random.choice(CHAOS_KINDS)
            self.injected[kind] += 1
            return kind, (self.random.random() if kind == "truncated" else 0.0)

    def stats(self):
        with self.lock:
            answer = {"requests": self.page_requests, "injected": dict(self.injected)}
            if self.args.cache_pages:
                answer["cache"] = {"hits": self.cache_hits, "misses": self.cache_misses}
            return answer

    def cached(self, key):
        # The cached answer for key (counting the hit or miss), or None.
        if key is None:
            return None
        with self.lock:
            answer = self.cache.get(key)
            if answer is None:
                self.cache_misses += 1
            else:
                self.cache_hits += 1
            return answer

    def __call__(self, app):
        def middleware(environ, start_response):
            if (environ["REQUEST_METHOD"].upper() == "GET"
                    and environ.get("PATH_INFO") == "/stats" and not is_wsdl_request(environ)):
                answer = json.dumps(self.stats()).encode()
                start_response("200 OK", [("Content-Type", "application/json"),
                                          ("Content-Length", str(len(answer)))])
                return [answer]
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            n = 0
            if b"list_enterprises" in body:
                with self.lock:
                    self.count += 1
                    n = self.count
            # "list_enterprise_page" does not contain "list_enterprises": the two injections
            # never touch the same request.
            page_request = b"list_enterprise_page" in body
            chaos, cut = self.chaos() if page_request else (None, 0.0)
            a = self.args
            if page_request and a.page_latency_ms:
                time.sleep(a.page_latency_ms / 1000)  # the back-end's query time
            if n and n <= a.unavailable_first:
                start_response("503 Service Unavailable",
                               [("Content-Type", "text/plain"), ("Retry-After", "1")])
                return [b"registry busy, come back later"]
            if (n and a.fault_every and n % a.fault_every == 0) or chaos == "http500":
                start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
                return [b"injected failure"]
            if chaos == "server_fault":
                fault = UNAVAILABLE_FAULT_12 if a.soap12 else UNAVAILABLE_FAULT_11
                content_type = ("application/soap+xml; charset=utf-8" if a.soap12
                                else "text/xml; charset=utf-8")
                start_response("500 Internal Server Error",
                               [("Content-Type", content_type),
                                ("Content-Length", str(len(fault)))])
                return [fault]
            if (n and a.slow_every and n % a.slow_every == 0) or chaos == "slow":
                time.sleep(a.slow_seconds)
            key = page_cache_key(environ, body) if page_request and a.cache_pages else None
            answer = self.cached(key)
            if answer is None:
                answer = {}

                def capture(status, headers, exc_info=None):
                    answer["status"] = status
                    answer["headers"] = headers

                answer["result"] = b"".join(app(environ, capture))
                if key is not None and answer["status"].startswith("2"):
                    with self.lock:
                        self.cache[key] = answer
            result = answer["result"]
            headers = [(k, v) for k, v in answer["headers"] if k.lower() != "content-length"]
            status = answer["status"]
            if a.soap12 and status.startswith("500") and is_soap12_sender_fault(result):
                status = "400 Bad Request"  # spyne's Soap12 answers 500 for every fault
            if chaos == "truncated":
                # A complete HTTP exchange whose XML stops early: only the parser can notice.
                half = len(result) // 2
                result = result[: half + int(cut * (len(result) - half))]
                start_response(status, headers + [("Content-Length", str(len(result)))])
                return [result]
            if (n and a.drop_every and n % a.drop_every == 0) or chaos == "dropped":
                # Promise the whole answer, send half, and close: a connection dropped mid-body.
                start_response(status, headers + [("Content-Length", str(len(result)))])
                return [result[: len(result) // 2]]
            start_response(status, headers + [("Content-Length", str(len(result)))])
            return [result]
        return middleware


def basic_auth(user, password, app):
    expected = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()

    def middleware(environ, start_response):
        if environ.get("HTTP_AUTHORIZATION") != expected:
            start_response("401 Unauthorized", [("Content-Type", "text/plain"),
                                                ("WWW-Authenticate", 'Basic realm="registry"')])
            return [b"authentication required"]
        return app(environ, start_response)
    return middleware


def https_scheme(app):
    # wsgiref only knows plain HTTP; the WSDL's soap:address must name the https endpoint.
    def middleware(environ, start_response):
        environ["wsgi.url_scheme"] = "https"
        environ["HTTPS"] = "on"
        return app(environ, start_response)
    return middleware


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(WSGIServer):
    tls_context = None

    def get_request(self):
        connection, address = super().get_request()
        if self.tls_context is None:
            return connection, address
        connection.settimeout(5)
        tls = self.tls_context.wrap_socket(connection, server_side=True,
                                           do_handshake_on_connect=False)
        try:
            tls.do_handshake()
        except (ssl.SSLError, OSError):
            # Like a production server: the alert (e.g. "certificate required") is sent, then the
            # client's unread request is drained so closing does not reset the connection and
            # hide the alert from the client.
            try:
                tls.shutdown(socket.SHUT_WR)  # drops the TLS layer: what follows is plain TCP
                tls.settimeout(0.5)
                while tls.recv(65536):
                    pass
            except OSError:
                pass
            tls.close()
            raise
        tls.settimeout(None)
        return tls, address

    def handle_error(self, request, client_address):
        pass  # a client that hung up on a slow answer is expected here


class ThreadingQuietServer(socketserver.ThreadingMixIn, QuietServer):
    # --threads: each accepted connection is handled on its own daemon thread (the TLS handshake
    # still happens in get_request, on the accepting thread). A deeper listen queue than
    # socketserver's 5, so a burst of concurrent clients is not left waiting on SYN retries.
    daemon_threads = True
    request_queue_size = 128


def registry_application(args):
    # One definition for serve and dump, so the dump sees exactly what the wire carries.
    logging.getLogger("spyne").setLevel(logging.CRITICAL)
    protocol = PeerSoap12 if args.soap12 else Soap11
    app = Application([Registry], TNS, in_protocol=protocol(validator="lxml"),
                      out_protocol=protocol())
    return WsgiApplication(app)


def serve(args):
    wsgi = Faults(args)(registry_application(args))
    if args.basic_user:
        wsgi = basic_auth(args.basic_user, args.basic_password or "", wsgi)
    if args.tls_cert:
        wsgi = https_scheme(wsgi)

    server = make_server("127.0.0.1", args.port, wsgi,
                         server_class=ThreadingQuietServer if args.threads else QuietServer,
                         handler_class=QuietHandler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.tls_client_ca:
            context.load_verify_locations(args.tls_client_ca)
            context.verify_mode = ssl.CERT_REQUIRED
        server.tls_context = context
    print("PORT %d" % server.server_port, flush=True)
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    server.serve_forever()


def dump(args):
    # Asks the peer's own spyne application, in-process and without the fault middleware, for
    # whole list_enterprise_page pages and reads the records back from the XML it wrote, so
    # every value is spyne's wire form rather than a re-derivation of it.
    wsgi = registry_application(args)
    first = max(1, args.first)
    last = RECORDS if args.last is None else min(args.last, RECORDS)
    envelope_ns = SOAP12_NS if args.soap12 else SOAP11_NS
    content_type = ("application/soap+xml; charset=utf-8" if args.soap12
                    else "text/xml; charset=utf-8")
    page_size = 500
    out = sys.stdout.buffer
    for page_no in range((first - 1) // page_size + 1, (last - 1) // page_size + 2):
        request = ('<?xml version="1.0" encoding="UTF-8"?>'
                   '<env:Envelope xmlns:env="%s" xmlns:tns="%s"><env:Body>'
                   "<tns:list_enterprise_page><tns:page_no>%d</tns:page_no>"
                   "<tns:page_size>%d</tns:page_size></tns:list_enterprise_page>"
                   "</env:Body></env:Envelope>" % (envelope_ns, TNS, page_no, page_size)).encode()
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": "",
                   "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(request)),
                   "HTTP_SOAPACTION": '"list_enterprise_page"',
                   "wsgi.input": io.BytesIO(request)}
        setup_testing_defaults(environ)
        answer = {}

        def capture(status, headers, exc_info=None):
            answer["status"] = status

        result = b"".join(wsgi(environ, capture))
        if not answer["status"].startswith("200"):
            sys.exit("dump: page %d answered %s: %s" % (page_no, answer["status"],
                                                        result.decode("utf-8", "replace")))
        for element in etree.fromstring(result).iter("{%s}Enterprise" % TNS):
            record = {}
            for field in element:
                if field.get("{%s}nil" % XSI_NS) in ("true", "1"):
                    record[etree.QName(field).localname] = None
                else:
                    record[etree.QName(field).localname] = "".join(field.itertext())
            if first <= int(record["uscc"][10:]) <= last:
                out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()


def wait_listening(port, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["serve", "start", "stop", "dump"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--pidfile")
    parser.add_argument("--records", type=int, default=2500)
    parser.add_argument("--fault-every", type=int, default=0)
    parser.add_argument("--slow-every", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    parser.add_argument("--drop-every", type=int, default=0)
    parser.add_argument("--unavailable-first", type=int, default=0)
    parser.add_argument("--soap12", action="store_true")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--tls-client-ca")
    parser.add_argument("--basic-user")
    parser.add_argument("--basic-password")
    parser.add_argument("--lifetime", type=float, default=300)
    parser.add_argument("--chaos", type=float, default=0)  # percent of list_enterprise_page
    parser.add_argument("--chaos-seed", type=int, default=0)
    parser.add_argument("--threads", action="store_true")  # one thread per connection
    parser.add_argument("--page-latency-ms", type=float, default=0)  # list_enterprise_page only
    parser.add_argument("--cache-pages", action="store_true")  # list_enterprise_page answers
    parser.add_argument("--first", type=int, default=1)  # dump only
    parser.add_argument("--last", type=int)  # dump only; default --records
    args = parser.parse_args()
    global RECORDS
    RECORDS = args.records
    if args.command == "serve":
        serve(args)
    elif args.command == "dump":
        dump(args)
    elif args.command == "start":
        pid = os.fork()
        if pid == 0:
            os.setsid()
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            serve(args)
            return
        with open(args.pidfile, "w") as out:
            out.write(str(pid))
        if not wait_listening(args.port, 20):
            os.kill(pid, signal.SIGTERM)
            sys.exit("registry peer did not start listening on port %d" % args.port)
    else:
        try:
            with open(args.pidfile) as pidfile:
                os.kill(int(pidfile.read()), signal.SIGTERM)
            os.remove(args.pidfile)
        except (OSError, ValueError):
            pass


if __name__ == "__main__":
    main()

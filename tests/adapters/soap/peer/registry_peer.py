#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# registry_peer.py — a real third-party SOAP stack (spyne) serving a small enterprise registry on
# loopback, for the SOAP adapter's integration and conformance tests. Run with /usr/bin/python3.
#
#   registry_peer.py serve --port 0 [--records N] [--fault-every K] [--slow-every K]
#                          [--drop-every K] [--unavailable-first N] [--soap12] [--lifetime S]
#                          [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]
#                          [--basic-user U --basic-password P]
#       prints "PORT <n>" on stdout once listening; exits by itself after --lifetime seconds.
#   registry_peer.py start --port P --pidfile F ...   the same, detached; returns once listening
#   registry_peer.py stop --pidfile F
#
# Records are a pure function of their number, so every test knows what each page holds.
# Fault injection counts list_enterprises requests: every K-th answers HTTP 500, sleeps past the
# client's timeout, or sends half the response and drops the connection; the first N answer
# 503 with Retry-After: 1.
# --tls-cert/--tls-key serve https (Python's ssl module); with --tls-client-ca the peer requires a
# client certificate signed by that CA. --basic-user/--basic-password require HTTP basic auth on
# every request (the WSDL too) and answer 401 with WWW-Authenticate otherwise.
import argparse
import base64
import datetime
import io
import logging
import decimal
import os
import signal
import socket
import ssl
import sys
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from spyne import (Application, ComplexModel, Date, DateTime, Decimal, Fault, Integer, Iterable,
                   ServiceBase, Unicode, rpc)
from spyne.protocol.soap import Soap11, Soap12
from spyne.server.wsgi import WsgiApplication

TNS = "urn:ferry:sample:registry"
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


class Faults:
    def __init__(self, args):
        self.args = args
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, app):
        def middleware(environ, start_response):
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            n = 0
            if b"list_enterprises" in body:
                with self.lock:
                    self.count += 1
                    n = self.count
            a = self.args
            if n and n <= a.unavailable_first:
                start_response("503 Service Unavailable",
                               [("Content-Type", "text/plain"), ("Retry-After", "1")])
                return [b"registry busy, come back later"]
            if n and a.fault_every and n % a.fault_every == 0:
                start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
                return [b"injected failure"]
            if n and a.slow_every and n % a.slow_every == 0:
                time.sleep(a.slow_seconds)
            answer = {}

            def capture(status, headers, exc_info=None):
                answer["status"] = status
                answer["headers"] = headers

            result = b"".join(app(environ, capture))
            headers = [(k, v) for k, v in answer["headers"] if k.lower() != "content-length"]
            if n and a.drop_every and n % a.drop_every == 0:
                # Promise the whole answer, send half, and close: a connection dropped mid-body.
                start_response(answer["status"], headers + [("Content-Length", str(len(result)))])
                return [result[: len(result) // 2]]
            start_response(answer["status"], headers + [("Content-Length", str(len(result)))])
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


def serve(args):
    logging.getLogger("spyne").setLevel(logging.CRITICAL)
    protocol = Soap12 if args.soap12 else Soap11
    app = Application([Registry], TNS, in_protocol=protocol(validator="lxml"),
                      out_protocol=protocol())
    wsgi = Faults(args)(WsgiApplication(app))
    if args.basic_user:
        wsgi = basic_auth(args.basic_user, args.basic_password or "", wsgi)
    if args.tls_cert:
        wsgi = https_scheme(wsgi)

    server = make_server("127.0.0.1", args.port, wsgi, server_class=QuietServer,
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
    parser.add_argument("command", choices=["serve", "start", "stop"])
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
    args = parser.parse_args()
    global RECORDS
    RECORDS = args.records
    if args.command == "serve":
        serve(args)
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

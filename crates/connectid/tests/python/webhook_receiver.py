#!/usr/bin/env python3
"""A Standard Webhooks receiver for the tests.

    webhook_receiver.py --secret whsec_... --log FILE --port-file FILE [--fail-first N]

Listens on 127.0.0.1 on a free port and writes the port number to --port-file (written to a
temporary name and renamed, so a reader never sees half of it). Every POST is checked with
the `standardwebhooks` library and one JSON line is appended to --log:

    {"verified": false, "error": "...", "headers": {...}}            answered 400
    {"verified": true, "status": 500, "id": "<webhook-id>", "body": ...}  the first N verified ones
    {"verified": true, "status": 204, "id": "<webhook-id>", "body": ...}  the rest

N is --fail-first (default 0), counted over all verified deliveries. Lines are written under a
lock and flushed one by one. No request log on stderr. Exits on SIGTERM.
"""
import argparse
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--secret", required=True, help="the endpoint's secret, whsec_ + base64")
    parser.add_argument("--log", required=True, help="JSON Lines file to append to")
    parser.add_argument("--port-file", required=True, help="where to write the port number")
    parser.add_argument("--fail-first", type=int, default=0, metavar="N",
                        help="answer 500 to the first N verified deliveries (default 0)")
    return parser.parse_args()


def main():
    args = parse_args()
    webhook = Webhook(args.secret)
    lock = threading.Lock()
    log = open(args.log, "a", encoding="utf-8")
    verified_count = 0

    def append(record):
        log.write(json.dumps(record) + "\n")
        log.flush()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet
            pass

        def read_body(self):
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                body = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return body
                    body += self.rfile.read(size)
                    self.rfile.readline()
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def answer(self, status):
            self.send_response(status)
            if status != 204:
                self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            nonlocal verified_count
            body = self.read_body()
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                parsed = webhook.verify(body, headers)
            except Exception as e:
                with lock:
                    append({"verified": False, "error": str(e), "headers": headers})
                self.answer(400)
                return
            with lock:
                verified_count += 1
                status = 500 if verified_count <= args.fail_first else 204
                append({"verified": True, "status": status, "id": headers.get("webhook-id"),
                        "body": parsed})
            self.answer(status)

        def do_GET(self):
            self.answer(405)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True

    tmp = f"{args.port_file}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        log.close()


if __name__ == "__main__":
    sys.exit(main())

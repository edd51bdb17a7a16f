#!/usr/bin/env python3
"""A hook backend written for SRS's HTTP callbacks, as SRS's research/api-server answers them.

SRS POSTs a JSON object to /api/v1/clients (on_connect, on_close), /api/v1/streams (on_publish,
on_unpublish), /api/v1/sessions (on_play, on_stop) and /api/v1/dvrs (on_dvr), and reads the
answer's body as an error code: "0" lets the client in. Like that example backend, this one
answers str(code); it refuses (code 403) streams named "forbidden", as a backend checking stream
names would, and (code 401) a connection whose tcUrl carries token=bad, as SRS's token
authentication on on_connect does. It writes each request's JSON, one per line, to the log file given as its second
argument, and its port to stdout once it listens.

    python3 srs_api_server.py <port or 0> <log file>
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[2]
ROUTES = {
    "/api/v1/clients": ("on_connect", "on_close"),
    "/api/v1/streams": ("on_publish", "on_unpublish"),
    "/api/v1/sessions": ("on_play", "on_stop"),
    "/api/v1/dvrs": ("on_dvr",),
}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode("utf-8")
        code = 0
        try:
            req = json.loads(raw)
            if req.get("action") not in ROUTES.get(self.path, ()):
                code = 404
            elif req.get("action") == "on_publish" and req.get("stream") == "forbidden":
                code = 403
            elif req.get("action") == "on_connect" and "token=bad" in req.get("tcUrl", ""):
                code = 401
        except ValueError:
            req = {"invalid": raw}
            code = 100
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"path": self.path, "code": code, "request": req}) + "\n")
        body = str(code).encode("ascii")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()

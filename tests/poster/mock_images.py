#!/usr/bin/env python3
"""mock_images.py — a product image host for the poster tests: serves the
files of DIR, writes each path asked for to HITS (one a line) so a test
can tell a cached image from a fetched one, and answers /slow/... only
after 8 seconds (beyond the posters' 5 s limit).  Prints its port to
PORTFILE once it listens.

  mock_images.py DIR HITS PORTFILE
"""
import http.server
import os
import sys
import time

root, hits, portfile = sys.argv[1:4]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(hits, "a") as f:
            f.write(self.path + "\n")
        if self.path.startswith("/slow/"):
            time.sleep(8)
        name = os.path.join(root, os.path.basename(self.path))
        if not os.path.isfile(name):
            self.send_error(404)
            return
        data = open(name, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()

#!/usr/bin/env python3
"""clicker.py — sends redirects to one serve node as fast as one keep-alive
connection allows (or RATE a second), for the multi-node scenarios: GET /s/CODE over the given
codes in turn, each with its own User-Agent, every 302 logged as one line
"unix-time code" in LOG (flushed at once, so a line is a click the node
answered).  Stops when STOP exists, after MAX clicks, or at the first
connection error (the node was killed).  Not a test itself.

usage: clicker.py URL LOG STOP MAX RATE CODE [CODE...]   (RATE 0: no limit)"""
import http.client
import os
import sys
import time
import urllib.parse


def main():
    url, log, stop, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    rate = float(sys.argv[5])
    codes = sys.argv[6:]
    start = time.monotonic()
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
    sent = 0
    with open(log, "a", buffering=1) as out:
        while sent < limit and not os.path.exists(stop):
            if rate > 0:
                ahead = start + sent / rate - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
            code = codes[sent % len(codes)]
            try:
                conn.request("GET", "/s/" + code,
                             headers={"User-Agent": "Mozilla/5.0 (clicker %d)" % sent})
                r = conn.getresponse()
                r.read()
            except (OSError, http.client.HTTPException):
                return 0
            if r.status != 302:
                print("clicker: %s answered %d" % (code, r.status), file=sys.stderr)
                return 1
            out.write("%.3f %s\n" % (time.time(), code))
            sent += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

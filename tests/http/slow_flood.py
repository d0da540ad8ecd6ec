#!/usr/bin/env python3
"""slow_flood.py — a slow-client flood and the probes that measure it, for
tests/scenario/slow_flood.sh.  Not a test itself.

  slow_flood.py flood --port P --from 127.0.0.10-127.0.0.60 --conns N --seconds S
      keeps N connections open (spread over the source addresses, bound
      one by one), each sending one byte of a request head that never ends
      every second; a connection the server closes is opened again.  At the
      end prints one JSON line: opened, closed (by the server), most_open
      (at one time) and most_open_per_address.

  slow_flood.py probe --port P --from 127.0.0.2 --seconds S --within W
                      --get PATH [--get PATH ...] [--header "Name: value"]
      every 0.25 s starts one probe (the paths in turn): a new connection,
      a whole request, and the status line awaited for W seconds.  Prints
      one JSON line: probes, answered (within W, any status), statuses
      seen, slowest (seconds, of those answered).

  slow_flood.py trickle --port P --from ADDR --send TEXT
      one connection: sends TEXT (\\r\\n for CRLF) at once, then one byte
      a second (of a header line, or of the body once TEXT has ended its
      head) until the server closes it; prints the seconds that took.
"""
import argparse
import errno
import ipaddress
import json
import selectors
import socket
import sys
import threading
import time

HEAD = b"GET /s/slow HTTP/1.1\r\nHost: flood\r\nX-Slow: "


def addresses(spec):
    """'127.0.0.10-127.0.0.60' or '127.0.0.9' as a list of addresses."""
    first, _, last = spec.partition("-")
    a = ipaddress.IPv4Address(first)
    b = ipaddress.IPv4Address(last or first)
    return [str(ipaddress.IPv4Address(i)) for i in range(int(a), int(b) + 1)]


class Flood:
    def __init__(self, port, srcs, n):
        self.port, self.srcs, self.n = port, srcs, n
        self.sel = selectors.DefaultSelector()
        self.conns = {}  # socket -> [source, connected, bytes sent, next send]
        self.opened = self.closed = self.most_open = 0
        self.open_per = {s: 0 for s in srcs}
        self.most_per = 0
        self.retry = []  # (when, source): reopen after a short pause

    def open(self, src):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.bind((src, 0))
            err = s.connect_ex(("127.0.0.1", self.port))
        except OSError:
            s.close()
            self.retry.append((time.monotonic() + 0.5, src))
            return
        if err not in (0, errno.EINPROGRESS):
            s.close()
            self.retry.append((time.monotonic() + 0.5, src))
            return
        self.conns[s] = [src, False, 0, 0.0]
        self.sel.register(s, selectors.EVENT_WRITE)

    def drop(self, s, by_server):
        src, connected = self.conns.pop(s)[:2]
        self.sel.unregister(s)
        s.close()
        if connected:
            self.open_per[src] -= 1
            if by_server:
                self.closed += 1
        # a real attacker comes back at once; a short pause keeps this
        # tool from taking the CPU the server needs
        self.retry.append((time.monotonic() + 0.2, src))

    def send_byte(self, s, st, now):
        b = HEAD[st[2]:st[2] + 1] if st[2] < len(HEAD) else b"a"
        try:
            s.send(b)
        except OSError:
            self.drop(s, True)
            return
        st[2] += 1
        st[3] = now + 1.0

    def run(self, seconds):
        end = time.monotonic() + seconds
        for i in range(self.n):
            self.open(self.srcs[i % len(self.srcs)])
        while True:
            now = time.monotonic()
            if now >= end:
                break
            for key, ev in self.sel.select(timeout=0.05):
                s = key.fileobj
                st = self.conns.get(s)
                if st is None:
                    continue
                if not st[1]:
                    if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                        self.drop(s, False)
                        continue
                    st[1] = True
                    self.opened += 1
                    self.open_per[st[0]] += 1
                    self.most_per = max(self.most_per, self.open_per[st[0]])
                    self.sel.modify(s, selectors.EVENT_READ)
                    # the first byte at once: the server defers accepting
                    # a connection until something has arrived
                    self.send_byte(s, st, now)
                    continue
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    self.drop(s, True)
            now = time.monotonic()
            for s, st in list(self.conns.items()):
                if st[1] and st[3] <= now:
                    self.send_byte(s, st, now)
            open_now = sum(1 for st in self.conns.values() if st[1])
            self.most_open = max(self.most_open, open_now)
            due = [r for r in self.retry if r[0] <= now]
            self.retry = [r for r in self.retry if r[0] > now]
            for _, src in due:
                self.open(src)
        for s in list(self.conns):
            s.close()
        return {"opened": self.opened, "closed": self.closed, "most_open": self.most_open,
                "most_open_per_address": self.most_per}


def probe_once(port, src, path, headers, within, out, lock):
    t0 = time.monotonic()
    status = None
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(within)
    try:
        s.bind((src, 0))
        s.connect(("127.0.0.1", port))
        req = "GET %s HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n%s\r\n" % (
            path, "".join(h + "\r\n" for h in headers))
        s.sendall(req.encode())
        buf = b""
        while b"\r\n" not in buf:
            left = within - (time.monotonic() - t0)
            if left <= 0:
                break
            s.settimeout(left)
            d = s.recv(4096)
            if not d:
                break
            buf += d
        if b"\r\n" in buf and buf.startswith(b"HTTP/1."):
            status = int(buf.split(b" ", 2)[1])
    except (OSError, ValueError, IndexError):
        pass
    finally:
        s.close()
    took = time.monotonic() - t0
    with lock:
        out.append((path, status, took))


def probe(args):
    out, lock, threads = [], threading.Lock(), []
    end = time.monotonic() + args.seconds
    i = 0
    while time.monotonic() < end:
        path = args.get[i % len(args.get)]
        t = threading.Thread(target=probe_once, args=(args.port, args.src, path, args.header,
                                                      args.within, out, lock))
        t.start()
        threads.append(t)
        i += 1
        time.sleep(0.25)
    for t in threads:
        t.join()
    ok = [r for r in out if r[1] is not None and r[2] <= args.within]
    statuses = {}
    for r in out:
        statuses[str(r[1])] = statuses.get(str(r[1]), 0) + 1
    return {"probes": len(out), "answered": len(ok), "statuses": statuses,
            "slowest": round(max((r[2] for r in ok), default=0.0), 3)}


def trickle(args):
    text = args.send.replace("\\r", "\r").replace("\\n", "\n").encode()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((args.src, 0))
    s.connect(("127.0.0.1", args.port))
    t0 = time.monotonic()
    s.sendall(text)
    s.settimeout(1.0)
    closed = None
    while time.monotonic() - t0 < args.seconds:
        try:
            if not s.recv(4096):
                closed = time.monotonic() - t0
                break
        except socket.timeout:
            pass
        except OSError:
            closed = time.monotonic() - t0
            break
        try:
            s.send(b"a")
        except OSError:
            closed = time.monotonic() - t0
            break
    s.close()
    return {"closed_after": None if closed is None else round(closed, 2)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["flood", "probe", "trickle"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--from", dest="src", required=True)
    p.add_argument("--conns", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--within", type=float, default=3)
    p.add_argument("--get", action="append", default=[])
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--send", default="")
    args = p.parse_args()
    if args.mode == "flood":
        result = Flood(args.port, addresses(args.src), args.conns).run(args.seconds)
    elif args.mode == "trickle":
        result = trickle(args)
    else:
        if not args.get:
            p.error("probe needs --get PATH")
        result = probe(args)
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

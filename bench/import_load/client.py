#!/usr/bin/env python3
"""client.py — a steady-rate API client for bench/import_load/run.sh: balance
reads (GET) and withdrawal requests (POST) at fixed rates, each latency
recorded, for a number of seconds or for as long as a command (the import)
runs.  Prints one JSON summary (p50/p99/max and counts by status per kind).

  client.py URL TOKEN MEMBER --reads R --writes W (--seconds S | -- CMD...)

Open loop: request i of a kind is due at start + i / rate and its latency
is counted from that moment, so a call that waits delays the next ones'
figures too (no coordinated omission); a small pool of connections per
kind (keep-alive) sends them.  Status 0 is a call that got no answer."""
import http.client
import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

POOL = 16          # connections per kind: calls in flight at once
TIMEOUT_S = 30     # a call with no answer after this counts as status 0


def main():
	args = sys.argv[1:]
	cmd = None
	if "--" in args:
		i = args.index("--")
		args, cmd = args[:i], args[i + 1:]
	url, token, member = args[0], args[1], args[2]
	opts = dict(zip(args[3::2], args[4::2]))
	reads = float(opts["--reads"])
	writes = float(opts["--writes"])
	seconds = float(opts.get("--seconds", "0"))
	host, port = url.split("//", 1)[1].rstrip("/").split(":")
	local = threading.local()

	def call(kind, due):
		conn = getattr(local, "conn", None)
		if conn is None:
			conn = local.conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT_S)
		headers = {"Authorization": "Bearer " + token}
		try:
			if kind == "read":
				conn.request("GET", "/api/v1/members/%s/balance" % member, headers=headers)
			else:
				headers["Content-Type"] = "application/json"
				conn.request("POST", "/api/v1/withdrawals", body='{"amount":100}', headers=headers)
			resp = conn.getresponse()
			resp.read()
			status = resp.status
			if resp.getheader("Connection", "").lower() == "close":
				conn.close()
				local.conn = None
		except (OSError, http.client.HTTPException):
			conn.close()
			local.conn = None
			status = 0
		return kind, status, (time.monotonic() - due) * 1000.0

	results = []
	lock = threading.Lock()
	stop = threading.Event()

	def stream(kind, rate, pool):
		start = time.monotonic()
		i = 0
		while not stop.is_set():
			due = start + i / rate
			now = time.monotonic()
			if due > now:
				if stop.wait(due - now):
					break
			fut = pool.submit(call, kind, due)
			fut.add_done_callback(lambda f: (lock.acquire(), results.append(f.result()), lock.release()))
			i += 1

	pools = {k: ThreadPoolExecutor(max_workers=POOL) for k in ("read", "write")}
	threads = [threading.Thread(target=stream, args=(k, rate, pools[k]))
		for k, rate in (("read", reads), ("write", writes)) if rate > 0]
	began = time.monotonic()
	for t in threads:
		t.start()
	command = None
	if cmd:
		proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
		command = {"status": proc.returncode, "stdout": proc.stdout.strip(),
			"stderr": proc.stderr.strip()[-2000:]}
	else:
		time.sleep(seconds)
	elapsed = time.monotonic() - began
	stop.set()
	for t in threads:
		t.join()
	for p in pools.values():
		p.shutdown(wait=True)

	summary = {"seconds": round(elapsed, 1), "command": command}
	for kind in ("read", "write"):
		lat = sorted(r[2] for r in results if r[0] == kind)
		by_status = {}
		for r in results:
			if r[0] == kind:
				by_status[str(r[1])] = by_status.get(str(r[1]), 0) + 1

		def pct(p):
			if not lat:
				return None
			return round(lat[min(len(lat) - 1, int(p * len(lat)))], 1)
		summary[kind] = {"count": len(lat), "p50_ms": pct(0.50), "p99_ms": pct(0.99),
			"max_ms": round(lat[-1], 1) if lat else None, "status": by_status}
	print(json.dumps(summary))


if __name__ == "__main__":
	main()

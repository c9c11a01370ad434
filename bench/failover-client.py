#!/usr/bin/env python3
"""Bounded load pinned by cookie, for bench/failover.sh.

Usage: failover-client.py PORT SECONDS THREADS OUT_JSON
Each thread keeps one keep-alive connection, takes the persistence cookie from its first answer and sends it on every
request (so about half the threads are pinned to each server), paced at one request every 10 ms. An error is any
answer other than 200 or a broken connection (the thread then reconnects, keeping its cookie). Writes a JSON summary.
"""
import http.client, json, sys, threading, time

port, seconds, threads, out = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lock = threading.Lock()
stats = {"served": 0, "errors": 0, "error_kinds": {}, "by_server": {}, "first_error": None, "last_error": None}
t0 = time.time()


def record(ok, kind=None, server=None):
    with lock:
        if ok:
            stats["served"] += 1
            stats["by_server"][server] = stats["by_server"].get(server, 0) + 1
        else:
            stats["errors"] += 1
            stats["error_kinds"][kind] = stats["error_kinds"].get(kind, 0) + 1
            now = round(time.time() - t0, 3)
            stats["first_error"] = stats["first_error"] or now
            stats["last_error"] = now


def worker():
    cookie = None
    conn = None
    end = t0 + seconds
    while time.time() < end:
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Cookie": cookie} if cookie else {}
            conn.request("GET", "/", headers=headers)
            r = conn.getresponse()
            body = r.read()
            sc = r.getheader("set-cookie")
            if sc:
                cookie = sc.split(";")[0]
            if r.status == 200:
                record(True, server=body.decode().strip())
            else:
                record(False, "status %d" % r.status)
            if r.getheader("connection", "").lower() == "close":
                conn.close()
                conn = None
        except Exception as e:
            record(False, type(e).__name__)
            try:
                conn.close()
            except Exception:
                pass
            conn = None
        time.sleep(0.01)


ts = [threading.Thread(target=worker) for _ in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
json.dump(stats, open(out, "w"))

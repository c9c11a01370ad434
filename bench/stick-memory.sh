#!/usr/bin/env bash
# Bytes per stick-table entry, HAProxy 2.6 beside Berth, in the same run (issue 5's memory target).
#
# HAProxy: a backend holding `stick-table type ip size 1m store server_id` and an admin stats socket; its RSS
# (/proc/PID/status VmRSS) is read before and after `set table` fills the table with N entries over one
# interactive CLI connection, and the difference is divided by the entries `show table` reports.
# Berth: StickTableBenchmark's main, which fills the same table (type ip size 1m store server_id) and divides
# the bytes its arrays hold by the entries (the table's whole footprint: nothing else is allocated per entry).
#
# Usage: bench/stick-memory.sh [ENTRIES=1048576]
# Needs: haproxy, python3, java 17+, maven (builds berth-bench when its jar is missing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
entries="${1:-1048576}"
work="$(mktemp -d)"
hpid=""
cleanup() { [ -n "$hpid" ] && kill "$hpid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for tool in haproxy python3 java; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found" >&2; exit 1; }
done

cat > "$work/h.cfg" <<CFG
global
    nbthread 1
    stats socket $work/admin.sock level admin
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
backend st
    stick-table type ip size 1m store server_id
CFG
haproxy -db -f "$work/h.cfg" >"$work/haproxy.log" 2>&1 &
hpid=$!
for _ in $(seq 50); do [ -S "$work/admin.sock" ] && break; sleep 0.1; done
[ -S "$work/admin.sock" ] || { echo "bench: haproxy did not start:" >&2; cat "$work/haproxy.log" >&2; exit 1; }

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$hpid/status"; }
# warm the CLI path once so the first connection's buffers are not counted against the entries
python3 - "$work/admin.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"show table st\n"); s.recv(65536); s.close()
PY
before=$(rss_kb)

# one interactive connection ("prompt"): many newline-separated commands, the replies drained by a thread
python3 - "$work/admin.sock" "$entries" <<'PY'
import socket, sys, threading
path, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX)
s.connect(path)
done = threading.Event()
def drain():
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
    done.set()
threading.Thread(target=drain, daemon=True).start()
s.sendall(b"prompt\n")
batch = []
for i in range(n):
    # 10.0.0.0 upwards: every key distinct
    a = 0x0A000000 + i
    batch.append("set table st key %d.%d.%d.%d data.server_id %d\n" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, 1 + (i & 7)))
    if len(batch) == 4096:
        s.sendall("".join(batch).encode()); batch = []
s.sendall(("".join(batch) + "quit\n").encode())
done.wait(600)
PY
used=$(python3 - "$work/admin.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"show table\n")
out = b""
while True:
    b = s.recv(65536)
    if not b: break
    out += b
for line in out.decode().splitlines():
    if "table: st," in line:
        print(line.split("used:")[1].strip())
PY
)
after=$(rss_kb)
echo "HAProxy $(haproxy -v | head -1 | awk '{print $3}'): RSS ${before} kB -> ${after} kB for ${used} entries:" \
  "$(python3 -c "print(f'{($after - $before) * 1024 / max(1, $used):.1f}')") bytes/entry"

jar="$here/berth-bench/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$here" && mvn -B -q -o install -DskipTests -DskipITs)
fi
echo -n "Berth: "
java -cp "$jar" io.berth.persist.stick.StickTableBenchmark | grep bytes/entry

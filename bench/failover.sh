#!/usr/bin/env bash
# Failover under load: HAProxy and Berth with the same configuration, the same two backends, in the same run.
# Clients are pinned by the persistence cookie (cookie SRVID insert indirect nocache); after KILL_AT seconds backend
# app1 is killed abruptly (SIGKILL), after RESTART_AT seconds it is started again. Prints, for each proxy, requests
# served, errors seen (non-200 or broken connection) and the time from the kill to the "Server be_app/app1 is DOWN"
# line of that proxy's log.
#
# Usage: bench/failover.sh [redispatch|noredispatch] [SECONDS=20] [THREADS=8]
# With 'option redispatch' and 'retries 3', idempotent requests should see zero errors; without it, the clients
# pinned to app1 fail until checks mark it DOWN (then their cookie is ignored), in both proxies alike.
# Needs: haproxy, python3, perl, java 17+, maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-redispatch}"
duration="${2:-20}"
threads="${3:-8}"
kill_at=$(( duration / 4 ))
restart_at=$(( duration * 3 / 5 ))
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "logs kept in $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

for tool in haproxy python3 perl java; do
  command -v "$tool" >/dev/null || { echo "failover: '$tool' not found" >&2; exit 1; }
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
app1=$(free_port); app2=$(free_port); hport=$(free_port); bport=$(free_port)

redispatch_line="option redispatch"
[ "$mode" = "noredispatch" ] && redispatch_line="# no option redispatch"
proxy_cfg() { # $1 = listen port
cat <<CFG
global
    log stdout format raw local0 info
defaults
    mode http
    log global
    option httplog
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend fe_app
    bind 127.0.0.1:$1
    default_backend be_app
backend be_app
    balance roundrobin
    retries 3
    $redispatch_line
    cookie SRVID insert indirect nocache
    option httpchk GET /healthz
    default-server inter 500 fastinter 250 downinter 1000 rise 2 fall 2
    server app1 127.0.0.1:$app1 check cookie app1
    server app2 127.0.0.1:$app2 check cookie app2
CFG
}
proxy_cfg "$hport" > "$work/haproxy.cfg"
proxy_cfg "$bport" > "$work/berth.cfg"

stamp() { perl -MTime::HiRes=time -ne '$|=1; printf "%.3f %s", time, $_'; }
python3 "$here/bench/failover-backend.py" app1 "$app1" 2>/dev/null & app1pid=$!; pids+=($app1pid)
python3 "$here/bench/failover-backend.py" app2 "$app2" 2>/dev/null & pids+=($!)
haproxy -db -f "$work/haproxy.cfg" > >(stamp > "$work/haproxy.log") 2>&1 & pids+=($!)
"$here/berth" -f "$work/berth.cfg" > >(stamp > "$work/berth.log") 2>&1 & pids+=($!)

wait_port() { for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "failover: port $1 never opened" >&2; cat "$work"/*.log >&2; exit 1; }
wait_port "$app1"; wait_port "$app2"; wait_port "$hport"; wait_port "$bport"
sleep 2   # first checks done

python3 "$here/bench/failover-client.py" "$hport" "$duration" "$threads" "$work/haproxy.json" & hc=$!
python3 "$here/bench/failover-client.py" "$bport" "$duration" "$threads" "$work/berth.json" & bc=$!
sleep "$kill_at"
kill -9 "$app1pid"
killed=$(perl -MTime::HiRes=time -e 'printf "%.3f", time')
sleep $(( restart_at - kill_at ))
python3 "$here/bench/failover-backend.py" app1 "$app1" 2>/dev/null & pids+=($!)
wait "$hc" "$bc"

echo "failover ($mode): ${duration}s, $threads pinned clients per proxy, app1 killed at ${kill_at}s, restarted at ${restart_at}s"
for p in haproxy berth; do
  down=$(awk -v k="$killed" '/app1 is DOWN/ && $1 >= k { printf "%.0f ms", ($1 - k) * 1000; exit }' "$work/$p.log")
  python3 - "$work/$p.json" "$p" "${down:-never}" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
kinds = ", ".join("%s x%d" % kv for kv in s["error_kinds"].items()) or "-"
print("%-8s served %6d  errors %4d (%s)  by server %s  kill->DOWN %s" % (sys.argv[2], s["served"], s["errors"], kinds,
      s["by_server"], sys.argv[3]))
PY
done

#!/usr/bin/env bash
# Load comparison: HAProxy and Berth with the same configuration (the article's cookie config), same backends,
# same wrk load, in the same run. Prints requests/s, p99 latency and the proxy's CPU time per request for each,
# and Berth/HAProxy ratios. The machine is shared and noisy: compare ratios, not absolute figures.
#
# Usage: bench/load.sh [DURATION_SECONDS=15] [CONNECTIONS=50]
# Needs: haproxy, wrk (apt-get install haproxy wrk), java 17+, maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-15}"
conns="${2:-50}"
threads=2
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for tool in haproxy wrk java; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found (apt-get install -y haproxy wrk)" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
app1=$(free_port); app2=$(free_port); hport=$(free_port); bport=$(free_port)

# Backends: one HAProxy process answering static responses, so both proxies face the same fast servers.
cat > "$work/backends.cfg" <<CFG
global
    nbthread 1
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend app1
    bind 127.0.0.1:$app1
    http-request return status 200 content-type text/plain string "hello from app1" hdr X-Served-By app1
frontend app2
    bind 127.0.0.1:$app2
    http-request return status 200 content-type text/plain string "hello from app2" hdr X-Served-By app2
CFG
haproxy -db -f "$work/backends.cfg" >/dev/null 2>&1 & pids+=($!)

proxy_cfg() { # $1 = listen port
  sed -e "s/127.0.0.1:8080/127.0.0.1:$1/" -e '/stats socket/d' -e "s/127.0.0.1:9001/127.0.0.1:$app1/" -e "s/127.0.0.1:9002/127.0.0.1:$app2/" \
    "$here/examples/cookie-insert.cfg"
}
proxy_cfg "$hport" > "$work/haproxy.cfg"
proxy_cfg "$bport" > "$work/berth.cfg"

haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.out" 2>&1 & hpid=$!; pids+=($hpid)
"$here/berth" -f "$work/berth.cfg" >"$work/berth.out" 2>&1 & bpid=$!; pids+=($bpid)

wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "bench: port $1 never opened" >&2; cat "$work"/*.out >&2; exit 1; }
wait_port "$app1"; wait_port "$app2"; wait_port "$hport"; wait_port "$bport"

# The launcher execs java, so $bpid is the JVM. CPU ticks (utime+stime) of a process and its threads.
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

run() { # $1 name, $2 port, $3 pid
  local name=$1 port=$2 pid=$3
  wrk -t"$threads" -c"$conns" -d3s "http://127.0.0.1:$port/" >/dev/null 2>&1 || true   # warm-up (JIT)
  local before after out
  before=$(cpu_ticks "$pid")
  out=$(wrk -t"$threads" -c"$conns" -d"${duration}s" --latency "http://127.0.0.1:$port/")
  after=$(cpu_ticks "$pid")
  local rps p99 reqs errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  local cpu_us=$(( (after - before) * 1000000 / hz ))
  local per_req
  per_req=$(awk -v c="$cpu_us" -v r="$reqs" 'BEGIN { printf "%.1f", (r > 0 ? c / r : 0) }')
  printf '%-8s %12s req/s   p99 %-9s  CPU %8s us/req   %s\n' "$name" "$rps" "$p99" "$per_req" "${errs:-no errors}"
  echo "$rps $per_req $p99" > "$work/$name.result"
}

echo "wrk: $threads threads, $conns connections, ${duration}s per proxy, backends: static HAProxy responders"
run haproxy "$hport" "$hpid"
run berth "$bport" "$bpid"

read -r hrps hcpu hp99 < "$work/haproxy.result"
read -r brps bcpu bp99 < "$work/berth.result"
awk -v br="$brps" -v hr="$hrps" -v bc="$bcpu" -v hc="$hcpu" 'BEGIN {
  printf "ratio    Berth/HAProxy throughput %.2f   CPU per request %.2f\n", br / hr, (hc > 0 ? bc / hc : 0) }'
echo "p99: haproxy $hp99  berth $bp99"

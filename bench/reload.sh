#!/usr/bin/env bash
# Reload comparison (issue 7): Berth and real HAProxy 2.6 with the same configuration (a stick table
# `stick on hdr(x-user)`, synced through a `peers` section that names only the local peer), each under the same
# bounded wrk load, reloaded while the load runs:
#   Berth:   20 in-process reloads (kill -HUP), then 5 reloads by process replacement (new process -L me -sf OLD)
#   HAProxy: 5 reloads by process replacement (new process -L me -sf OLD), 6 s apart: HAProxy 2.6 loses its
#            tables when it is reloaded less than ~5 s after its start (reference §6.8)
# For each: requests, failed requests (non-2xx + socket errors as wrk counts them), stick entries before and after
# (`show table be` over the stats socket with socat) and how many kept the same server.
# Requests are sent with "Connection: close" (a fresh connection each, as clients meeting a reload would):
# with keep-alive, wrk also counts the race where an old process closes an idle connection as a new request is
# being written, which is a client retry matter, not a lost connection.
#
# Usage: bench/reload.sh [DURATION_SECONDS=50] [CONNECTIONS=8]
# Needs: haproxy, wrk, socat, curl, java 17+, maven. Loopback only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-50}"
conns="${2:-8}"
users=300
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${BENCH_KEEP:-}" ] && cp -r "$work" "$BENCH_KEEP" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

for tool in haproxy wrk socat curl java python3; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found (apt-get install -y haproxy wrk socat curl)" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
app1=$(free_port); app2=$(free_port)

# Backends: one HAProxy process answering static responses for both proxies.
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
    http-request return status 200 content-type text/plain string "one" hdr X-Served-By s1 hdr X-User "%[req.hdr(x-user)]"
frontend app2
    bind 127.0.0.1:$app2
    http-request return status 200 content-type text/plain string "two" hdr X-Served-By s2 hdr X-User "%[req.hdr(x-user)]"
CFG
haproxy -db -f "$work/backends.cfg" >"$work/backends.out" 2>&1 & pids+=($!)

# The configuration both proxies run; $1 = name (socket file), $2 = generation, $3 = listen port, $4 = peer port.
proxy_cfg() {
  cat <<CFG
global
    stats socket $work/$1-$2.sock mode 600 level admin
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
peers local
    peer me 127.0.0.1:$4
frontend fe
    bind 127.0.0.1:$3
    default_backend be
backend be
    balance roundrobin
    stick-table type string len 32 size 10k expire 30m peers local
    stick on hdr(x-user)
    server s1 127.0.0.1:$app1
    server s2 127.0.0.1:$app2
CFG
}

wait_port() {
  for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: port $1 never opened" >&2; cat "$work"/*.out >&2; exit 1
}
wait_gone() { # $1 pid, $2 seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  echo "bench: process $1 still running after $2 s" >&2; return 1
}
wait_log() { # $1 file, $2 text, $3 minimum count, $4 seconds
  for _ in $(seq 1 $(( $4 * 10 ))); do
    [ "$(grep -c -- "$2" "$1" 2>/dev/null || true)" -ge "$3" ] && return 0; sleep 0.1
  done
  echo "bench: '$2' not seen $3 times in $1" >&2; tail -20 "$1" >&2; return 1
}
# `show table be` as sorted "key server_id" lines.
table() { # $1 socket
  echo "show table be" | socat -t 5 - "UNIX-CONNECT:$1" \
    | sed -n 's/.* key=\([^ ]*\) .*server_id=\([0-9]*\).*/\1 \2/p' | sort
}

cat > "$work/users.lua" <<LUA
-- each request on a fresh connection, for one of $users users (a different walk per thread); a response from
-- another server than the previous one for the same user (in this thread) counts as "moved"
local threads = {}
step = 7
function setup(thread) thread:set("step", step); step = step + 6; table.insert(threads, thread) end
local i = 0
local last = {}
moved = 0
function request()
  i = (i + step) % $users
  return wrk.format("GET", "/", { ["X-User"] = "u" .. i, ["Connection"] = "close" })
end
function response(status, headers, body)
  -- the backends echo the user: connections of a thread may answer out of order
  local u = headers["X-User"] or headers["x-user"]
  local s = headers["X-Served-By"] or headers["x-served-by"]
  if u ~= nil and s ~= nil then
    if last[u] ~= nil and last[u] ~= s then moved = moved + 1 end
    last[u] = s
  end
end
function done(summary, latency, requests)
  local m = 0
  for _, t in ipairs(threads) do m = m + t:get("moved") end
  io.write(string.format("moved %d\n", m))
end
LUA

# Builds the jar if stale (quietly), once, before any timing starts.
"$here/berth" -v >/dev/null

start_proxy() { # $1 name, $2 generation, $3 listen port, $4 peer port, rest: extra arguments
  local name=$1 gen=$2 port=$3 peer=$4; shift 4
  proxy_cfg "$name" "$gen" "$port" "$peer" > "$work/$name-$gen.cfg"
  if [ "$name" = haproxy ]; then
    haproxy -db -L me -f "$work/$name-$gen.cfg" "$@" >"$work/$name-$gen.out" 2>&1 &
  else
    "$here/berth" -f "$work/$name-$gen.cfg" -L me "$@" >"$work/$name-$gen.out" 2>&1 &
  fi
  echo $!
}

run() { # $1 name
  local name=$1 port peer pid gen=0 sock out
  port=$(free_port); peer=$(free_port)
  pid=$(start_proxy "$name" 0 "$port" "$peer"); pids+=("$pid")
  wait_port "$port"
  # HAProxy 2.6 hands nothing over while it is in its own startup resync (~5 s); Berth has no such window
  # with only a local peer, but both get the same start so the figures compare.
  for u in $(seq 0 $((users - 1))); do curl -s -o /dev/null -H "X-User: u$u" "http://127.0.0.1:$port/"; done
  table "$work/$name-0.sock" > "$work/$name.before"
  sleep 6
  local t0=$SECONDS
  wrk -t2 -c"$conns" -d"${duration}s" -s "$work/users.lua" "http://127.0.0.1:$port/" > "$work/$name.wrk" 2>&1 &
  local wrk_pid=$!
  sleep 2
  local hups=0 sfs=0
  if [ "$name" = berth ]; then
    for r in $(seq 1 20); do
      kill -HUP "$pid"
      wait_log "$work/$name-0.out" "reload complete" "$r" 30
      hups=$r
      sleep 0.3
    done
  fi
  for r in $(seq 1 5); do
    sleep $([ "$name" = haproxy ] && echo 6 || echo 1)
    gen=$((gen + 1))
    local old=$pid
    pid=$(start_proxy "$name" "$gen" "$port" "$peer" -sf "$old"); pids+=("$pid")
    wait_gone "$old" 40
    if [ "$name" = berth ]; then wait_log "$work/$name-$gen.out" "serving (old process" 1 20; fi
    sfs=$r
  done
  local reload_secs=$((SECONDS - t0))
  wait "$wrk_pid" || true
  [ "$reload_secs" -lt "$duration" ] || echo "bench: $name: reloads took ${reload_secs}s, longer than the load (${duration}s)" >&2
  table "$work/$name-$gen.sock" > "$work/$name.after"
  out=$(cat "$work/$name.wrk")
  local reqs moved non2xx sockerr before after kept
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  moved=$(awk '$1=="moved" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  sockerr=$(awk '/Socket errors/ {gsub(",", ""); print $4+$6+$8+$10}' <<<"$out"); sockerr=${sockerr:-0}
  before=$(wc -l < "$work/$name.before"); after=$(wc -l < "$work/$name.after")
  kept=$(comm -12 "$work/$name.before" "$work/$name.after" | wc -l)
  printf '%-8s reloads: %2d HUP + %d -sf in %3ss | requests %8s | failed %s (non-2xx %s, socket errors %s) | moved %s | stick entries before %s after %s, same server %s\n' \
    "$name" "$hups" "$sfs" "$reload_secs" "$reqs" "$((non2xx + sockerr))" "$non2xx" "$sockerr" "$moved" "$before" "$after" "$kept"
  grep -h "Socket errors" "$work/$name.wrk" >&2 || true
  kill "$pid" 2>/dev/null || true
}

echo "wrk: 2 threads, $conns connections, ${duration}s per proxy, $users users stuck by X-User, Connection: close"
run haproxy
run berth

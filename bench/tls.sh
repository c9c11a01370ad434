#!/usr/bin/env bash
# TLS comparison in one run: HAProxy (OpenSSL), Berth with OpenSSL (BoringSSL via netty-tcnative) and Berth with the
# JDK's TLS, same certificate (RSA 2048, self-signed, made here), same static backend (an HAProxy responder).
# Prints, per proxy: full TLS handshakes per second (openssl s_time -new, P parallel clients), HTTP/1.1 over TLS
# small-request throughput (h2load --h1), HTTP/2 small-request throughput (h2load, ALPN h2) and bulk throughput
# (256 KiB responses over HTTP/2, MB/s), each with the proxy's CPU time. The machine is shared and noisy: compare
# ratios within one run, not absolute figures.
#
# Usage: bench/tls.sh [SECONDS=5] [PARALLEL_HANDSHAKE_CLIENTS=4]
# Needs: haproxy, openssl, h2load (apt-get install nghttp2-client), java 17+, maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-5}"
par="${2:-4}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for tool in haproxy openssl h2load java; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' not found" >&2; exit 1; }
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "bench: port $1 never opened" >&2; cat "$work"/*.out >&2; exit 1; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/k.pem" -out "$work/c.pem" -days 2 -subj /CN=bench.test \
  -addext subjectAltName=DNS:bench.test 2>/dev/null
cat "$work/c.pem" "$work/k.pem" > "$work/bench.pem"
head -c 262144 /dev/urandom > "$work/body.bin"

app=$(free_port); big=$(free_port)
cat > "$work/backends.cfg" <<CFG
global
    nbthread 1
    tune.bufsize 327680
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend app
    bind 127.0.0.1:$app
    http-request return status 200 content-type text/plain string "hello"
frontend big
    bind 127.0.0.1:$big
    http-request return status 200 content-type application/octet-stream file $work/body.bin
CFG
haproxy -db -f "$work/backends.cfg" >"$work/backends.out" 2>&1 & pids+=($!)

proxy_cfg() { # $1 = TLS port
  cat <<CFG
global
    nbthread 2
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:$1 ssl crt $work/bench.pem alpn h2,http/1.1
    use_backend big if { path_beg /big }
    default_backend app
backend app
    server a 127.0.0.1:$app
backend big
    server b 127.0.0.1:$big
CFG
}
hport=$(free_port); oport=$(free_port); jport=$(free_port)
proxy_cfg "$hport" > "$work/haproxy.cfg"
proxy_cfg "$oport" > "$work/berth-openssl.cfg"
proxy_cfg "$jport" > "$work/berth-jdk.cfg"
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.out" 2>&1 & hpid=$!; pids+=($hpid)
BERTH_JAVA_OPTS="-Dberth.tls.provider=openssl" "$here/berth" -f "$work/berth-openssl.cfg" >"$work/berth-openssl.out" 2>&1 & opid=$!; pids+=($opid)
wait_port "$oport"   # the first launcher run may build the jar; start the second one after it
BERTH_JAVA_OPTS="-Dberth.tls.provider=jdk" "$here/berth" -f "$work/berth-jdk.cfg" >"$work/berth-jdk.out" 2>&1 & jpid=$!; pids+=($jpid)
wait_port "$app"; wait_port "$big"; wait_port "$hport"; wait_port "$jport"

handshakes() { # $1 port -> handshakes/s summed over $par parallel s_time clients
  local i total=0
  for i in $(seq 1 "$par"); do
    openssl s_time -connect "127.0.0.1:$1" -new -time "$secs" 2>/dev/null | awk '/connections in .* real seconds/ {print $1/$4}' > "$work/st.$i" &
  done
  wait $(jobs -p | tail -n "$par") 2>/dev/null || true
  for i in $(seq 1 "$par"); do total=$(awk -v t="$total" '{printf "%.0f", t + $1}' "$work/st.$i"); done
  echo "$total"
}
h2run() { # $1 port, extra args... -> "req/s MB/s failed"
  local port=$1; shift
  h2load -D "$secs" -c 8 "$@" "https://127.0.0.1:$port/$path" 2>/dev/null | awk '
    /^finished in/ {rps=$4; mbs=$6; sub(/,/,"",rps); unit=$7}
    /^requests:/ {failed=$10+$12+$14}
    END { if (unit ~ /KB/) mbs = mbs/1024; if (unit ~ /GB/) mbs = mbs*1024; printf "%s %.1f %s", rps, mbs, failed }'
}
measure() { # $1 name, $2 port, $3 pid
  local name=$1 port=$2 pid=$3 b a hs h1 h2 bulk
  path=""; h2load -n 2000 -c 8 "https://127.0.0.1:$port/" >/dev/null 2>&1 || true   # warm-up (JIT)
  b=$(cpu_ticks "$pid"); hs=$(handshakes "$port"); a=$(cpu_ticks "$pid")
  local hs_cpu; hs_cpu=$(awk -v c=$(( (a-b)*1000000/hz )) -v n="$hs" -v s="$secs" 'BEGIN{printf "%.0f", (n>0? c/(n*s):0)}')
  path=""; h1=$(h2run "$port" --h1 -m 1)
  path=""; h2=$(h2run "$port" -m 10)
  path="big"; b=$(cpu_ticks "$pid"); bulk=$(h2run "$port" -m 1); a=$(cpu_ticks "$pid")
  read -r h1rps _ h1f <<<"$h1"; read -r h2rps _ h2f <<<"$h2"; read -r _ bmbs bf <<<"$bulk"
  local bulk_cpu; bulk_cpu=$(awk -v c=$(( (a-b)*100/hz )) -v s="$secs" 'BEGIN{printf "%.0f", c/s}')
  printf '%-14s %9s hs/s (%4s us CPU/hs)  h1 %9s req/s  h2 %9s req/s  bulk h2 %7s MB/s (%3s%% CPU)  failed %s/%s/%s\n' \
    "$name" "$hs" "$hs_cpu" "$h1rps" "$h2rps" "$bmbs" "$bulk_cpu" "$h1f" "$h2f" "$bf"
}
echo "TLS 1.3, RSA 2048; ${secs}s per figure; handshakes: $par parallel 'openssl s_time -new'; h2load 8 connections"
measure haproxy "$hport" "$hpid"
measure berth-openssl "$oport" "$opid"
measure berth-jdk "$jport" "$jpid"
grep -h -i 'tls\|ssl' "$work"/berth-*.out | head -4 || true

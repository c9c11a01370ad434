#!/usr/bin/env bash
# Renders Berth's stats page in headless Chromium and saves it as docs/stats-page.png.
# Starts two small backends (HAProxy answering static responses, as bench/load.sh does), Berth with a demo-like
# configuration (cookie persistence with health checks, a stick table, the stats page, a Prometheus frontend),
# sends some traffic, puts one server in drain through the stats socket, then takes the screenshot.
#
# Usage: bench/stats-screenshot.sh [OUTPUT=docs/stats-page.png]
# Needs: haproxy, chromium (apt-get install -y haproxy chromium), curl, socat, java 17+, maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/docs/stats-page.png}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for tool in haproxy chromium curl socat java; do
  command -v "$tool" >/dev/null || { echo "stats-screenshot: '$tool' not found (apt-get install -y haproxy chromium curl socat)" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
app1=$(free_port); app2=$(free_port); app3=$(free_port); web=$(free_port); prom=$(free_port)

cat > "$work/backends.cfg" <<CFG
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend app1
    bind 127.0.0.1:$app1
    http-request return status 200 content-type text/plain string "hello from app1"
frontend app2
    bind 127.0.0.1:$app2
    http-request return status 200 content-type text/plain string "hello from app2"
frontend app3
    bind 127.0.0.1:$app3
    http-request return status 404 content-type text/plain string "not here" if { path /missing }
    http-request return status 200 content-type text/plain string "hello from app3"
CFG
haproxy -db -f "$work/backends.cfg" >"$work/backends.log" 2>&1 &
pids+=($!)

cat > "$work/berth.cfg" <<CFG
global
    stats socket $work/admin.sock mode 600 level admin

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend fe_app
    bind 127.0.0.1:$web
    http-request deny if { path /admin }
    use_backend be_api if { path_beg /api }
    default_backend be_app

frontend prometheus
    bind 127.0.0.1:$prom
    http-request use-service prometheus-exporter if { path /metrics }
    stats enable
    stats uri /stats
    stats refresh 10s

backend be_app
    balance roundrobin
    cookie SRVID insert indirect nocache httponly
    server app1 127.0.0.1:$app1 check inter 1s cookie app1
    server app2 127.0.0.1:$app2 check inter 1s cookie app2
    server app3 127.0.0.1:$app3 check inter 1s cookie app3 weight 2

backend be_api
    balance roundrobin
    stick-table type ip size 100k expire 30m
    stick on src
    server api1 127.0.0.1:$app3 check inter 1s
    server api2 127.0.0.1:$(free_port) check inter 1s
CFG

"$here/berth" -f "$work/berth.cfg" >"$work/berth.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -s -o /dev/null "http://127.0.0.1:$prom/stats" && break
  sleep 0.5
done

for i in $(seq 1 40); do curl -s -o /dev/null "http://127.0.0.1:$web/page$i"; done
for i in $(seq 1 12); do curl -s -o /dev/null -b "SRVID=app1" "http://127.0.0.1:$web/sticky"; done
for i in $(seq 1 6); do curl -s -o /dev/null "http://127.0.0.1:$web/missing"; done
for i in $(seq 1 3); do curl -s -o /dev/null "http://127.0.0.1:$web/admin"; done
for i in $(seq 1 10); do curl -s -o /dev/null "http://127.0.0.1:$web/api/v1/items"; done
echo "set server be_app/app2 state drain" | socat stdio "$work/admin.sock" >/dev/null
sleep 3 # let the checks of the server that does not exist reach DOWN

mkdir -p "$(dirname "$out")"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,900 \
  --screenshot="$out" "http://127.0.0.1:$prom/stats;norefresh" >"$work/chromium.log" 2>&1
echo "stats-screenshot: wrote $out"

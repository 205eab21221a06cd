#!/usr/bin/env bash
# The remote endpoint under load on loopback: requests/s and latency percentiles of GET /capabilities
# (libvirt XML, ~45 KB), with and without If-None-Match (304), with gzip, over one connection and over
# several, measured with wrk against `virtcaps serve`. With --libvirt, the reference: libvirt 9.0's
# virConnectGetCapabilities over one connection (python3-libvirt against a local libvirtd).
# Usage: bench/http.sh [--libvirt]    (needs wrk; seconds per run: BENCH_SECONDS, default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${BENCH_SECONDS:-10}"
command -v wrk >/dev/null || { echo "bench/http.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
./virtcaps capabilities >/dev/null          # build if needed, and warm the probe cache
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
./virtcaps serve --port "$port" --drivers-dir "$work/drivers" --config-dir "$work/config" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
url="http://127.0.0.1:$port/capabilities"
for _ in $(seq 100); do curl -sf -o /dev/null "$url" && break; sleep 0.2; done
# let the drivers settle so that the snapshot (and so the ETag) stays put during the runs
sleep 2
etag="$(curl -s -D - -o /dev/null "$url" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')"
bytes="$(curl -s "$url" | wc -c)"
echo "endpoint: $url (${bytes} bytes of libvirt XML, ETag $etag); $seconds s per run; $(nproc) cores shared by wrk and the server"

# one run: label, connections, threads, extra wrk arguments; prints req/s and p50/p90/p99
run() {
  local label="$1" conns="$2" threads="$3"; shift 3
  wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency "$@" "$url" >/dev/null 2>&1  # warm-up (JIT)
  local out; out="$(wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency "$@" "$url")"
  local rps p50 p90 p99 non2xx
  rps="$(awk '/Requests\/sec/{print $2}' <<<"$out")"
  p50="$(awk '$1=="50%"{print $2}' <<<"$out")"; p90="$(awk '$1=="90%"{print $2}' <<<"$out")"; p99="$(awk '$1=="99%"{print $2}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/{print $NF}' <<<"$out")"
  printf '%-44s %10.0f req/s   p50 %-9s p90 %-9s p99 %-9s%s\n' "$label" "$rps" "$p50" "$p90" "$p99" \
    "${non2xx:+  (non-2xx: $non2xx)}"
  echo "$rps" >"$work/rps-$(tr -c 'a-z0-9' '_' <<<"$label")"
}
run "1 connection, 200 (full document)" 1 1
run "1 connection, 304 (If-None-Match)" 1 1 -H "If-None-Match: $etag"
run "1 connection, 200 gzip" 1 1 -H "Accept-Encoding: gzip"
run "8 connections, 200 (full document)" 8 2
run "8 connections, 304 (If-None-Match)" 8 2 -H "If-None-Match: $etag"
run "50 connections, JSON with descriptions" 50 2 -H "Accept: application/json" -H "Accept-Language: fr"
one="$(cat "$work"/rps-1_connection__200__full_document_*)"

# the server's memory: its peak under these runs, and what it keeps once they are over
rss() { awk -v k="$1" '$1==k":"{printf "%.0f", $2/1024}' "/proc/$server/status"; }
after="$(rss VmRSS)"
sleep 25   # G1's periodic collection gives memory back to the system when the load is gone
printf 'server memory: peak RSS %s MB under load, %s MB right after, %s MB after 25 s idle\n' \
  "$(rss VmHWM)" "$after" "$(rss VmRSS)"

reference=460
how="quoted from the issue (run with --libvirt to measure)"
if [ "${1:-}" = "--libvirt" ]; then
  if /usr/bin/python3 -c "import libvirt" 2>/dev/null && [ -x /usr/sbin/libvirtd ]; then
    bash ../shared/tools/start-libvirtd.sh
    reference="$(/usr/bin/python3 - "$seconds" <<'PY'
import libvirt, sys, time
conn = libvirt.open("qemu:///system")
conn.getCapabilities()  # cache warm: what a long-running client sees
n, end = 0, time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    conn.getCapabilities(); n += 1
print(round(n / float(sys.argv[1])))
PY
)"
    how="measured now: virConnectGetCapabilities over one connection to libvirtd 9.0 (python3-libvirt)"
  else
    echo "--libvirt needs python3-libvirt and libvirtd (apt-get install python3-libvirt libvirt-daemon)" >&2
  fi
fi
printf 'libvirt 9.0 reference: %s req/s, %s\n' "$reference" "$how"
printf 'virtcaps over one connection: %.0f req/s = %.1fx libvirt (target >= 10x)\n' "$one" "$(echo "$one / $reference" | bc -l)"

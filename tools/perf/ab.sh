#!/usr/bin/env bash
# tools/perf/ab.sh ROUNDS SECONDS BINARY... : alternating runs of several huanxind
# binaries, each on a fresh temporary ledger, so that a change is compared with its baseline
# under the same machine load (this shared machine's throughput drifts by ±15% within
# minutes: compare means over rounds, never two single runs).
#
# Closed loop at CONCURRENCY (256), or open loop at RATE/s when RATE is set; MODE=health (or
# any huanxin-bench mode) instead of redeem; BENCH_ARGS adds huanxin-bench flags, split at
# spaces (e.g. "--merchants=100"). Prints one line per run: binary, throughput, p50, p99, p999,
# and the CPU µs per call of the server and of the load generator. Copy each
# binary aside first (cp build/bin/huanxind /tmp/huanxind.before): the build overwrites it.
set -euo pipefail
if [ $# -lt 3 ]; then sed -n '2,10p' "$0"; exit 2; fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="${BENCH:-$ROOT/build/bin/huanxin-bench}"
ROUNDS=$1 SECONDS_PER_RUN=$2
shift 2
if [ -n "${RATE:-}" ]; then LOOP=(--rate="$RATE" --concurrency=4096); else LOOP=(--concurrency="${CONCURRENCY:-256}"); fi
pid="" work=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
for _ in $(seq 1 "$ROUNDS"); do
  for bin in "$@"; do
    work="$(mktemp -d /tmp/huanxin-ab.XXXXXX)"
    "$bin" --listen=127.0.0.1:0 --data_dir="$work/data" --insecure \
      --rate_limit_per_principal=0 >"$work/out" 2>"$work/err" &
    pid=$!
    for _ in $(seq 1 400); do grep -q '^listening on' "$work/out" && break; sleep 0.05; done
    addr="$(sed -n 's/^listening on //p' "$work/out")"
    # shellcheck disable=SC2086  # BENCH_ARGS is split at spaces on purpose
    out="$("$BENCH" --target="$addr" --insecure --channels=2 --mode="${MODE:-redeem}" \
      --setup "${LOOP[@]}" --server_pid="$pid" ${BENCH_ARGS:-} \
      --duration="${SECONDS_PER_RUN}s" 2>/dev/null)"
    cpu="$({ grep -m1 '^cpu_us_per_call' <<<"$out" || true; } | cut -d' ' -f2-)"
    echo "$(basename "$bin") $(tail -1 <<<"$out" | cut -d' ' -f4-7) $cpu"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    rm -rf "$work"
  done
done

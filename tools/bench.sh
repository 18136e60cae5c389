#!/usr/bin/env bash
# tools/bench.sh: the benchmark report of docs/performance.md, from a fresh clone.
#
# Installs missing packages and builds Release (tools/setup.sh), starts huanxind on a fresh
# temporary data directory (127.0.0.1:0, --insecure, no per-principal rate limit), and runs
# huanxin-bench closed loop for BENCH_SECONDS each: health (gRPC's own cost, the baseline),
# redeem and mixed; then redeem open loop at half the redeem throughput just measured. It
# prints a table with throughput, p50/p99/p999 and CPU per call (huanxind's and the load
# generator's, in µs: steadier than throughput on a shared machine) per run, the ratio
# redeem/health, the server's peak RSS (VmHWM), bytes on disk per ledger entry and per
# redemption, and the restart time after SIGKILL with BENCH_RESTART_ENTRIES entries (the same
# ledger topped up with issued vouchers): the time from exec to "listening on".
#
# Environment: BENCH_SECONDS (10), BENCH_CONCURRENCY (256: enough calls in flight to saturate
# the server), BENCH_CHANNELS (2),
# BENCH_RESTART_ENTRIES (200000), BENCH_FILL_CONCURRENCY (256), BENCH_KEEP=1 keeps the
# work directory, BUILD_DIR / BUILD_TYPE as in setup.sh, BENCH_NO_BUILD=1 skips the build.
# Every huanxin-bench output is kept in the work directory (printed at the end).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

BENCH_SECONDS="${BENCH_SECONDS:-10}"
BENCH_CONCURRENCY="${BENCH_CONCURRENCY:-256}"
BENCH_CHANNELS="${BENCH_CHANNELS:-2}"
BENCH_RESTART_ENTRIES="${BENCH_RESTART_ENTRIES:-200000}"
BENCH_FILL_CONCURRENCY="${BENCH_FILL_CONCURRENCY:-256}"

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  hx_install_packages
  hx_build
fi
BIN="$BUILD_DIR/bin"
WORK="$(mktemp -d /tmp/huanxin-bench.XXXXXX)"
DATA="$WORK/data"
SERVER_PID=""
SERVER_ADDR=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "bench: work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

now_ns() { date +%s%N; }

# start_server LOG: starts huanxind on $DATA; sets SERVER_PID, SERVER_ADDR and START_MS (the
# milliseconds from exec to "listening on").
start_server() {
  local log="$1" t0 t1 line
  : >"$log.out"
  t0=$(now_ns)
  "$BIN/huanxind" --listen=127.0.0.1:0 --data_dir="$DATA" --insecure \
    --rate_limit_per_principal=0 >"$log.out" 2>"$log.err" &
  SERVER_PID=$!
  for _ in $(seq 1 60000); do
    line=$(grep -m1 '^listening on ' "$log.out" || true)
    [ -n "$line" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$log.err" >&2; echo "bench: huanxind exited" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(now_ns)
  [ -n "$line" ] || { echo "bench: huanxind did not listen" >&2; exit 1; }
  SERVER_ADDR="${line#listening on }"
  START_MS=$(( (t1 - t0) / 1000000 ))
}

# bench NAME ARGS...: runs huanxin-bench against the server; its output goes to
# $WORK/NAME.txt; sets LAST (its last line), CPU (its cpu_us_per_call line) and fails on a
# nonzero exit.
bench() {
  local name="$1"; shift
  "$BIN/huanxin-bench" --target="$SERVER_ADDR" --channels="$BENCH_CHANNELS" \
    --server_pid="$SERVER_PID" "$@" \
    >"$WORK/$name.txt" 2>"$WORK/$name.err" || {
    cat "$WORK/$name.err" "$WORK/$name.txt" >&2; echo "bench: $name failed" >&2; exit 1; }
  LAST=$(tail -n1 "$WORK/$name.txt")
  CPU=$(grep -m1 '^cpu_us_per_call' "$WORK/$name.txt" || true)
  echo "  $name: $LAST" >&2
}

# field LINE KEY: the value of KEY=value in LINE.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }

ROWS=()
row() {  # row NAME LOOP LINE (and CPU, the same run's cpu_us_per_call line)
  ROWS+=("$(printf '%-14s %-22s %10s %7s %12s %9s %9s %9s %8s %8s' "$1" "$2" "$(field "$3" ok)" \
    "$(field "$3" errors)" "$(field "$3" throughput_per_s)" "$(field "$3" p50_ms)" \
    "$(field "$3" p99_ms)" "$(field "$3" p999_ms)" "$(field "$CPU" server)" \
    "$(field "$CPU" load_generator)")")
}

mkdir -p "$DATA"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: huanxind on $DATA ($(nproc) cores, load average $LOAD_BEFORE)" >&2
start_server "$WORK/server"
echo "bench: listening on $SERVER_ADDR after ${START_MS} ms" >&2

C="--concurrency=$BENCH_CONCURRENCY"
D="--duration=${BENCH_SECONDS}s"
bench health --mode=health "$C" "$D"; HEALTH="$LAST"; row health "closed c=$BENCH_CONCURRENCY" "$LAST"
bench redeem --mode=redeem --setup "$C" "$D"; REDEEM="$LAST"; row redeem "closed c=$BENCH_CONCURRENCY" "$LAST"
bench mixed --mode=mixed --setup "$C" "$D"; MIXED="$LAST"; row mixed "closed c=$BENCH_CONCURRENCY" "$LAST"
HALF=$(awk -v t="$(field "$REDEEM" throughput_per_s)" 'BEGIN { printf "%.0f", t / 2 }')
[ "$HALF" -ge 1 ] || HALF=1
bench redeem_open --mode=redeem --setup --rate="$HALF" --concurrency=4096 "$D"
OPEN="$LAST"; row redeem "open r=$HALF/s" "$LAST"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")
ENTRIES=$(sed -n 's/^ledger_size=//p' "$WORK/redeem_open.txt" | tail -n1)
DISK=$(du -sb "$DATA" | cut -f1)

# Restart: top the same ledger up to BENCH_RESTART_ENTRIES with issued vouchers, SIGKILL,
# and time the restart.
FILL=$(( BENCH_RESTART_ENTRIES - ENTRIES ))
if [ "$FILL" -gt 0 ]; then
  echo "bench: issuing $FILL vouchers for the restart test" >&2
  bench fill --mode=issue --setup --concurrency="$BENCH_FILL_CONCURRENCY" --requests="$FILL" \
    --duration=24h
fi
FILL_RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")
BIG_ENTRIES="$ENTRIES"  # no fill when the ledger already has BENCH_RESTART_ENTRIES
if [ -f "$WORK/fill.txt" ]; then
  BIG_ENTRIES=$(sed -n 's/^ledger_size=//p' "$WORK/fill.txt" | tail -n1)
fi
BIG_DISK=$(du -sb "$DATA" | cut -f1)
kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start_server "$WORK/restart"
RESTART_MS="$START_MS"
bench after_restart --mode=health --concurrency=8 --duration=1s
RESTART_RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")

H=$(field "$HEALTH" throughput_per_s); R=$(field "$REDEEM" throughput_per_s)
echo
echo "huanxin-bench report: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, ${BENCH_SECONDS}s per run, channels=$BENCH_CHANNELS"
echo "load average (1/5/15 min) before: $LOAD_BEFORE, after the timed runs: $LOAD_AFTER"
printf '%-14s %-22s %10s %7s %12s %9s %9s %9s %8s %8s\n' run loop ok errors throughput/s p50_ms p99_ms \
  p999_ms srv_us gen_us
for r in "${ROWS[@]}"; do echo "$r"; done
echo "srv_us / gen_us: CPU µs per call of huanxind / of huanxin-bench in that run (at a fixed open-loop rate within a few % from run to run; throughput drifts ±15%)"
awk -v r="$R" -v h="$H" 'BEGIN { printf "redeem/health throughput ratio: %.2f (target >= 0.5, aim 0.8)\n", r / h }'
LAG=$(grep -m1 '^send_lag' "$WORK/redeem_open.txt" || true)
echo "open loop redeem at half max ($HALF/s): p99 $(field "$OPEN" p99_ms) ms (target <= 20 ms); the load generator's own send lag: p99 $(field "$LAG" p99_ms) ms"
echo "huanxind peak RSS (VmHWM) after the runs: $(( RSS_KB / 1024 )) MiB; after $BIG_ENTRIES entries: $(( FILL_RSS_KB / 1024 )) MiB; after restart: $(( RESTART_RSS_KB / 1024 )) MiB"
awk -v d="$DISK" -v e="$ENTRIES" 'BEGIN {
  printf "disk: %d bytes for %d entries = %.0f bytes/entry; a redemption (issue + redeem entries) %.0f bytes\n", d, e, d / e, 2 * d / e }'
awk -v d="$BIG_DISK" -v e="$BIG_ENTRIES" 'BEGIN { printf "disk at %d entries: %.1f MiB (%.0f bytes/entry)\n", e, d / 1048576, d / e }'
echo "restart after SIGKILL with $BIG_ENTRIES entries: ${RESTART_MS} ms from exec to listening (target <= 5 s at 5M)"
echo "outputs: $WORK (BENCH_KEEP=1 keeps them)"

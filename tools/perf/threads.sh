#!/usr/bin/env bash
# tools/perf/threads.sh: where huanxind's CPU goes, per thread, during a redeem run.
#
# Starts HUANXIND (build/bin/huanxind) on a fresh temporary ledger, runs huanxin-bench redeem
# (--setup), and once the vouchers are issued samples every thread's
# /proc/<pid>/task/<tid>/schedstat over WINDOW seconds (6): CPU time, time runnable but
# waiting for a CPU, and timeslices. Open loop at RATE/s when RATE is set (prints CPU µs per
# redemption), else closed loop at CONCURRENCY (256; prints % of the window).
# The bench's last line follows. docs/performance.md, "Where the time goes now", used both.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HUANXIND="${HUANXIND:-$ROOT/build/bin/huanxind}"
BENCH="${BENCH:-$ROOT/build/bin/huanxin-bench}"
WINDOW="${WINDOW:-6}"
WORK="$(mktemp -d /tmp/huanxin-threads.XXXXXX)"
trap 'kill "${PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$HUANXIND" --listen=127.0.0.1:0 --data_dir="$WORK/data" --insecure \
  --rate_limit_per_principal=0 >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 1 400); do grep -q '^listening on' "$WORK/out" && break; sleep 0.05; done
ADDR="$(sed -n 's/^listening on //p' "$WORK/out")"
if [ -n "${RATE:-}" ]; then LOOP=(--rate="$RATE"); else LOOP=(--concurrency="${CONCURRENCY:-256}"); fi
"$BENCH" --target="$ADDR" --insecure --channels=2 --mode=redeem --setup "${LOOP[@]}" \
  --duration=$((WINDOW + 4))s >"$WORK/bench" 2>"$WORK/bench.err" &
BENCH_PID=$!
for _ in $(seq 1 1200); do grep -q 'issued' "$WORK/bench.err" && break; sleep 0.05; done
sleep 2
snap() {
  for t in /proc/"$PID"/task/*; do
    echo "$(basename "$t") $(tr ' ' _ <"$t/comm") $(cat "$t/schedstat")"
  done | sort
}
snap >"$WORK/s0"
sleep "$WINDOW"
snap >"$WORK/s1"
# join: tid comm run0 wait0 slices0 comm run1 wait1 slices1 (nanoseconds)
join "$WORK/s0" "$WORK/s1" | awk -v w="$WINDOW" -v rate="${RATE:-0}" '
  { run = $7 - $3; wait = $8 - $4; total += run
    if (run < w * 1e7) next  # under 1% of a core
    if (rate > 0) printf "%-8s %-16s cpu_us_per_op=%6.1f wait_us_per_op=%6.1f\n", $1, $2, run / 1e3 / (w * rate), wait / 1e3 / (w * rate)
    else printf "%-8s %-16s run=%5.1f%% wait=%5.1f%%\n", $1, $2, run / w / 1e7, wait / w / 1e7 }
  END { if (rate > 0) printf "all threads: cpu_us_per_op=%.1f\n", total / 1e3 / (w * rate)
        else printf "all threads: run=%.1f%%\n", total / w / 1e7 }'
wait "$BENCH_PID"
tail -1 "$WORK/bench"

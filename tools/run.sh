#!/usr/bin/env bash
# The main job: install what is missing, build Release, and start huanxind --insecure on
# 127.0.0.1:50051 with its data in ./var. On an empty data directory it loads the Binzhou
# demo set from deploy/demo. Runs in the foreground until Ctrl-C (the server then finishes
# in-flight calls and exits); with --background it leaves the server running and returns
# (stop it with: kill $(cat var/huanxind.pid)).
set -euo pipefail
source "$(dirname "$0")/setup.sh"

background=0
[ "${1:-}" = "--background" ] && background=1
LISTEN="${HUANXIN_LISTEN:-127.0.0.1:50051}"
DATA_DIR="${HUANXIN_DATA_DIR:-$HX_ROOT/var}"

hx_install_packages
hx_build

fresh=0
[ -d "$DATA_DIR/ledger" ] || fresh=1
mkdir -p "$DATA_DIR"
if [ -f "$DATA_DIR/huanxind.pid" ] && kill -0 "$(cat "$DATA_DIR/huanxind.pid")" 2>/dev/null; then
  echo "run: huanxind is already running (pid $(cat "$DATA_DIR/huanxind.pid")); stop it first" >&2
  exit 1
fi

out="$DATA_DIR/huanxind.out"
"$BUILD_DIR/bin/huanxind" --insecure --listen="$LISTEN" --data_dir="$DATA_DIR" \
  >"$out" 2>>"$DATA_DIR/huanxind.log" &
pid=$!
echo "$pid" >"$DATA_DIR/huanxind.pid"
for _ in $(seq 1 100); do
  grep -q "^listening on" "$out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$DATA_DIR/huanxind.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "^listening on" "$out" || { echo "run: huanxind did not start" >&2; exit 1; }

ctl="$BUILD_DIR/bin/huanxinctl --addr $LISTEN"
if [ "$fresh" -eq 1 ]; then
  echo "run: empty data directory: loading the Binzhou demo set from deploy/demo"
  $ctl demo load "$HX_ROOT/deploy/demo"
fi

cat <<EOT

huanxind is serving on $LISTEN (pid $pid, data in $DATA_DIR, log in $DATA_DIR/huanxind.log).
Try it (see README.md for the whole walkthrough):
  alias huanxinctl=$BUILD_DIR/bin/huanxinctl
  huanxinctl --as app:claim-app voucher issue --program binzhou-appliance-2026 \\
      --category refrigerator --id-number 371602199003070014
  huanxinctl --as retailer:m-binzhou-001 quote VOUCHER_ID --price 8999 --category refrigerator --grade 1
  huanxinctl --as retailer:m-binzhou-001 redeem VOUCHER_ID --terminal till-1 \\
      --id-number 371602199003070014 --price 8999 --category refrigerator --grade 1 \\
      --serial HR2026A0012345 --invoice 37162600000123
  huanxinctl --as auditor:commerce-bureau program stats binzhou-appliance-2026
EOT

if [ "$background" -eq 1 ]; then
  echo "Stop it with: kill \$(cat $DATA_DIR/huanxind.pid)"
  exit 0
fi
echo "Ctrl-C stops the server."
trap 'kill -TERM $pid 2>/dev/null' INT TERM
wait "$pid" || true
wait "$pid" 2>/dev/null || true
rm -f "$DATA_DIR/huanxind.pid"

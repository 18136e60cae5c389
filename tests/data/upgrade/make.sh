#!/usr/bin/env bash
# Writes tests/data/upgrade/ledger.tar.gz: a data directory written by a released huanxind,
# which the upgrade tests (tests/unit/upgrade_test.cc, tests/integration/upgrade_test.cc)
# open with today's code. Run it with the binaries of the release to freeze, then commit the
# tarball:
#
#   HUANXIND=/path/to/old/huanxind HUANXINCTL=build/bin/huanxinctl tests/data/upgrade/make.sh
#
# huanxinctl may be newer than huanxind: it speaks the same huanxin.v1 API. The ledger holds
# the demo set (programmes created, funded by source and closed, a merchant, a recycler),
# issued, redeemed, denied, cancelled and reversed vouchers, a scrap receipt and a settlement.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
HUANXIND="${HUANXIND:?the huanxind whose ledger to freeze}"
HUANXINCTL="${HUANXINCTL:-$root/build/bin/huanxinctl}"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
addr=127.0.0.1:$((40000 + RANDOM % 20000))
"$HUANXIND" --insecure --listen="$addr" --data_dir="$work/data" >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 1 100); do grep -q "^listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
ctl() { "$HUANXINCTL" --addr "$addr" "$@"; }
ctl demo load "$root/deploy/demo" >/dev/null 2>&1
A=371602198506120023 B=371602199003070014 C=371602198801010038
id_of() { awk '/^(voucher|redemption|receipt) / {print $2; exit}'; }
V1=$(ctl --as app:claim-app voucher issue --program binzhou-appliance-2026 --category refrigerator --id-number $A 2>/dev/null | id_of)
ctl --as retailer:m-binzhou-001 redeem "$V1" --terminal till-1 --id-number $A --price 3999 \
  --category refrigerator --grade 1 --serial UPG-SN-0001 --invoice UPG-INV-0001 >/dev/null 2>&1
V2=$(ctl --as app:claim-app voucher issue --program binzhou-appliance-2026 --category air_conditioner --id-number $A 2>/dev/null | id_of)
ctl --as app:claim-app voucher cancel "$V2" --reason "changed mind" >/dev/null 2>&1
V3=$(ctl --as app:claim-app voucher issue --program binzhou-appliance-2026 --category television --id-number $B 2>/dev/null | id_of)
ctl --as retailer:m-binzhou-001 redeem "$V3" --terminal till-2 --id-number $C --price 2999 \
  --category television --grade 1 --serial UPG-SN-0002 --invoice UPG-INV-0002 >/dev/null 2>&1 || true  # denied: not the claimant
ctl --as retailer:m-binzhou-001 redeem "$V3" --terminal till-2 --id-number $B --price 2999 \
  --category television --grade 1 --serial UPG-SN-0003 --invoice UPG-INV-0003 >/dev/null 2>&1
V4=$(ctl --as app:claim-app voucher issue --program binzhou-digital-2026 --category phone --id-number $C 2>/dev/null | id_of)
D4=$(ctl --as retailer:m-binzhou-001 redeem "$V4" --terminal till-1 --id-number $C --price 4999 \
  --category phone --serial UPG-IMEI-0004 --invoice UPG-INV-0004 2>/dev/null | id_of)
ctl --as retailer:m-binzhou-001 redemption reverse "$D4" --reason "whole-order return" >/dev/null 2>&1
ctl --as recycler:r-binzhou-001 receipt confirm --certificate UPG-CERT-0001 --kind APPLIANCE \
  --serial UPG-OLD-FRIDGE-1 --category refrigerator --owner-id-number $A >/dev/null 2>&1
ctl --as admin:ops settlement create m-binzhou-001 >/dev/null 2>&1
kill -TERM "$pid"
wait "$pid" || true
rm -f "$work/data/huanxind.lock" "$work/data/ledger/LOG"*
tar -C "$work/data" -czf "$here/ledger.tar.gz" .
echo "wrote $here/ledger.tar.gz ($(du -h "$here/ledger.tar.gz" | cut -f1)) from $("$HUANXIND" --version)"

#!/usr/bin/env bash
# tools/dev-ca.sh OUT_DIR [ROLE:ID ...]
#
# A development certificate authority for huanxind's mTLS, made with the openssl CLI. NOT for
# production: a city's own PKI issues production certificates (same shape: the client
# certificate's Common Name is the principal "<role>:<id>").
#
# Writes into OUT_DIR (created 0700; keys 0600):
#   ca.crt, ca.key                 the CA (give ca.crt to huanxind --client_ca and to clients)
#   server.crt, server.key         CN huanxind, SAN DNS:localhost, IP:127.0.0.1 (plus
#                                  $DEV_CA_SERVER_SANS, e.g. "DNS:ledger,DNS:huanxin-ledger")
#   <role>.<id>.crt / .key         one client certificate per principal, CN "<role>:<id>":
#     admin.ops  app.claim-app  retailer.m-binzhou-001  recycler.r-binzhou-001
#     auditor.commerce-bureau
#     service.issuance  service.redemption  service.recycling  service.audit  service.admin
#                                  (edges talking to a ledger that runs apart)
#   and one for every extra ROLE:ID given on the command line.
#
# Idempotent: an existing CA is kept, and an existing certificate is kept while it still
# verifies against that CA; anything missing is made. EC P-256 keys, valid 825 days.
#
#   tools/dev-ca.sh var/certs
#   huanxind --tls_cert var/certs/server.crt --tls_key var/certs/server.key \
#            --client_ca var/certs/ca.crt ...
#   huanxinctl --ca var/certs/ca.crt --tls_cert var/certs/admin.ops.crt \
#              --tls_key var/certs/admin.ops.key program list
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 2
fi
OUT="$1"
shift
command -v openssl >/dev/null || { echo "dev-ca: openssl is required (apt-get install openssl)" >&2; exit 1; }

umask 077
mkdir -p "$OUT"
chmod 700 "$OUT"
DAYS=825

newkey() {  # newkey FILE
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
  chmod 600 "$1"
}

# The CA.
if [ ! -s "$OUT/ca.key" ] || [ ! -s "$OUT/ca.crt" ]; then
  newkey "$OUT/ca.key"
  openssl req -x509 -new -key "$OUT/ca.key" -sha256 -days $((DAYS + 30)) \
    -subj "/O=Huanxin development/CN=Huanxin development CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$OUT/ca.crt" 2>/dev/null
  # A new CA invalidates every certificate of the old one.
  find "$OUT" -maxdepth 1 -name '*.crt' ! -name ca.crt -delete
  echo "dev-ca: made CA $OUT/ca.crt"
fi
chmod 644 "$OUT/ca.crt"

# issue NAME CN EXT: NAME.key and NAME.crt signed by the CA, unless a valid one exists.
issue() {
  local name="$1" cn="$2" ext="$3"
  local crt="$OUT/$name.crt" key="$OUT/$name.key"
  if [ -s "$crt" ] && [ -s "$key" ] &&
     openssl verify -CAfile "$OUT/ca.crt" "$crt" >/dev/null 2>&1 &&
     openssl x509 -in "$crt" -noout -checkend 86400 >/dev/null 2>&1; then
    return 0
  fi
  newkey "$key"
  local extfile
  extfile="$(mktemp)"
  printf '%s\n' "$ext" > "$extfile"
  openssl req -new -key "$key" -subj "/O=Huanxin development/CN=$cn" -out "$OUT/$name.csr" 2>/dev/null
  openssl x509 -req -in "$OUT/$name.csr" -CA "$OUT/ca.crt" -CAkey "$OUT/ca.key" \
    -CAcreateserial -CAserial "$OUT/ca.srl" -days "$DAYS" -sha256 \
    -extfile "$extfile" -out "$crt" 2>/dev/null
  rm -f "$OUT/$name.csr" "$extfile"
  chmod 644 "$crt"
  chmod 600 "$key"
  echo "dev-ca: issued $crt (CN $cn)"
}

SERVER_SANS="DNS:localhost,IP:127.0.0.1"
[ -n "${DEV_CA_SERVER_SANS:-}" ] && SERVER_SANS="$SERVER_SANS,$DEV_CA_SERVER_SANS"
issue server huanxind "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$SERVER_SANS"

CLIENT_EXT="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"

PRINCIPALS=(admin:ops app:claim-app retailer:m-binzhou-001 recycler:r-binzhou-001
            auditor:commerce-bureau
            service:issuance service:redemption service:recycling service:audit service:admin)
PRINCIPALS+=("$@")
for p in "${PRINCIPALS[@]}"; do
  case "$p" in
    *:*) ;;
    *) echo "dev-ca: \"$p\" is not ROLE:ID" >&2; exit 2 ;;
  esac
  if ! [[ "$p" =~ ^[a-z]+:[A-Za-z0-9._-]{1,64}$ ]]; then
    echo "dev-ca: \"$p\" is not ROLE:ID (id: 1-64 of [A-Za-z0-9._-])" >&2
    exit 2
  fi
  issue "${p%%:*}.${p#*:}" "$p" "$CLIENT_EXT"
done

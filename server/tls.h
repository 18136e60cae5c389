// mTLS for huanxind (docs/operations.md, "mTLS"): the credentials it listens with, and those
// an edge running apart from the ledger presents to it, from the PEM files its flags name.
#ifndef HUANXIN_SERVER_TLS_H_
#define HUANXIN_SERVER_TLS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "services/edge/call.h"

namespace huanxin::server {

// The TLS flags: --insecure, --tls_cert, --tls_key, --client_ca, --ledger_tls_cert and
// --ledger_tls_key.
struct TlsFlags {
  bool insecure = false;
  std::string tls_cert, tls_key, client_ca;
  std::string ledger_tls_cert, ledger_tls_key;
};

// The listening credentials and the AuthMode they imply: mTLS from tls_cert, tls_key and
// client_ca (every client must present a certificate client_ca signed; its CN is the
// principal), or plaintext under --insecure (principals as metadata). INVALID_ARGUMENT naming
// the flag for anything in between, or for a file that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListeningCredentials(
    const TlsFlags& flags, edge::AuthMode* mode);

// What an edge presents to the ledger under `mode`: plaintext under kMetadata (the principal
// then goes as metadata). Under kCertificate, TLS trusting client_ca (the deployment CA, which
// signed the ledger's server certificate; its SAN must match the host of --ledger_address)
// with ledger_tls_cert/ledger_tls_key as the client certificate (e.g. tools/dev-ca.sh's
// service.<name>.crt), whose CN must be service:<edge name>. INVALID_ARGUMENT naming the flag
// when one is missing or cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> LedgerCredentials(
    const TlsFlags& flags, edge::AuthMode mode);

}  // namespace huanxin::server

#endif  // HUANXIN_SERVER_TLS_H_

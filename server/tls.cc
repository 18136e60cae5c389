#include "server/tls.h"

#include "common/flag_file.h"

namespace huanxin::server {

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListeningCredentials(
    const TlsFlags& flags, edge::AuthMode* mode) {
  const bool any_tls = !flags.tls_cert.empty() || !flags.tls_key.empty() ||
                       !flags.client_ca.empty();
  if (flags.insecure) {
    if (any_tls) {
      return absl::InvalidArgumentError(
          "--insecure and --tls_cert/--tls_key/--client_ca exclude each other");
    }
    *mode = edge::AuthMode::kMetadata;
    return grpc::InsecureServerCredentials();
  }
  if (flags.tls_cert.empty() || flags.tls_key.empty() || flags.client_ca.empty()) {
    return absl::InvalidArgumentError(
        "refusing to serve without mTLS: give --tls_cert, --tls_key and --client_ca "
        "(tools/dev-ca.sh makes a development CA), or --insecure for local development only");
  }
  auto ca_pem = ReadFlagFile("client_ca", flags.client_ca);
  if (!ca_pem.ok()) return ca_pem.status();
  auto cert_pem = ReadFlagFile("tls_cert", flags.tls_cert);
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = ReadFlagFile("tls_key", flags.tls_key);
  if (!key_pem.ok()) return key_pem.status();
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = *ca_pem;
  options.pem_key_cert_pairs.push_back({*key_pem, *cert_pem});
  *mode = edge::AuthMode::kCertificate;
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> LedgerCredentials(
    const TlsFlags& flags, edge::AuthMode mode) {
  if (mode == edge::AuthMode::kMetadata) return grpc::InsecureChannelCredentials();
  if (flags.ledger_tls_cert.empty() || flags.ledger_tls_key.empty()) {
    return absl::InvalidArgumentError(
        "an edge under mTLS needs --ledger_tls_cert and --ledger_tls_key");
  }
  auto ca_pem = ReadFlagFile("client_ca", flags.client_ca);
  if (!ca_pem.ok()) return ca_pem.status();
  auto cert_pem = ReadFlagFile("ledger_tls_cert", flags.ledger_tls_cert);
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = ReadFlagFile("ledger_tls_key", flags.ledger_tls_key);
  if (!key_pem.ok()) return key_pem.status();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = *ca_pem;
  options.pem_cert_chain = *cert_pem;
  options.pem_private_key = *key_pem;
  return grpc::SslCredentials(options);
}

}  // namespace huanxin::server

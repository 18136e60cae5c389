#include "server/tls.h"

#include <string>
#include <utility>

#include "common/flag_file.h"

namespace huanxin::server {
namespace {

struct Pems {
  std::string ca, cert, key;
};

// The CA, certificate and key files, each given as {flag, path}; an error names the flag.
absl::StatusOr<Pems> ReadPems(const std::pair<const char*, std::string>& ca,
                              const std::pair<const char*, std::string>& cert,
                              const std::pair<const char*, std::string>& key) {
  Pems out;
  for (auto [file, into] : {std::pair{&ca, &out.ca}, {&cert, &out.cert}, {&key, &out.key}}) {
    absl::StatusOr<std::string> pem = ReadFlagFile(file->first, file->second);
    if (!pem.ok()) return pem.status();
    *into = *std::move(pem);
  }
  return out;
}

}  // namespace

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
  absl::StatusOr<Pems> pems = ReadPems({"client_ca", flags.client_ca},
                                       {"tls_cert", flags.tls_cert}, {"tls_key", flags.tls_key});
  if (!pems.ok()) return pems.status();
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = pems->ca;
  options.pem_key_cert_pairs.push_back({pems->key, pems->cert});
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
  absl::StatusOr<Pems> pems = ReadPems({"client_ca", flags.client_ca},
                                       {"ledger_tls_cert", flags.ledger_tls_cert},
                                       {"ledger_tls_key", flags.ledger_tls_key});
  if (!pems.ok()) return pems.status();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = pems->ca;
  options.pem_cert_chain = pems->cert;
  options.pem_private_key = pems->key;
  return grpc::SslCredentials(options);
}

}  // namespace huanxin::server

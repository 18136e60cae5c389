// huanxin-verify's command line. Flags are "--name value" or "--name=value".
//   huanxin-verify --vkey VKEY (--target HOST:PORT [--as auditor:ID | --ca F --tls_cert F --tls_key F]
//                              | --export FILE.jsonl --checkpoint FILE.note)
//                  [--previous FILE.note] [--save FILE.note]
#ifndef HUANXIN_TOOLS_VERIFY_OPTIONS_H_
#define HUANXIN_TOOLS_VERIFY_OPTIONS_H_

#include <string>

#include "absl/status/statusor.h"

namespace huanxin::verify {

struct Options {
  std::string vkey;             // the note verifier key: the only thing trusted
  std::string target;           // HOST:PORT of huanxind (online mode)
  std::string principal = "auditor:huanxin-verify";  // x-huanxin-principal (--insecure servers)
  std::string export_file;      // JSON lines of EntryWithLeaf (offline mode)
  std::string checkpoint_file;  // the signed checkpoint note (offline mode)
  std::string previous_file;    // a checkpoint note saved earlier
  std::string save_file;        // where to write the verified checkpoint note
  // mTLS (--ca, --tls_cert, --tls_key; online mode only): source_server.cc builds
  // grpc::SslCredentials from them, and the server takes the principal from the certificate,
  // not from --as. ParseOptions checks the files can be opened.
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  bool help = false;
};

// Parses argv. INVALID_ARGUMENT naming the problem for an unknown flag, a flag without its
// value, a positional argument, a missing --vkey, or a mode that is neither exactly --target
// nor --export with --checkpoint. With --help the other rules are not checked.
absl::StatusOr<Options> ParseOptions(int argc, char** argv);

// The usage text for --help and usage errors.
const char* UsageText();

}  // namespace huanxin::verify

#endif  // HUANXIN_TOOLS_VERIFY_OPTIONS_H_

#include "tools/verify/options.h"

#include <fstream>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace huanxin::verify {

const char* UsageText() {
  return R"(usage: huanxin-verify --vkey VKEY (--target HOST:PORT | --export FILE.jsonl) [flags]

huanxin-verify: check a Huanxin ledger against its signed checkpoint, trusting only the
verifier key. --version prints its version and commit.

  huanxin-verify --vkey VKEY --target HOST:PORT [--as auditor:ID | --ca F --tls_cert F --tls_key F]
                 [--previous F.note] [--save F.note]
  huanxin-verify --vkey VKEY --export FILE.jsonl --checkpoint FILE.note
                 [--previous F.note] [--save F.note]

  --vkey VKEY          the checkpoint verifier key, "name+hex+base64" (huanxinctl audit checkpoint
                       prints it; huanxind logs it at start)
  --target HOST:PORT   read from a running huanxind (plaintext unless --ca: it must then
                       run --insecure)
  --ca FILE            mTLS: the CA (PEM) that signed huanxind's certificate
  --tls_cert FILE      mTLS: the auditor's certificate (PEM); its CN is the principal
  --tls_key FILE       mTLS: its private key (PEM)
  --as ROLE:ID         principal for --target under --insecure (default auditor:huanxin-verify)
  --export FILE        JSON lines, each a huanxin.v1.EntryWithLeaf (huanxinctl audit export
                       --format jsonl), seq 0 onwards
  --checkpoint FILE    the signed checkpoint note the export is checked against
  --previous FILE      a checkpoint note saved earlier: this log must extend it
  --save FILE          after every check holds, write the verified checkpoint note here

checks: the checkpoint's signature and origin; entries exactly seq 0..size-1, each leaf_data
equal to its entry; the RFC 6962 root of the leaves; every posting re-added (books balance,
no account but treasury and payable negative, and, with --target, equal GetProgramStats);
--previous is a prefix of this log (and, with --target, its consistency proof verifies).

exit status: 0 every check holds; 1 something does not (each problem printed as "FAIL ...");
2 usage error or unreadable input file.
)";
}

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  Options o;
  const std::map<std::string, std::string*> flags = {
      {"vkey", &o.vkey},          {"target", &o.target},
      {"as", &o.principal},       {"export", &o.export_file},
      {"checkpoint", &o.checkpoint_file}, {"previous", &o.previous_file},
      {"save", &o.save_file},
      {"ca", &o.tls_ca_file},     {"tls_cert", &o.tls_cert_file},
      {"tls_key", &o.tls_key_file},
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument \"", arg, "\""));
    }
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    auto it = flags.find(name);
    if (it == flags.end()) return absl::InvalidArgumentError("unknown flag --" + name);
    if (!has_value) {
      if (i + 1 >= argc) return absl::InvalidArgumentError("--" + name + " needs a value");
      value = argv[++i];
    }
    if (value.empty()) return absl::InvalidArgumentError("--" + name + " needs a value");
    *it->second = value;
  }
  if (o.help) return o;
  if (o.vkey.empty()) return absl::InvalidArgumentError("missing --vkey");
  const bool online = !o.target.empty();
  const bool offline = !o.export_file.empty() || !o.checkpoint_file.empty();
  if (online == offline) {
    return absl::InvalidArgumentError(
        "give either --target HOST:PORT or --export FILE with --checkpoint FILE");
  }
  if (offline && (o.export_file.empty() || o.checkpoint_file.empty())) {
    return absl::InvalidArgumentError("--export and --checkpoint go together");
  }
  const bool tls = !o.tls_ca_file.empty() || !o.tls_cert_file.empty() || !o.tls_key_file.empty();
  if (tls && !online) return absl::InvalidArgumentError("--ca/--tls_cert/--tls_key need --target");
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  if (tls && o.tls_ca_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert needs --ca (the CA of huanxind's certificate)");
  }
  for (const auto& [flag, path] : {std::pair<const char*, const std::string*>{"ca", &o.tls_ca_file},
                                   {"tls_cert", &o.tls_cert_file},
                                   {"tls_key", &o.tls_key_file}}) {
    if (!path->empty() && !std::ifstream(*path).good()) {
      return absl::InvalidArgumentError(absl::StrCat("--", flag, ": cannot read ", *path));
    }
  }
  return o;
}

}  // namespace huanxin::verify

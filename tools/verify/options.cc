#include "tools/verify/options.h"

#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace huanxin::verify {

const char* UsageText() {
  return R"(huanxin-verify: check a Huanxin ledger against its signed checkpoint, trusting only the
verifier key.

usage:
  huanxin-verify --vkey VKEY --target HOST:PORT [--as auditor:ID]
                 [--previous F.note] [--save F.note]
  huanxin-verify --vkey VKEY --export FILE.jsonl --checkpoint FILE.note
                 [--previous F.note] [--save F.note]

  --vkey VKEY          the checkpoint verifier key, "name+hex+base64" (huanxinctl audit checkpoint
                       prints it; huanxind logs it at start)
  --target HOST:PORT   read from a running huanxind (plaintext: it must run --insecure)
  --as ROLE:ID         principal for --target (default auditor:huanxin-verify)
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
    if (name.rfind("tls_", 0) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, ": TLS is not supported yet (huanxind runs --insecure)"));
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
  return o;
}

}  // namespace huanxin::verify

#include "tools/bench/options.h"

#include <functional>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace huanxin::bench {
namespace {

absl::Status Bad(absl::string_view flag, absl::string_view value, absl::string_view want) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, "=", value, ": want ", want));
}

absl::StatusOr<bool> ParseBool(absl::string_view flag, const std::string& v) {
  if (v.empty() || v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return Bad(flag, v, "true or false");
}

}  // namespace

std::string Usage() {
  return R"(usage: huanxin-bench [--target=HOST:PORT] [--mode=M] [flags]

huanxin-bench: a gRPC load generator for huanxind. --version prints its version and commit.

  --target=HOST:PORT     server (default 127.0.0.1:50051)
  --mode=M               health | issue | redeem | mixed (40% issue, 40% redeem,
                         10% quote, 10% audit reads)
  --concurrency=N        closed loop: N calls always in flight (default 64); open loop: the
                         cap on calls in flight
  --rate=R               open loop at R calls/s, latency from each call's intended send time
                         (a send_lag line tells how late the client itself started calls)
  --duration=D           timed phase, e.g. 10s, 500ms, 2m (default 10s)
  --requests=N           stop after N completed calls (0: only --duration)
  --setup                create a programme with a big budget and merchants first
  --merchants=N          with --setup: N merchants, redemptions and quotes round-robin over
                         them (default 1)
  --program=ID --merchant=ID   without --setup: an existing programme (refrigerator rule)
                         and a merchant whitelisted for it
  --vouchers=N           redeem: vouchers issued before the timed phase (default: enough
                         for --rate, or as many as issue within --duration)
  --channels=N           HTTP/2 connections (default 2)
  --timeout=D            each call's deadline (default 10s)
  --insecure             plaintext, principals in x-huanxin-principal (the default)
  --tls_ca=F --tls_cert=F --tls_key=F   mTLS instead (the certificate's CN is the principal)
  --ledger_size=false    skip the GetCheckpoint that prints ledger_size=N
  --server_pid=PID       the server's process on this machine: the cpu_us_per_call line
                         then gives its CPU per completed call beside this generator's own

The last line of output is exactly
  mode=<m> ok=<n> errors=<n> throughput_per_s=<x> p50_ms=<x> p99_ms=<x> p999_ms=<x>
)";
}

absl::StatusOr<absl::Duration> ParseBenchDuration(const std::string& text) {
  double seconds = 0;
  if (absl::SimpleAtod(text, &seconds)) return absl::Seconds(seconds);
  absl::Duration d;
  if (absl::ParseDuration(text, &d) && d >= absl::ZeroDuration()) return d;
  return absl::InvalidArgumentError(absl::StrCat("not a duration: ", text));
}

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  Options o;
  using Setter = std::function<absl::Status(const std::string&)>;
  auto integer = [](const char* name, auto* out, int64_t min) -> Setter {
    return [name, out, min](const std::string& v) -> absl::Status {
      int64_t n = 0;
      if (!absl::SimpleAtoi(v, &n) || n < min) {
        return Bad(name, v, absl::StrCat("an integer >= ", min));
      }
      *out = static_cast<std::remove_pointer_t<decltype(out)>>(n);
      return absl::OkStatus();
    };
  };
  auto text = [](std::string* out) -> Setter {
    return [out](const std::string& v) {
      *out = v;
      return absl::OkStatus();
    };
  };
  auto boolean = [](const char* name, bool* out) -> Setter {
    return [name, out](const std::string& v) -> absl::Status {
      absl::StatusOr<bool> b = ParseBool(name, v);
      if (!b.ok()) return b.status();
      *out = *b;
      return absl::OkStatus();
    };
  };
  auto duration = [](const char* name, absl::Duration* out) -> Setter {
    return [name, out](const std::string& v) -> absl::Status {
      absl::StatusOr<absl::Duration> d = ParseBenchDuration(v);
      if (!d.ok()) return Bad(name, v, "a duration such as 10s");
      *out = *d;
      return absl::OkStatus();
    };
  };
  const std::map<std::string, Setter> setters = {
      {"target", text(&o.target)},
      {"mode", text(&o.mode_name)},
      {"concurrency", integer("concurrency", &o.concurrency, 1)},
      {"rate",
       [&o](const std::string& v) -> absl::Status {
         if (!absl::SimpleAtod(v, &o.rate) || o.rate < 0) return Bad("rate", v, "calls/s >= 0");
         return absl::OkStatus();
       }},
      {"duration", duration("duration", &o.duration)},
      {"requests", integer("requests", &o.requests, 0)},
      {"timeout", duration("timeout", &o.timeout)},
      {"channels", integer("channels", &o.channels, 1)},
      {"setup", boolean("setup", &o.setup)},
      {"program", text(&o.program_id)},
      {"merchant", text(&o.merchant_id)},
      {"merchants", integer("merchants", &o.merchants, 1)},
      {"vouchers", integer("vouchers", &o.vouchers, 0)},
      {"insecure", boolean("insecure", &o.insecure)},
      {"tls_ca", text(&o.tls_ca)},
      {"tls_cert", text(&o.tls_cert)},
      {"tls_key", text(&o.tls_key)},
      {"ledger_size", boolean("ledger_size", &o.ledger_size)},
      {"server_pid", integer("server_pid", &o.server_pid, 1)},
  };
  const std::map<std::string, bool> is_bool = {
      {"setup", true}, {"insecure", true}, {"ledger_size", true}};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return absl::NotFoundError(Usage());
    if (arg.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument ", arg));
    }
    arg = arg.substr(2);
    std::string name = arg, value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    auto it = setters.find(name);
    if (it == setters.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name, " (see --help)"));
    }
    if (!has_value && is_bool.count(name) == 0) {
      if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      value = argv[++i];
    }
    if (absl::Status s = it->second(value); !s.ok()) return s;
  }
  static const std::map<std::string, Mode> kModes = {
      {"health", Mode::kHealth}, {"issue", Mode::kIssue},
      {"redeem", Mode::kRedeem}, {"mixed", Mode::kMixed}};
  auto mode = kModes.find(o.mode_name);
  if (mode == kModes.end()) return Bad("mode", o.mode_name, "health, issue, redeem or mixed");
  o.mode = mode->second;
  const bool any_tls = !o.tls_ca.empty() || !o.tls_cert.empty() || !o.tls_key.empty();
  if (any_tls) o.insecure = false;
  if (!o.insecure && (o.tls_ca.empty() || o.tls_cert.empty() || o.tls_key.empty())) {
    return absl::InvalidArgumentError("TLS needs all of --tls_ca, --tls_cert and --tls_key");
  }
  if (o.merchants > 1 && !o.setup) {
    return absl::InvalidArgumentError("--merchants needs --setup (it registers them)");
  }
  if (o.mode != Mode::kHealth && !o.setup && (o.program_id.empty() || o.merchant_id.empty())) {
    return absl::InvalidArgumentError(
        "modes other than health need --setup, or --program and --merchant");
  }
  return o;
}

}  // namespace huanxin::bench

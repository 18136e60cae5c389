#include "tools/ctl/cli.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace huanxin::ctl {

Args::Args(int argc, char** argv, const std::vector<std::string>& boolean_flags) {
  bool flags_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!flags_done && arg == "-h") {
      flags_.emplace_back("help", "true");
      continue;
    }
    if (flags_done || arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      if (arg == "--") {
        flags_done = true;
        continue;
      }
      positionals_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    size_t eq = name.find('=');
    bool is_boolean =
        std::find(boolean_flags.begin(), boolean_flags.end(), name) != boolean_flags.end();
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (is_boolean) {
      value = "true";
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      if (error_.empty()) error_ = "flag --" + name + " needs a value";
      continue;
    }
    flags_.emplace_back(name, value);
  }
}

std::optional<std::string> Args::NextPositional() {
  if (next_positional_ >= positionals_.size()) return std::nullopt;
  return positionals_[next_positional_++];
}

std::optional<std::string> Args::Take(const std::string& name) {
  std::optional<std::string> value;
  for (auto it = flags_.begin(); it != flags_.end();) {
    if (it->first == name) {
      value = it->second;
      it = flags_.erase(it);
    } else {
      ++it;
    }
  }
  return value;
}

std::vector<std::string> Args::TakeAll(const std::string& name) {
  std::vector<std::string> values;
  for (auto it = flags_.begin(); it != flags_.end();) {
    if (it->first == name) {
      values.push_back(it->second);
      it = flags_.erase(it);
    } else {
      ++it;
    }
  }
  return values;
}

bool Args::TakeBool(const std::string& name) {
  std::optional<std::string> value = Take(name);
  if (!value) return false;
  if (*value == "true" || *value == "1" || value->empty()) return true;
  if (*value == "false" || *value == "0") return false;
  Fail("flag --" + name + " takes no value (or true/false), got \"" + *value + "\"");
  return false;
}

void Args::Fail(const std::string& message) {
  if (error_.empty()) error_ = message;
}

std::string Args::Require(const std::string& name) {
  std::optional<std::string> value = Take(name);
  if (!value || value->empty()) {
    Fail("missing --" + name);
    return "";
  }
  return *value;
}

std::string Args::RequirePositional(const std::string& what) {
  std::optional<std::string> value = NextPositional();
  if (!value) {
    Fail("missing " + what);
    return "";
  }
  return *value;
}

bool Args::Finish(const std::string& usage) {
  // An unknown flag first: a misspelt flag also leaves the flag it was meant to be missing,
  // and "missing --category" would hide the typo "--categroy".
  if (!flags_.empty()) error_ = "unknown flag --" + flags_.front().first;
  if (error_.empty() && next_positional_ < positionals_.size()) {
    error_ = "unexpected argument \"" + positionals_[next_positional_] + "\"";
  }
  if (error_.empty()) return true;
  std::cerr << "error: " << error_ << "\nusage: " << usage
            << "\n(see `huanxinctl help` for every command)\n";
  return false;
}

bool TakeGlobalOptions(Args& args, GlobalOptions& options) {
  if (const char* env = std::getenv("HUANXIN_PRINCIPAL"); env != nullptr) options.principal = env;
  if (auto v = args.Take("addr")) options.addr = *v;
  if (auto v = args.Take("as")) {
    options.principal = *v;
    options.principal_from_flag = true;
  }
  options.json = args.TakeBool("json");
  // mTLS: the CA that signed huanxind's certificate, and this caller's certificate and key
  // (its CN is the principal). Defaults from $HUANXIN_CA, $HUANXIN_TLS_CERT, $HUANXIN_TLS_KEY.
  if (const char* env = std::getenv("HUANXIN_CA"); env != nullptr) options.tls_ca_file = env;
  if (const char* env = std::getenv("HUANXIN_TLS_CERT"); env != nullptr) {
    options.tls_cert_file = env;
  }
  if (const char* env = std::getenv("HUANXIN_TLS_KEY"); env != nullptr) {
    options.tls_key_file = env;
  }
  if (auto v = args.Take("ca")) options.tls_ca_file = *v;
  if (auto v = args.Take("tls_cert")) options.tls_cert_file = *v;
  if (auto v = args.Take("tls_key")) options.tls_key_file = *v;
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    args.Fail("--tls_cert and --tls_key go together");
    return false;
  }
  if (!options.tls_cert_file.empty() && options.tls_ca_file.empty()) {
    args.Fail("--tls_cert needs --ca (the CA that signed huanxind's certificate)");
    return false;
  }
  if (auto v = args.Take("request-id")) options.request_id = *v;
  if (auto v = args.Take("timeout")) {
    // Whole seconds; keeps the parser free of floating point like the rest of the tool.
    char* end = nullptr;
    long seconds = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || seconds <= 0 || seconds > 3600) {
      args.Fail("--timeout takes whole seconds (1-3600), got \"" + *v + "\"");
      return false;
    }
    options.timeout_ms = seconds * 1000;
  }
  if (!options.principal.empty() && options.principal.find(':') == std::string::npos) {
    args.Fail("--as takes ROLE:ID (e.g. admin:ops, retailer:m-binzhou-001), got \"" +
              options.principal + "\"");
    return false;
  }
  if (options.addr.empty()) {
    args.Fail("--addr takes HOST:PORT");
    return false;
  }
  return true;
}

}  // namespace huanxin::ctl

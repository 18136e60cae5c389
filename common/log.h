// Structured logs: one JSON object per line on stderr, written whole (one write per line, so
// lines from many threads never interleave). Every line has "ts" (RFC 3339, UTC), "level" and
// "event"; callers add fields. Never put clear PII in a log line: identities reach the edge
// only to be HMAC-ed, and requests are not logged. Principals ("app:claim-app") are not PII.
//
//   LogLine("rpc").Str("method", m).Str("principal", p).Int("latency_us", 812);
//
// The line is written when the LogLine goes out of scope.
#ifndef HUANXIN_COMMON_LOG_H_
#define HUANXIN_COMMON_LOG_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace huanxin {

class LogLine {
 public:
  explicit LogLine(absl::string_view event, absl::string_view level = "info");
  ~LogLine();
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  LogLine& Str(absl::string_view key, absl::string_view value);
  LogLine& Int(absl::string_view key, int64_t value);
  LogLine& Num(absl::string_view key, double value);
  LogLine& Bool(absl::string_view key, bool value);

 private:
  void Key(absl::string_view key);
  std::string text_;
};

// `s` as a JSON string literal, quotes included.
std::string JsonQuote(absl::string_view s);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_LOG_H_

#include "common/log.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace huanxin {

std::string JsonQuote(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

LogLine::LogLine(absl::string_view event, absl::string_view level) {
  text_ = absl::StrCat(
      "{\"ts\":\"",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
      "\",\"level\":", JsonQuote(level), ",\"event\":", JsonQuote(event));
}

LogLine::~LogLine() {
  text_ += "}\n";
  // One write(2) per line: lines of concurrent threads do not interleave.
  const char* p = text_.data();
  size_t left = text_.size();
  while (left > 0) {
    ssize_t n = write(STDERR_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void LogLine::Key(absl::string_view key) {
  text_ += ",";
  text_ += JsonQuote(key);
  text_ += ":";
}

LogLine& LogLine::Str(absl::string_view key, absl::string_view value) {
  Key(key);
  text_ += JsonQuote(value);
  return *this;
}

LogLine& LogLine::Int(absl::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&text_, value);
  return *this;
}

LogLine& LogLine::Num(absl::string_view key, double value) {
  Key(key);
  absl::StrAppend(&text_, absl::StrFormat("%.3f", value));
  return *this;
}

LogLine& LogLine::Bool(absl::string_view key, bool value) {
  Key(key);
  text_ += value ? "true" : "false";
  return *this;
}

}  // namespace huanxin

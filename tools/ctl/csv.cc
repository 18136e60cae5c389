#include "tools/ctl/csv.h"

#include "absl/strings/ascii.h"
#include "common/money.h"

namespace huanxin::ctl {
namespace {

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "-12", "1799.80": an optional minus, digits, and optionally '.' and digits.
bool IsNumber(const std::string& s) {
  const size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  const size_t dot = s.find('.', start);
  if (dot == std::string::npos) return AllDigits(s.substr(start));
  return AllDigits(s.substr(start, dot - start)) && AllDigits(s.substr(dot + 1));
}

constexpr size_t kLongestExcelNumber = 11;

}  // namespace

std::string CsvRow(const std::vector<std::string>& fields, bool excel) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += CsvField(excel ? ExcelText(fields[i]) : fields[i]);
  }
  return line + "\n";
}

std::string CsvHeader(const std::vector<CsvColumn>& columns, bool excel) {
  std::vector<std::string> names;
  for (const CsvColumn& c : columns) names.push_back(excel ? c.excel_name : c.name);
  return (excel ? "\xEF\xBB\xBF" : "") + CsvRow(names);
}

std::string CsvAmount(int64_t fen, bool excel) {
  return excel ? FormatYuanNumber(fen) : std::to_string(fen);
}

std::string ExcelText(const std::string& value) {
  if (AllDigits(value) && value.size() > kLongestExcelNumber) return "=\"" + value + "\"";
  if (IsNumber(value) || value.empty()) return value;
  if (value.find_first_of("=+-@\t\r") == 0) return "'" + value;
  return value;
}

}  // namespace huanxin::ctl

// CSV for huanxinctl's exports (audit export, settlement export): RFC 4180 fields, "\n" line
// ends.
#ifndef HUANXIN_TOOLS_CTL_CSV_H_
#define HUANXIN_TOOLS_CTL_CSV_H_

#include <string>
#include <vector>

namespace huanxin::ctl {

// The fields joined by commas, each quoted when it holds a comma, quote or line break (its
// quotes doubled), and a "\n".
std::string CsvRow(const std::vector<std::string>& fields);

}  // namespace huanxin::ctl

#endif  // HUANXIN_TOOLS_CTL_CSV_H_

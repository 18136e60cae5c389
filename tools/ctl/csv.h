// CSV for huanxinctl's exports (audit export, settlement export): RFC 4180 fields, "\n" line
// ends. Each export has a machine form (column names in English, money in integer fen) and,
// with --excel, a form for spreadsheets: a UTF-8 byte order mark, Chinese column names,
// money in yuan with two decimals, and text cells Excel neither runs nor reformats.
#ifndef HUANXIN_TOOLS_CTL_CSV_H_
#define HUANXIN_TOOLS_CTL_CSV_H_

#include <cstdint>
#include <string>
#include <vector>

namespace huanxin::ctl {

// The fields joined by commas, each quoted when it holds a comma, quote or line break (its
// quotes doubled), and a "\n". With `excel`, each field first passes through ExcelText.
std::string CsvRow(const std::vector<std::string>& fields, bool excel = false);

// A column of an export: its machine name and its header in the --excel form.
struct CsvColumn {
  const char* name;        // e.g. "amount_fen"
  const char* excel_name;  // e.g. "金额(元)"
};

// The first line(s) of an export: the column names, or with `excel` the UTF-8 byte order
// mark and the Chinese names.
std::string CsvHeader(const std::vector<CsvColumn>& columns, bool excel);

// An amount cell: integer fen ("179980"), or with `excel` yuan ("1799.80", common/money.h).
std::string CsvAmount(int64_t fen, bool excel);

// `value` as a spreadsheet shows it as text: a number ("-12", "1799.80") unchanged; other
// text starting with '=', '+', '-', '@', a tab or CR (which Excel would run as a formula)
// behind an apostrophe; a run of 12 or more digits (invoice numbers, IMEIs, which Excel
// would round to 15 digits or show as 3.7E+13) as the formula ="<digits>", which shows them
// exactly.
std::string ExcelText(const std::string& value);

}  // namespace huanxin::ctl

#endif  // HUANXIN_TOOLS_CTL_CSV_H_

// What an entry is about: the programmes, merchants and consumers auditors look entries up by
// (AuditService.ListEntries). One function, used by Apply to write the entry indexes and by
// queries to check a filter, so both always agree.
#ifndef HUANXIN_LEDGER_ENTRY_REFS_H_
#define HUANXIN_LEDGER_ENTRY_REFS_H_

#include <set>
#include <string>

#include "huanxin/v1/ledger.pb.h"

namespace huanxin::ledger {

struct EntryRefs {
  std::set<std::string> programs;
  std::set<std::string> merchants;
  std::set<std::string> consumers;  // consumer refs (HMACs)
};

EntryRefs RefsOf(const v1::LedgerEntry& entry);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_ENTRY_REFS_H_

// Helpers the `audit` commands share: reading entries page by page, and the facts of an
// entry (its programme, merchant and headline amount) that exports and reports show.
#ifndef HUANXIN_TOOLS_CTL_AUDIT_ENTRIES_H_
#define HUANXIN_TOOLS_CTL_AUDIT_ENTRIES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <google/protobuf/timestamp.pb.h>
#include <grpcpp/grpcpp.h>

#include "huanxin/v1/audit.pb.h"
#include "huanxin/v1/ledger.pb.h"
#include "tools/ctl/commands.h"

namespace huanxin::ctl {

// Calls `each` for every entry matching `filter`, in seq order, over as many ListEntries
// pages as it takes (1000 a page). Stops early, OK, when `each` returns false. The first
// failed call's status otherwise.
grpc::Status ForEachEntry(Context& ctx, const huanxin::v1::EntryFilter& filter,
                          const std::function<bool(const huanxin::v1::LedgerEntry&)>& each);

struct EntryFacts {
  std::string program_id;   // "" when the entry is about no one programme
  std::string merchant_id;  // "" when it names no merchant
  // The entry's headline amount: funding, a voucher's hold, a redemption's subsidy, a
  // settlement's total. nullopt for entries without one.
  std::optional<int64_t> amount_fen;
  // The ids the entry carries, "" where it has none: the voucher, the redemption, the scrap
  // receipt (confirmed, voided, or linked by a redemption), the recycler and the settlement.
  std::string voucher_id, redemption_id, receipt_id, recycler_id, settlement_id;
  // The state the entry left its object in (a programme's new state, a voucher's, a
  // redemption's, a receipt's), and the reason given: an operator's text for state changes,
  // releases, returns and voids, the API reason of a denial, the fraud rules that sent a
  // redemption to review, a review's note.
  std::string state, reason;
  // A REDEMPTION_DENIED entry's category (INPUT, ELIGIBILITY, FRAUD); "" otherwise, and for
  // denials recorded before categories.
  std::string denial_category;
};
EntryFacts FactsOf(const huanxin::v1::LedgerEntry& entry);

// Parses an RFC 3339 time ("2025-03-01T10:00:00+08:00", "2025-03-01T02:00:00Z") or a
// Shanghai calendar date "2025-03-01" (its first instant; with `end_of_day`, its last
// nanosecond, for inclusive upper bounds). False when it is neither.
bool ParseTimeFlag(const std::string& text, bool end_of_day, google::protobuf::Timestamp* out);

// The RPCs of `audit report` (commands_audit_report.cc).
int AuditReport(Context& ctx);

}  // namespace huanxin::ctl

#endif  // HUANXIN_TOOLS_CTL_AUDIT_ENTRIES_H_

#include "ledger/commands/settlement.h"

#include <algorithm>
#include <limits>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/check.h"
#include "common/ids.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "ledger/accounts.h"
#include "storage/keys.h"

namespace huanxin::ledger {

namespace keys = storage::keys;
using storage::Cf;

Decision DecideCreateSettlement(const Context& c, const v1::CreateSettlementRequest& r) {
  HX_ASSIGN_OR_RETURN(auto merchant, c.state.Merchant(r.merchant_id()));
  if (!merchant.has_value()) {
    return Refuse(reason::kMerchantNotFound, absl::StrCat("no merchant ", r.merchant_id()));
  }
  const absl::Time up_to = r.has_up_to_time() ? FromProto(r.up_to_time()) : c.now;
  if (up_to < absl::UnixEpoch() || up_to > absl::FromUnixSeconds(253402300799)) {
    return FieldError("up_to_time", "must be a time between 1970 and 9999");
  }
  const std::string prefix = keys::UnsettledPrefix(r.merchant_id());
  // Keys order by time: the first past up_to starts at its next nanosecond. ToUnixNanos
  // saturates from 2262 on, where no redemption can be, so the saturated value is the end.
  const int64_t up_to_nanos = absl::ToUnixNanos(up_to);
  const int64_t end_nanos =
      up_to_nanos < std::numeric_limits<int64_t>::max() ? up_to_nanos + 1 : up_to_nanos;
  const std::string end = keys::Unsettled(r.merchant_id(), end_nanos, "");
  std::vector<std::string> ids;
  HX_RETURN_IF_ERROR(c.state.Scan(Cf::kIndex, prefix, [&](absl::string_view k, absl::string_view) {
    if (k >= end || ids.size() == static_cast<size_t>(kMaxSettlementRedemptions)) return false;
    ids.emplace_back(k.substr(prefix.size() + 8));
    return true;
  }));
  if (ids.empty()) {
    return Refuse(reason::kNothingToSettle,
                  absl::StrCat("merchant ", r.merchant_id(), " has no unsettled redemption up to ",
                               FormatShanghai(up_to)));
  }
  std::map<std::string, int64_t> gross;  // by programme, in id order
  for (const std::string& id : ids) {
    HX_ASSIGN_OR_RETURN(auto d, c.state.Redemption(id));
    HX_CHECK(d.has_value() && d->state() == v1::Redemption::COMPLETED,
             absl::StrCat("unsettled index names a COMPLETED redemption: ", id));
    gross[d->program_id()] += d->subsidy_fen();
  }
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::SETTLEMENT_CREATED);
  v1::SettlementCreated* body = e.mutable_settlement_created();
  v1::Settlement* s = body->mutable_settlement();
  for (const auto& [program_id, amount] : gross) {
    HX_ASSIGN_OR_RETURN(int64_t owed,
                        c.state.Counter(Cf::kIndex, keys::Clawback(program_id, r.merchant_id())));
    v1::Settlement::ProgramLine* line = s->add_programs();
    line->set_program_id(program_id);
    line->set_gross_fen(amount);
    line->set_clawback_fen(std::min(owed, amount));
    line->set_paid_fen(amount - line->clawback_fen());
    if (line->paid_fen() > 0) {
      *e.add_postings() = MakePosting(Payable(program_id, r.merchant_id()),
                                      Settled(program_id, r.merchant_id()), line->paid_fen());
    }
    s->set_gross_fen(s->gross_fen() + line->gross_fen());
    s->set_clawback_fen(s->clawback_fen() + line->clawback_fen());
    s->set_total_fen(s->total_fen() + line->paid_fen());
  }
  s->set_settlement_id(NewId("st"));
  s->set_merchant_id(r.merchant_id());
  s->set_redemption_count(static_cast<int64_t>(ids.size()));
  s->set_ledger_seq(c.seq);
  *s->mutable_up_to_time() = ToProto(up_to);
  *s->mutable_created_at() = ToProto(c.now);
  for (std::string& id : ids) body->add_redemption_ids(std::move(id));
  return e;
}

}  // namespace huanxin::ledger

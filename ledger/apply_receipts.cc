#include "ledger/apply_receipts.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/check.h"
#include "common/status_macros.h"
#include "storage/keys.h"
#include "storage/keys.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

// Moves receipt `id` from state `from` to `to` as of entry `e`.
absl::Status MoveReceipt(const v1::LedgerEntry& e, const std::string& id,
                         v1::ScrapReceipt::State from, v1::ScrapReceipt::State to,
                         const StateReader& state, StateWriter& w) {
  HX_ASSIGN_OR_RETURN(auto receipt, state.Receipt(id));
  HX_CHECK(receipt.has_value(), absl::StrCat("linked receipt ", id, " exists at seq ", e.seq()));
  HX_CHECK(receipt->state() == from,
           absl::StrCat("receipt ", id, " is ", v1::ScrapReceipt::State_Name(receipt->state()),
                        ", not ", v1::ScrapReceipt::State_Name(from), ", at seq ", e.seq()));
  receipt->set_state(to);
  receipt->set_ledger_seq(e.seq());
  w.Put(Cf::kState, keys::Receipt(id), *receipt);
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyReceiptConfirmed(const v1::LedgerEntry& e, const StateReader& state,
                                   StateWriter& w) {
  HX_CHECK(e.has_receipt_confirmed(), absl::StrCat("RECEIPT_CONFIRMED body at seq ", e.seq()));
  const v1::ScrapReceipt& s = e.receipt_confirmed().receipt();
  HX_CHECK(s.state() == v1::ScrapReceipt::CONFIRMED && !s.has_owner(),
           absl::StrCat("a confirmed receipt, owner hashed, at seq ", e.seq()));
  const std::string certificate = keys::Certificate(s.certificate_number());
  const std::string serial = keys::ScrappedSerial(v1::ScrapReceipt::ItemKind_Name(s.item_kind()), s.serial_number());
  HX_ASSIGN_OR_RETURN(bool receipt_exists, state.Exists(Cf::kState, keys::Receipt(s.receipt_id())));
  HX_ASSIGN_OR_RETURN(bool certificate_taken, state.Exists(Cf::kIndex, certificate));
  HX_ASSIGN_OR_RETURN(bool serial_taken, state.Exists(Cf::kIndex, serial));
  HX_CHECK(!receipt_exists && !certificate_taken && !serial_taken,
           absl::StrCat("receipt id, certificate and serial are new at seq ", e.seq()));
  w.Put(Cf::kState, keys::Receipt(s.receipt_id()), s);
  w.PutRaw(Cf::kIndex, certificate, s.receipt_id());
  w.PutRaw(Cf::kIndex, serial, s.receipt_id());
  return absl::OkStatus();
}

absl::Status ApplyReceiptVoided(const v1::LedgerEntry& e, const StateReader& state,
                                StateWriter& w) {
  HX_CHECK(e.has_receipt_voided(), absl::StrCat("RECEIPT_VOIDED body at seq ", e.seq()));
  const v1::ScrapReceipt& s = e.receipt_voided().receipt();
  HX_CHECK(s.state() == v1::ScrapReceipt::VOIDED,
           absl::StrCat("a voided receipt at seq ", e.seq()));
  HX_ASSIGN_OR_RETURN(auto before, state.Receipt(s.receipt_id()));
  HX_CHECK(before.has_value() && before->state() == v1::ScrapReceipt::CONFIRMED,
           absl::StrCat("voided receipt ", s.receipt_id(), " was CONFIRMED at seq ", e.seq()));
  w.Put(Cf::kState, keys::Receipt(s.receipt_id()), s);
  // The certificate number and the old item's serial are free again for a corrected receipt.
  w.Delete(Cf::kIndex, keys::Certificate(s.certificate_number()));
  w.Delete(Cf::kIndex, keys::ScrappedSerial(v1::ScrapReceipt::ItemKind_Name(s.item_kind()), s.serial_number()));
  return absl::OkStatus();
}

absl::Status ApplyReceiptConsumed(const v1::LedgerEntry& e, const StateReader& state,
                                  StateWriter& w) {
  HX_CHECK(e.has_redemption_completed(),
           absl::StrCat("a redemption_completed body at seq ", e.seq()));
  const std::string& id = e.redemption_completed().redemption().scrap_receipt_id();
  if (id.empty()) return absl::OkStatus();
  return MoveReceipt(e, id, v1::ScrapReceipt::CONFIRMED, v1::ScrapReceipt::CONSUMED, state, w);
}

absl::Status ApplyReceiptRestored(const v1::LedgerEntry& e, const StateReader& state,
                                  StateWriter& w) {
  HX_CHECK(e.has_redemption_reversed(),
           absl::StrCat("a redemption_reversed body at seq ", e.seq()));
  const std::string& id = e.redemption_reversed().redemption().scrap_receipt_id();
  if (id.empty()) return absl::OkStatus();
  return MoveReceipt(e, id, v1::ScrapReceipt::CONSUMED, v1::ScrapReceipt::CONFIRMED, state, w);
}

}  // namespace huanxin::ledger

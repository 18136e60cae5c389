#include "ledger/commands/recycling.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/ids.h"
#include "common/proto_time.h"
#include "common/shanghai_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "rules/scrap_receipt.h"
#include "rules/vehicle_eligibility.h"
#include "storage/keys.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

const char* KindName(v1::ScrapReceipt::ItemKind kind) {
  return kind == v1::ScrapReceipt::VEHICLE ? "VIN" : "serial";
}

}  // namespace

Decision DecideConfirmReceipt(const Context& c, const internal::ConfirmReceipt& op) {
  const v1::ScrapReceipt& in = op.receipt();
  // The edge hashed the owner; the ledger never takes a clear identity.
  if (in.has_owner() || in.owner_ref().empty()) {
    return FieldError("receipt.owner", "must reach the ledger as owner_ref only");
  }
  if (in.item_kind() == v1::ScrapReceipt::VEHICLE && !in.has_vehicle()) {
    return FieldError("receipt.vehicle", "is required for a VEHICLE receipt");
  }
  // The edge checked this against its clock; the ledger's clock is the one that counts.
  HX_RETURN_IF_ERROR(CheckScrapReceiptFacts(in, c.now));

  HX_ASSIGN_OR_RETURN(auto recycler, c.state.Recycler(in.recycler_id()));
  if (!recycler.has_value()) {
    return Refuse(reason::kRecyclerNotFound, absl::StrCat("no recycler ", in.recycler_id()));
  }
  if (recycler->state() != v1::Recycler::ACTIVE) {
    return Refuse(reason::kRecyclerNotEligible,
                  absl::StrCat("recycler ", in.recycler_id(), " is ",
                               v1::Recycler::State_Name(recycler->state())));
  }
  const auto& accepts = recycler->accepts();
  if (std::find(accepts.begin(), accepts.end(), in.item_kind()) == accepts.end()) {
    return Refuse(reason::kRecyclerNotEligible,
                  absl::StrCat("recycler ", in.recycler_id(), " does not accept ",
                               v1::ScrapReceipt::ItemKind_Name(in.item_kind()), " items"));
  }

  HX_ASSIGN_OR_RETURN(auto by_certificate,
                      c.state.Raw(Cf::kIndex, keys::Certificate(in.certificate_number())));
  if (by_certificate.has_value()) {
    return Refuse(reason::kDuplicateCertificate,
                  absl::StrCat("certificate ", in.certificate_number(),
                               " was confirmed already in receipt ", *by_certificate));
  }
  HX_ASSIGN_OR_RETURN(auto by_serial, c.state.Raw(Cf::kIndex, keys::ScrappedSerial(
                                                                  v1::ScrapReceipt::ItemKind_Name(in.item_kind()),
                                                                  in.serial_number())));
  if (by_serial.has_value()) {
    return Refuse(reason::kDuplicateCertificate,
                  absl::StrCat(KindName(in.item_kind()), " ", in.serial_number(),
                               " was scrapped already with receipt ", *by_serial));
  }

  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::RECEIPT_CONFIRMED);
  v1::ScrapReceipt* receipt = e.mutable_receipt_confirmed()->mutable_receipt();
  *receipt = in;
  receipt->clear_owner();
  receipt->set_receipt_id(NewId("s"));
  receipt->set_state(v1::ScrapReceipt::CONFIRMED);
  receipt->set_ledger_seq(c.seq);
  if (!receipt->has_scrapped_at()) *receipt->mutable_scrapped_at() = ToProto(c.now);
  if (receipt->item_kind() != v1::ScrapReceipt::VEHICLE) receipt->clear_vehicle();
  return e;
}

Decision DecideVoidReceipt(const Context& c, absl::string_view actor,
                           const v1::VoidScrapReceiptRequest& r) {
  HX_ASSIGN_OR_RETURN(auto receipt, c.state.Receipt(r.receipt_id()));
  // Another recycler's receipt does not exist as far as this one can tell.
  if (!receipt.has_value() || actor != absl::StrCat("recycler:", receipt->recycler_id())) {
    return Refuse(reason::kReceiptNotFound, absl::StrCat("no scrap receipt ", r.receipt_id()));
  }
  if (receipt->state() != v1::ScrapReceipt::CONFIRMED) {
    return Refuse(reason::kScrapReceiptInvalid,
                  absl::StrCat("scrap receipt ", r.receipt_id(), " is ",
                               v1::ScrapReceipt::State_Name(receipt->state()),
                               "; only a CONFIRMED receipt can be voided"));
  }
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::RECEIPT_VOIDED);
  v1::ReceiptVoided* body = e.mutable_receipt_voided();
  receipt->set_state(v1::ScrapReceipt::VOIDED);
  receipt->set_ledger_seq(c.seq);
  *body->mutable_receipt() = *std::move(receipt);
  body->set_reason(r.reason());
  return e;
}

v1::ScrapReceipt::ItemKind ExpectedItemKind(const v1::Program& program,
                                            const v1::CategoryRule& rule) {
  if (program.kind() == v1::Program::CAR_SCRAP || program.kind() == v1::Program::CAR_REPLACEMENT ||
      rule.has_old_vehicle()) {
    return v1::ScrapReceipt::VEHICLE;
  }
  return v1::ScrapReceipt::APPLIANCE;
}

absl::Status CheckReceiptForRedemption(const StateReader& state, const v1::Program& program,
                                       const v1::CategoryRule& rule, const internal::Redeem& r) {
  if (r.scrap_receipt_id().empty()) {
    if (!rule.requires_scrap_receipt()) return absl::OkStatus();
    return Refuse(reason::kScrapReceiptRequired,
                  absl::StrCat(rule.category(), " in ", program.program_id(),
                               " needs the scrap receipt of the old item"));
  }
  const std::string& id = r.scrap_receipt_id();
  HX_ASSIGN_OR_RETURN(auto receipt, state.Receipt(id));
  if (!receipt.has_value()) {
    return Refuse(reason::kScrapReceiptInvalid, absl::StrCat("no scrap receipt ", id));
  }
  if (receipt->state() != v1::ScrapReceipt::CONFIRMED) {
    return Refuse(reason::kScrapReceiptInvalid,
                  absl::StrCat("scrap receipt ", id, " is ",
                               v1::ScrapReceipt::State_Name(receipt->state()),
                               receipt->state() == v1::ScrapReceipt::CONSUMED
                                   ? " (it backs another purchase)"
                                   : ""));
  }
  if (receipt->owner_ref() != r.payer().consumer_ref()) {
    return Refuse(reason::kScrapReceiptInvalid,
                  absl::StrCat("scrap receipt ", id, " names another owner than the payer"));
  }
  const v1::ScrapReceipt::ItemKind want = ExpectedItemKind(program, rule);
  if (receipt->item_kind() != want) {
    return Refuse(reason::kScrapReceiptInvalid,
                  absl::StrCat("scrap receipt ", id, " is for a ",
                               v1::ScrapReceipt::ItemKind_Name(receipt->item_kind()), "; ",
                               rule.category(), " needs a ",
                               v1::ScrapReceipt::ItemKind_Name(want), " receipt"));
  }
  // Only an item scrapped while the programme runs was traded in under it.
  if (FromProto(receipt->scrapped_at()) < FromProto(program.start_time())) {
    return Refuse(reason::kScrapReceiptInvalid,
                  absl::StrCat("scrap receipt ", id, " is dated ",
                               FormatShanghai(FromProto(receipt->scrapped_at())),
                               ", before the programme started on ",
                               FormatShanghai(FromProto(program.start_time()))));
  }
  if (want == v1::ScrapReceipt::VEHICLE && rule.has_old_vehicle()) {
    absl::Status eligible = CheckVehicleEligible(rule.old_vehicle(), receipt->vehicle());
    if (!eligible.ok()) {
      // "VEHICLE_INELIGIBLE: <detail>" with the receipt named.
      return Refuse(reason::kVehicleIneligible,
                    absl::StrCat("scrap receipt ", id, ": ",
                                 absl::StripPrefix(eligible.message(),
                                                   absl::StrCat(reason::kVehicleIneligible, ": "))));
    }
  }
  return absl::OkStatus();
}

}  // namespace huanxin::ledger

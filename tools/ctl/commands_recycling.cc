// Scrap-receipt commands (RecyclingService): what an accredited recycler (role
// recycler:<recycler_id>) does when it has scrapped an old car or appliance, and how anyone
// with read access looks a receipt up.
#include <iostream>
#include <optional>
#include <string>

#include "huanxin/v1/recycling.grpc.pb.h"
#include "tools/ctl/commands.h"
#include "tools/ctl/output.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;

namespace {


void ShowReceipt(const Client& client, const v1::ScrapReceipt& r) {
  std::string text = "receipt " + r.receipt_id() + "  " +
                     v1::ScrapReceipt::State_Name(r.state()) + "  " +
                     v1::ScrapReceipt::ItemKind_Name(r.item_kind()) + "  certificate " +
                     r.certificate_number() + "  serial " + r.serial_number();
  if (!r.category().empty()) text += "  category " + r.category();
  text += "\n  owner " + r.owner_ref() + "  recycler " + r.recycler_id() + "  scrapped " +
          FormatTime(r.scrapped_at()) + "  ledger seq " + std::to_string(r.ledger_seq());
  if (r.has_vehicle()) {
    const v1::Vehicle& v = r.vehicle();
    text += "\n  vehicle " + v1::Vehicle::EnergyType_Name(v.energy_type());
    if (v.emission_standard() > 0) text += "  国" + std::to_string(v.emission_standard());
    text += "  registered " + (v.registration_date().empty() ? "-" : v.registration_date()) +
            "  owned since " + (v.owned_since().empty() ? "-" : v.owned_since());
    if (v.displacement_ml() > 0) text += "  " + std::to_string(v.displacement_ml()) + " ml";
  }
  Emit(client, r, text);
}

int ReceiptConfirm(Context& ctx) {
  v1::ConfirmScrapReceiptRequest request;
  v1::ScrapReceipt* r = request.mutable_receipt();
  r->set_certificate_number(ctx.args.Require("certificate"));
  std::string kind = ctx.args.Require("kind");
  v1::ScrapReceipt::ItemKind parsed;
  if (!kind.empty()) {
    if (v1::ScrapReceipt::ItemKind_Parse(kind, &parsed) &&
        parsed != v1::ScrapReceipt::ITEM_KIND_UNSPECIFIED) {
      r->set_item_kind(parsed);
    } else {
      ctx.args.Fail("--kind takes VEHICLE or APPLIANCE, got \"" + kind + "\"");
    }
  }
  r->set_serial_number(ctx.args.Require("serial"));
  r->set_category(ctx.args.Take("category").value_or(""));
  // The recycler confirms as itself: --recycler defaults to the id of --as recycler:ID (and
  // the server fills it from the caller when empty).
  std::string recycler = ctx.args.Take("recycler").value_or("");
  if (recycler.empty()) recycler = PrincipalIdIfRole(ctx.client, "recycler");
  r->set_recycler_id(recycler);
  // The owner: --owner-id-number (or --id-number, as elsewhere), never echoed.
  std::optional<std::string> owner = ctx.args.Take("owner-id-number");
  std::optional<std::string> plain = ctx.args.Take("id-number");
  if (!owner) owner = plain;
  if (!owner || owner->empty()) ctx.args.Fail("missing --owner-id-number");
  v1::ConsumerIdentity* identity = r->mutable_owner();
  identity->set_id_number(owner.value_or(""));
  identity->set_name(ctx.args.Take("owner-name").value_or(""));
  identity->set_phone(ctx.args.Take("owner-phone").value_or(""));
  ctx.client.AddSecret(identity->id_number());
  ctx.client.AddSecret(identity->name());
  ctx.client.AddSecret(identity->phone());

  std::optional<v1::Vehicle::EnergyType> energy = TakeEnergyType(ctx, "energy-type");
  std::optional<int32_t> emission = TakeInt(ctx, "emission", 6);
  std::optional<std::string> registered = ctx.args.Take("registered");
  std::optional<std::string> owned_since = ctx.args.Take("owned-since");
  std::optional<int32_t> displacement = TakeInt(ctx, "displacement", 20000);
  const bool any_vehicle_flag = energy || emission || registered || owned_since || displacement;
  if (r->item_kind() == v1::ScrapReceipt::VEHICLE || any_vehicle_flag) {
    v1::Vehicle* v = r->mutable_vehicle();
    if (!energy) {
      ctx.args.Fail("a VEHICLE receipt needs --energy-type PETROL|DIESEL|NEV|OTHER");
    } else {
      v->set_energy_type(*energy);
    }
    v->set_emission_standard(emission.value_or(0));
    if (!registered) ctx.args.Fail("a VEHICLE receipt needs --registered YYYY-MM-DD");
    v->set_registration_date(registered.value_or(""));
    if (!owned_since) ctx.args.Fail("a VEHICLE receipt needs --owned-since YYYY-MM-DD");
    v->set_owned_since(owned_since.value_or(""));
    v->set_displacement_ml(displacement.value_or(0));
  }
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::ScrapReceipt response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.recycling().ConfirmScrapReceipt(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  ShowReceipt(ctx.client, response);
  return kExitOk;
}

int ReceiptGet(Context& ctx) {
  v1::GetScrapReceiptRequest request;
  request.set_receipt_id(ctx.args.RequirePositional("RECEIPT_ID"));
  if (!ctx.Finish()) return kExitUsage;
  v1::ScrapReceipt response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.recycling().GetScrapReceipt(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  ShowReceipt(ctx.client, response);
  return kExitOk;
}

int ReceiptVoid(Context& ctx) {
  v1::VoidScrapReceiptRequest request;
  request.set_receipt_id(ctx.args.RequirePositional("RECEIPT_ID"));
  request.set_reason(ctx.args.Require("reason"));
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::ScrapReceipt response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.recycling().VoidScrapReceipt(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  ShowReceipt(ctx.client, response);
  return kExitOk;
}

}  // namespace

std::vector<Command> RecyclingCommands() {
  return {
      {"receipt confirm",
       "receipt confirm --certificate N --kind VEHICLE|APPLIANCE --serial VIN|SN [--category C] "
       "--owner-id-number ID [--owner-name X] [--owner-phone P] [--recycler R] "
       "[--energy-type PETROL|DIESEL|NEV|OTHER --emission N --registered YYYY-MM-DD "
       "--owned-since YYYY-MM-DD --displacement ML]",
       "confirm that an old car or appliance was scrapped; vehicles need the energy type, "
       "registration and owned-since dates (and 国N for petrol/diesel); --recycler defaults "
       "to the id of --as recycler:ID (recycler)",
       ReceiptConfirm},
      {"receipt get", "receipt get RECEIPT_ID",
       "show a scrap receipt (its recycler, auditor, admin)", ReceiptGet},
      {"receipt void", "receipt void RECEIPT_ID --reason R",
       "void a CONFIRMED receipt this recycler issued in error (recycler)", ReceiptVoid},
  };
}

}  // namespace huanxin::ctl

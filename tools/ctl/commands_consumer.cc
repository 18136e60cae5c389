// Voucher, quote, redemption commands: what the claim app (role app) and a till (role
// retailer) do, handy for demos and for checking a complaint by hand.
#include <iostream>

#include "common/validate.h"
#include "huanxin/v1/issuance.grpc.pb.h"
#include "huanxin/v1/redemption.grpc.pb.h"
#include "tools/ctl/commands.h"
#include "tools/ctl/output.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;

namespace {

int VoucherIssue(Context& ctx) {
  v1::IssueVoucherRequest request;
  request.set_program_id(ctx.args.Require("program"));
  request.set_category(ctx.args.Require("category"));
  TakeIdentity(ctx, /*required=*/true, request.mutable_consumer());
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Voucher response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.issuance().IssueVoucher(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int VoucherGet(Context& ctx) {
  v1::GetVoucherRequest request;
  request.set_voucher_id(ctx.args.RequirePositional("VOUCHER_ID"));
  if (!ctx.Finish()) return kExitUsage;
  v1::Voucher response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.issuance().GetVoucher(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int VoucherList(Context& ctx) {
  v1::ListConsumerVouchersRequest request;
  TakeIdentity(ctx, /*required=*/true, request.mutable_consumer());
  if (!ctx.Finish()) return kExitUsage;
  v1::ListConsumerVouchersResponse response;  // every page's vouchers
  request.set_page_size(kMaxPageSize);
  do {
    v1::ListConsumerVouchersResponse page;
    grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
      return ctx.client.issuance().ListConsumerVouchers(c, request, &page);
    });
    if (!status.ok()) return ctx.client.ReportError(status);
    response.mutable_vouchers()->MergeFrom(page.vouchers());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (ctx.client.options().json) {
    std::vector<std::string> items;
    for (const v1::Voucher& v : response.vouchers()) items.push_back(ToJsonLine(v));
    EmitJsonArray(ctx.client, items);
  } else if (response.vouchers_size() == 0) {
    std::cout << "no vouchers\n";
  } else {
    for (const v1::Voucher& v : response.vouchers()) {
      std::cout << ctx.client.Redact(VoucherLine(v)) << "\n";
    }
  }
  return kExitOk;
}

int VoucherCancel(Context& ctx) {
  v1::CancelVoucherRequest request;
  request.set_voucher_id(ctx.args.RequirePositional("VOUCHER_ID"));
  request.set_reason(ctx.args.Take("reason").value_or("cancelled with huanxinctl"));
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Voucher response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.issuance().CancelVoucher(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int Quote(Context& ctx) {
  v1::QuoteSubsidyRequest request;
  request.set_voucher_id(ctx.args.RequirePositional("VOUCHER_ID"));
  TakePurchase(ctx, request.mutable_purchase());
  if (!ctx.Finish()) return kExitUsage;
  v1::QuoteSubsidyResponse response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.redemption().QuoteSubsidy(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int Redeem(Context& ctx) {
  v1::RedeemRequest request;
  request.set_voucher_id(ctx.args.RequirePositional("VOUCHER_ID"));
  // A till acts for its own merchant: --merchant defaults to the id of --as retailer:ID.
  std::string merchant = ctx.args.Take("merchant").value_or("");
  if (merchant.empty()) merchant = PrincipalIdIfRole(ctx.client, "retailer");
  if (merchant.empty()) ctx.args.Fail("missing --merchant");
  request.set_merchant_id(merchant);
  request.set_terminal_id(ctx.args.Require("terminal"));
  TakeIdentity(ctx, /*required=*/true, request.mutable_payer());
  TakePurchase(ctx, request.mutable_purchase());
  request.set_scrap_receipt_id(ctx.args.Take("scrap-receipt").value_or(""));
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Redemption response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.redemption().Redeem(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int RedemptionGet(Context& ctx) {
  v1::GetRedemptionRequest request;
  request.set_redemption_id(ctx.args.RequirePositional("REDEMPTION_ID"));
  if (!ctx.Finish()) return kExitUsage;
  v1::Redemption response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.redemption().GetRedemption(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int RedemptionReverse(Context& ctx) {
  v1::ReverseRedemptionRequest request;
  request.set_redemption_id(ctx.args.RequirePositional("REDEMPTION_ID"));
  std::string merchant = ctx.args.Take("merchant").value_or("");
  if (merchant.empty()) merchant = PrincipalIdIfRole(ctx.client, "retailer");
  if (merchant.empty()) ctx.args.Fail("missing --merchant");
  request.set_merchant_id(merchant);
  request.set_reason(ctx.args.Require("reason"));
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Redemption response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.redemption().ReverseRedemption(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int RedemptionAdjust(Context& ctx) {
  v1::AdjustRedemptionRequest request;
  request.set_redemption_id(ctx.args.RequirePositional("REDEMPTION_ID"));
  std::string merchant = ctx.args.Take("merchant").value_or("");
  if (merchant.empty()) merchant = PrincipalIdIfRole(ctx.client, "retailer");
  if (merchant.empty()) ctx.args.Fail("missing --merchant");
  request.set_merchant_id(merchant);
  request.set_new_price_fen(TakePrice(ctx));
  request.set_reason(ctx.args.Require("reason"));
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Redemption response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.redemption().AdjustRedemption(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

}  // namespace

std::vector<Command> ConsumerCommands() {
  const std::string identity = "--id-number N [--name X] [--phone P] [--device D] [--bank-card B]";
  const std::string purchase =
      "--price YUAN --category C [--grade N] [--sku S] [--serial SN] [--invoice INV] "
      "[--brand B --model M] [--car-energy PETROL|DIESEL|NEV|OTHER [--car-displacement ML] "
      "[--nev-catalogue] [--passenger]]";
  return {
      {"voucher issue", "voucher issue --program P --category C " + identity,
       "claim a voucher for a consumer; holds the subsidy cap (app)", VoucherIssue},
      {"voucher get", "voucher get VOUCHER_ID", "show a voucher", VoucherGet},
      {"voucher list", "voucher list " + identity, "a consumer's vouchers (app)", VoucherList},
      {"voucher cancel", "voucher cancel VOUCHER_ID [--reason R]",
       "cancel an unused voucher, releasing its hold (app)", VoucherCancel},
      {"quote", "quote VOUCHER_ID " + purchase,
       "what the subsidy would be for a purchase; changes nothing (retailer)", Quote},
      {"redeem",
       "redeem VOUCHER_ID [--merchant M] --terminal T " + identity + " " + purchase +
           " [--scrap-receipt R]",
       "redeem at the till; --merchant defaults to the id of --as retailer:ID (retailer)",
       Redeem},
      {"redemption get", "redemption get REDEMPTION_ID", "show a redemption", RedemptionGet},
      {"redemption reverse", "redemption reverse REDEMPTION_ID [--merchant M] --reason R",
       "a whole-order return: claw the subsidy back (retailer)", RedemptionReverse},
      {"redemption adjust",
       "redemption adjust REDEMPTION_ID [--merchant M] --price YUAN --reason R",
       "a partial refund or price protection: the new, lower price; the subsidy is recomputed "
       "and the difference clawed back (retailer)",
       RedemptionAdjust},
  };
}

}  // namespace huanxin::ctl

// Programme, merchant, recycler and settlement commands (AdminService, plus
// AuditService.GetProgramStats for `program stats`).
#include <cstdlib>
#include <iostream>

#include <google/protobuf/util/time_util.h>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "common/proto_time.h"
#include "huanxin/v1/admin.grpc.pb.h"
#include "huanxin/v1/audit.grpc.pb.h"
#include "rules/cost_shares.h"
#include "tools/ctl/commands.h"
#include "tools/ctl/output.h"
#include "tools/ctl/yuan.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;

namespace {

int ProgramCreate(Context& ctx) {
  std::string file = ctx.args.Require("file");
  if (!ctx.Finish()) return kExitUsage;
  v1::CreateProgramRequest request;
  if (!LoadJsonFile(file, request.mutable_program())) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Program response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().CreateProgram(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response, /*detailed=*/true);
  return kExitOk;
}

int ProgramUpdateRules(Context& ctx) {
  v1::UpdateProgramRulesRequest request;
  request.set_program_id(ctx.args.RequirePositional("PROGRAM_ID"));
  std::string file = ctx.args.Require("file");
  std::optional<std::string> from = ctx.args.Take("effective-from");
  if (from && !google::protobuf::util::TimeUtil::FromString(*from,
                                                            request.mutable_effective_from())) {
    ctx.args.Fail("--effective-from takes an RFC 3339 time such as 2026-07-01T00:00:00+08:00, "
                  "got \"" + *from + "\"");
  }
  if (!ctx.Finish()) return kExitUsage;
  v1::Program rules;  // a programme file: only its rules are taken
  if (!LoadJsonFile(file, &rules)) return kExitUsage;
  *request.mutable_rules() = rules.rules();
  request.set_request_id(ctx.client.RequestId());
  v1::Program response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().UpdateProgramRules(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response, /*detailed=*/true);
  return kExitOk;
}

int ProgramGet(Context& ctx) {
  v1::GetProgramRequest request;
  request.set_program_id(ctx.args.RequirePositional("PROGRAM_ID"));
  if (!ctx.Finish()) return kExitUsage;
  v1::Program response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().GetProgram(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response, /*detailed=*/true);
  return kExitOk;
}

int ProgramList(Context& ctx) {
  v1::ListProgramsRequest request;
  if (auto size = ctx.args.Take("page-size")) {
    int n = 0;
    if (!absl::SimpleAtoi(*size, &n) || n <= 0 || n > 1000) {
      ctx.args.Fail("--page-size takes 1-1000, got \"" + *size + "\"");
    }
    request.set_page_size(n);
  }
  if (!ctx.Finish()) return kExitUsage;
  const bool json = ctx.client.options().json;
  std::vector<std::string> items;  // --json: every page's programmes, as one array
  int shown = 0;
  do {
    v1::ListProgramsResponse response;
    grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
      return ctx.client.admin().ListPrograms(c, request, &response);
    });
    if (!status.ok()) return ctx.client.ReportError(status);
    for (const v1::Program& p : response.programs()) {
      if (json) {
        items.push_back(ToJsonLine(p));
      } else {
        std::cout << ProgramLine(p) << "\n";
      }
    }
    shown += response.programs_size();
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  if (json) {
    EmitJsonArray(ctx.client, items);
  } else if (shown == 0) {
    std::cout << "no programs\n";
  }
  return kExitOk;
}

int ProgramFund(Context& ctx) {
  v1::FundProgramRequest request;
  request.set_program_id(ctx.args.RequirePositional("PROGRAM_ID"));
  std::string amount = ctx.args.RequirePositional("AMOUNT_YUAN");
  if (!amount.empty()) {
    std::optional<int64_t> fen = ParseYuanToFen(amount);
    if (!fen) {
      ctx.args.Fail(BadYuanMessage("AMOUNT_YUAN", amount));
    } else if (*fen == 0) {
      ctx.args.Fail("AMOUNT_YUAN must be more than 0, got \"" + amount + "\"");
    } else {
      request.set_amount_fen(*fen);
    }
  }
  request.set_memo(ctx.args.Take("memo").value_or(""));
  if (std::optional<std::string> source = ctx.args.Take("source")) {
    v1::FundSource value;
    if (!v1::FundSource_Parse(*source, &value) || value == v1::FUND_SOURCE_UNSPECIFIED) {
      ctx.args.Fail(std::string("--source must be ") + kFundSourceNames + ", got \"" + *source +
                    "\"");
    } else {
      request.set_source(value);
    }
  }
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::ProgramStats response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().FundProgram(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  if (!ctx.client.options().json) {
    std::cout << "funded " << request.program_id() << " with " << FormatYuan(request.amount_fen())
              << "\n";
  }
  Show(ctx.client, response);
  return kExitOk;
}

int SetProgramState(Context& ctx, v1::Program::State state) {
  v1::SetProgramStateRequest request;
  request.set_program_id(ctx.args.RequirePositional("PROGRAM_ID"));
  request.set_reason(ctx.args.Require("reason"));
  request.set_state(state);
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Program response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().SetProgramState(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response, /*detailed=*/false);
  return kExitOk;
}
int ProgramPause(Context& ctx) { return SetProgramState(ctx, v1::Program::PAUSED); }
int ProgramResume(Context& ctx) { return SetProgramState(ctx, v1::Program::ACTIVE); }
int ProgramClose(Context& ctx) { return SetProgramState(ctx, v1::Program::CLOSED); }

int ProgramStats(Context& ctx) {
  v1::GetProgramStatsRequest request;
  request.set_program_id(ctx.args.RequirePositional("PROGRAM_ID"));
  if (!ctx.Finish()) return kExitUsage;
  v1::ProgramStats response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.audit().GetProgramStats(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int MerchantRegister(Context& ctx) {
  v1::RegisterMerchantRequest request;
  v1::Merchant* merchant = request.mutable_merchant();
  std::optional<std::string> file = ctx.args.Take("file");
  if (!file) {
    merchant->set_merchant_id(ctx.args.Require("id"));
    merchant->set_name(ctx.args.Require("name"));
    merchant->set_region_code(ctx.args.Require("region"));
    for (const std::string& value : ctx.args.TakeAll("program")) {
      // --program may repeat and may hold a comma list.
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        std::string id = value.substr(start, comma == std::string::npos ? std::string::npos
                                                                        : comma - start);
        if (!id.empty()) merchant->add_program_ids(id);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
  }
  if (!ctx.Finish()) return kExitUsage;
  if (file && !LoadJsonFile(*file, merchant)) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Merchant response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().RegisterMerchant(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int MerchantGet(Context& ctx) {
  v1::GetMerchantRequest request;
  request.set_merchant_id(ctx.args.RequirePositional("MERCHANT_ID"));
  if (!ctx.Finish()) return kExitUsage;
  v1::Merchant response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().GetMerchant(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int SetMerchantState(Context& ctx, v1::Merchant::State state) {
  v1::SetMerchantStateRequest request;
  request.set_merchant_id(ctx.args.RequirePositional("MERCHANT_ID"));
  request.set_reason(ctx.args.Require("reason"));
  request.set_state(state);
  if (!ctx.Finish()) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Merchant response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().SetMerchantState(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}
int MerchantSuspend(Context& ctx) { return SetMerchantState(ctx, v1::Merchant::SUSPENDED); }
int MerchantActivate(Context& ctx) { return SetMerchantState(ctx, v1::Merchant::ACTIVE); }
int MerchantBlacklist(Context& ctx) { return SetMerchantState(ctx, v1::Merchant::BLACKLISTED); }

int RecyclerRegister(Context& ctx) {
  v1::RegisterRecyclerRequest request;
  v1::Recycler* recycler = request.mutable_recycler();
  std::optional<std::string> file = ctx.args.Take("file");
  if (!file) {
    recycler->set_recycler_id(ctx.args.Require("id"));
    recycler->set_name(ctx.args.Require("name"));
    recycler->set_region_code(ctx.args.Require("region"));
    for (const std::string& value : ctx.args.TakeAll("accepts")) {
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        std::string kind = value.substr(start, comma == std::string::npos ? std::string::npos
                                                                          : comma - start);
        v1::ScrapReceipt::ItemKind parsed;
        if (!kind.empty()) {
          if (v1::ScrapReceipt::ItemKind_Parse(kind, &parsed) &&
              parsed != v1::ScrapReceipt::ITEM_KIND_UNSPECIFIED) {
            recycler->add_accepts(parsed);
          } else {
            ctx.args.Fail("--accepts takes VEHICLE and/or APPLIANCE, got \"" + kind + "\"");
          }
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
  }
  if (!ctx.Finish()) return kExitUsage;
  if (file && !LoadJsonFile(*file, recycler)) return kExitUsage;
  request.set_request_id(ctx.client.RequestId());
  v1::Recycler response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().RegisterRecycler(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

int SettlementCreate(Context& ctx) {
  v1::CreateSettlementRequest request;
  request.set_merchant_id(ctx.args.RequirePositional("MERCHANT_ID"));
  std::optional<std::string> up_to = ctx.args.Take("up-to");
  if (up_to && !google::protobuf::util::TimeUtil::FromString(*up_to,
                                                              request.mutable_up_to_time())) {
    ctx.args.Fail("--up-to takes an RFC 3339 time such as 2025-06-30T23:59:59+08:00, got \"" +
                  *up_to + "\"");
  }
  if (!ctx.Finish()) return kExitUsage;
  if (!up_to) {
    // To the nanosecond: TimeUtil::GetCurrentTime() gives whole seconds here, which left
    // the sales of the current second for the next settlement.
    *request.mutable_up_to_time() = ToProto(absl::Now());
  }
  request.set_request_id(ctx.client.RequestId());
  v1::Settlement response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().CreateSettlement(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Show(ctx.client, response);
  return kExitOk;
}

}  // namespace

std::vector<Command> AdminCommands() {
  return {
      {"program create", "program create --file PROGRAM.json",
       "create a programme from a huanxin.v1.Program in JSON (admin)", ProgramCreate},
      {"program update-rules",
       "program update-rules PROGRAM_ID --file PROGRAM.json [--effective-from RFC3339]",
       "amend a programme's category rules (the file's rules) from a time on, default now; "
       "a new rules version (admin)",
       ProgramUpdateRules},
      {"program get", "program get PROGRAM_ID", "show a programme and its category rules",
       ProgramGet},
      {"program list", "program list [--page-size N]", "list every programme (all pages)",
       ProgramList},
      {"program fund", "program fund PROGRAM_ID AMOUNT_YUAN [--memo M] [--source SOURCE]",
       "add budget from SOURCE (CENTRAL, PROVINCIAL, MUNICIPAL, COUNTY, ENTERPRISE; required "
       "when the programme has cost_shares), e.g. 5000000 or 12.50 yuan, converted exactly to fen (admin)", ProgramFund},
      {"program pause", "program pause PROGRAM_ID --reason R",
       "stop issuing new vouchers (SetProgramState PAUSED); vouchers already issued can "
       "still be redeemed, cancelled and expire, and funding and settlement go on (admin)",
       ProgramPause},
      {"program resume", "program resume PROGRAM_ID --reason R",
       "make a paused programme ACTIVE again (admin)", ProgramResume},
      {"program close", "program close PROGRAM_ID --reason R",
       "close a programme for good (admin)", ProgramClose},
      {"program stats", "program stats PROGRAM_ID",
       "the books: funded / available / held / payable / settled, and counts (auditor)",
       ProgramStats},
      {"merchant register",
       "merchant register --file MERCHANT.json | --id ID --name N --region CODE --program P...",
       "register a merchant and the programmes it may redeem (admin)", MerchantRegister},
      {"merchant get", "merchant get MERCHANT_ID", "show a merchant", MerchantGet},
      {"merchant suspend", "merchant suspend MERCHANT_ID --reason R",
       "stop a merchant redeeming (admin)", MerchantSuspend},
      {"merchant activate", "merchant activate MERCHANT_ID --reason R",
       "let a suspended merchant redeem again (admin)", MerchantActivate},
      {"merchant blacklist", "merchant blacklist MERCHANT_ID --reason R",
       "blacklist a merchant caught in fraud (admin)", MerchantBlacklist},
      {"recycler register",
       "recycler register --file RECYCLER.json | --id ID --name N --region CODE --accepts VEHICLE,APPLIANCE",
       "register a recycler (admin)", RecyclerRegister},
      {"settlement create", "settlement create MERCHANT_ID [--up-to RFC3339]",
       "pay out the merchant's completed redemptions up to a time (default: now, so give --up-to when retrying with --request-id) (admin)",
       SettlementCreate},
  };
}

}  // namespace huanxin::ctl

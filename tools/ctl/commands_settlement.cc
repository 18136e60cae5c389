// Settlement read-out commands (AdminService.GetSettlement; admin or auditor):
//   settlement get ID                 the settlement, its programme lines and its redemptions
//   settlement export ID [--csv FILE] [--excel]
//                                     the redemptions as CSV for the finance bureau's
//                                     reconciliation, with each sale's invoice and serial
//                                     number (money in integer fen; --excel: the
//                                     spreadsheet form of tools/ctl/csv.h)
// `settlement create` lives with the other AdminService commands in commands_admin.cc.
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "huanxin/v1/admin.grpc.pb.h"
#include "tools/ctl/commands.h"
#include "tools/ctl/csv.h"
#include "tools/ctl/output.h"
#include "tools/ctl/yuan.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;

namespace {

// The CSV columns, in order.
const std::vector<CsvColumn>& CsvColumns() {
  static const auto* columns = new std::vector<CsvColumn>{
      {"settlement_id", "结算单编号"},
      {"merchant_id", "商户编号"},
      {"redemption_id", "核销编号"},
      {"voucher_id", "补贴券编号"},
      {"program_id", "项目编号"},
      {"redeemed_at", "核销时间"},
      {"price_fen", "售价(元)"},
      {"subsidy_fen", "补贴金额(元)"},
      {"state", "状态"},
      {"invoice_number", "发票号码"},
      {"serial_number", "产品序列号"},
  };
  return *columns;
}

// The export as text: the header, then one line per redemption ("\n" endings); with
// `excel`, the spreadsheet form (tools/ctl/csv.h).
std::string SettlementCsv(const v1::SettlementDetail& detail, bool excel) {
  const v1::Settlement& s = detail.settlement();
  std::ostringstream out;
  out << CsvHeader(CsvColumns(), excel);
  for (const v1::Redemption& r : detail.lines()) {
    const std::vector<std::string> fields = {
        s.settlement_id(),
        s.merchant_id(),
        r.redemption_id(),
        r.voucher_id(),
        r.program_id(),
        FormatTime(r.redeemed_at()),
        CsvAmount(r.price_fen(), excel),
        CsvAmount(r.subsidy_fen(), excel),
        v1::Redemption::State_Name(r.state()),
        r.purchase().invoice_number(),
        r.purchase().serial_number(),
    };
    out << CsvRow(fields, excel);
  }
  return out.str();
}

std::string SettlementText(const v1::SettlementDetail& detail) {
  const v1::Settlement& s = detail.settlement();
  std::string text = "settlement " + s.settlement_id() + "  merchant " + s.merchant_id() +
                     "  paid " + FormatYuan(s.total_fen()) + " = gross " +
                     FormatYuan(s.gross_fen()) + " - clawback " + FormatYuan(s.clawback_fen()) +
                     "  redemptions " + std::to_string(s.redemption_count()) + "\n  up to " +
                     FormatTime(s.up_to_time()) + "  created " + FormatTime(s.created_at()) +
                     "  ledger seq " + std::to_string(s.ledger_seq());
  for (const v1::Settlement::ProgramLine& p : s.programs()) {
    text += "\n  program " + p.program_id() + "  gross " + FormatYuan(p.gross_fen()) +
            "  clawback " + FormatYuan(p.clawback_fen()) + "  paid " + FormatYuan(p.paid_fen());
  }
  for (const v1::Redemption& r : detail.lines()) {
    text += "\n  redemption " + r.redemption_id() + "  " +
            v1::Redemption::State_Name(r.state()) + "  program " + r.program_id() +
            "  voucher " + r.voucher_id() + "  price " + FormatYuan(r.price_fen()) +
            "  subsidy " + FormatYuan(r.subsidy_fen()) + "  at " + FormatTime(r.redeemed_at());
  }
  return text;
}

// The settlement with every one of its lines, fetched a page at a time (a settlement of a
// busy merchant's month outgrows one response).
grpc::Status FetchSettlement(Context& ctx, const std::string& id, v1::SettlementDetail* out) {
  constexpr int32_t kPageSize = 1000;  // the most the service gives per page
  v1::GetSettlementRequest request;
  request.set_settlement_id(id);
  request.set_page_size(kPageSize);
  out->Clear();
  do {
    v1::SettlementDetail page;
    grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
      return ctx.client.admin().GetSettlement(c, request, &page);
    });
    if (!status.ok()) return status;
    *out->mutable_settlement() = std::move(*page.mutable_settlement());
    for (v1::Redemption& line : *page.mutable_lines()) *out->add_lines() = std::move(line);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return grpc::Status::OK;
}

int SettlementGet(Context& ctx) {
  const std::string id = ctx.args.RequirePositional("SETTLEMENT_ID");
  if (!ctx.Finish()) return kExitUsage;
  v1::SettlementDetail detail;
  grpc::Status status = FetchSettlement(ctx, id, &detail);
  if (!status.ok()) return ctx.client.ReportError(status);
  Emit(ctx.client, detail, SettlementText(detail));
  return kExitOk;
}

int SettlementExport(Context& ctx) {
  const std::string id = ctx.args.RequirePositional("SETTLEMENT_ID");
  std::optional<std::string> file = ctx.args.Take("csv");
  if (file && file->empty()) ctx.args.Fail("--csv needs a file name");
  const bool excel = ctx.args.TakeBool("excel");
  if (!ctx.Finish()) return kExitUsage;
  v1::SettlementDetail detail;
  grpc::Status status = FetchSettlement(ctx, id, &detail);
  if (!status.ok()) return ctx.client.ReportError(status);
  const std::string csv = ctx.client.Redact(SettlementCsv(detail, excel));
  if (!file) {
    std::cout << csv << std::flush;
    return kExitOk;
  }
  std::ofstream out(*file, std::ios::binary | std::ios::trunc);
  out << csv;
  out.close();
  if (!out) {
    std::cerr << "error: cannot write " << *file << "\n";
    return kExitUsage;
  }
  const v1::Settlement& s = detail.settlement();
  std::cout << "wrote " << detail.lines_size() << " redemption line"
            << (detail.lines_size() == 1 ? "" : "s") << " of settlement " << s.settlement_id()
            << " to " << *file << "  (paid " << FormatYuan(s.total_fen()) << " = gross "
            << FormatYuan(s.gross_fen()) << " - clawback " << FormatYuan(s.clawback_fen())
            << ")\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> SettlementCommands() {
  return {
      {"settlement get", "settlement get SETTLEMENT_ID",
       "show a settlement: paid = gross - clawback per programme, and the redemptions it paid "
       "as they stand now (admin, auditor)",
       SettlementGet},
      {"settlement export", "settlement export SETTLEMENT_ID [--csv FILE] [--excel]",
       "the settlement's redemptions as CSV (settlement_id, merchant_id, redemption_id, "
       "voucher_id, program_id, redeemed_at, price_fen, subsidy_fen, state, invoice_number, "
       "serial_number; money in fen) on stdout or into FILE, for the finance bureau's "
       "reconciliation; --excel for spreadsheets (UTF-8 with BOM, Chinese headers, money in "
       "yuan) (admin, auditor)",
       SettlementExport},
  };
}

}  // namespace huanxin::ctl

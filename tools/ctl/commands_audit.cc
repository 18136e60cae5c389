// The auditor's commands (AuditService; role auditor):
//   audit checkpoint [--save FILE]   the signed checkpoint: size, root, verifier key, note
//   audit export --format csv|jsonl [--excel] [--program P] [--from T] [--to T] [--out FILE]
//                [--checkpoint FILE]
//       entries as CSV or JSON lines of EntryWithLeaf (for huanxin-verify). CSV rows carry
//       each entry's ids (voucher, redemption, receipt, recycler, settlement), the state it
//       left its object in, the reason given and a denial's category; --excel is the same CSV
//       for spreadsheets (tools/ctl/csv.h).
//       A jsonl export without filters streams the whole log from seq 0, so it verifies;
//       --checkpoint saves the checkpoint taken just before and stops the stream at its size,
//       so the two files check against each other.
//   audit report [--year Y] [--appliance-baseline N]   (commands_audit_report.cc)
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/signed_note.h"
#include "tools/ctl/audit_entries.h"
#include "tools/ctl/commands.h"
#include "tools/ctl/csv.h"
#include "tools/ctl/output.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;

namespace {

bool WriteFileOrComplain(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  out.close();
  if (!out) {
    std::cerr << "error: cannot write " << path << "\n";
    return false;
  }
  return true;
}

grpc::Status FetchCheckpoint(Context& ctx, v1::Checkpoint* out) {
  return Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.audit().GetCheckpoint(c, v1::GetCheckpointRequest(), out);
  });
}

int AuditCheckpoint(Context& ctx) {
  std::optional<std::string> save = ctx.args.Take("save");
  if (save && save->empty()) ctx.args.Fail("--save needs a file name");
  if (!ctx.Finish()) return kExitUsage;
  v1::Checkpoint cp;
  grpc::Status status = FetchCheckpoint(ctx, &cp);
  if (!status.ok()) return ctx.client.ReportError(status);
  // A sanity check of what the server sent, not a verification: the key came with the note.
  // Auditors verify with a key they got elsewhere (huanxin-verify --vkey).
  absl::StatusOr<note::Checkpoint> parsed = note::VerifyCheckpoint(cp.signed_note(),
                                                                   cp.verifier_key());
  Emit(ctx.client, cp,
       absl::StrCat("tree size ", cp.tree_size(), "\nroot ",
                    absl::BytesToHexString(cp.root_hash()), "\nverifier key ",
                    cp.verifier_key(), "\n\n", cp.signed_note()));
  if (!parsed.ok()) {
    std::cerr << "warning: the note does not verify with the key sent beside it: "
              << parsed.status().message() << "\n";
  }
  if (save) {
    if (!WriteFileOrComplain(*save, cp.signed_note())) return kExitUsage;
    std::cerr << "saved the checkpoint note to " << *save << "\n";
  }
  return parsed.ok() ? kExitOk : kExitRpcError;
}

// The CSV columns, in order.
const std::vector<CsvColumn>& CsvColumns() {
  static const auto* columns = new std::vector<CsvColumn>{
      {"seq", "序号"},
      {"time", "时间"},
      {"type", "类型"},
      {"actor", "操作方"},
      {"program_id", "项目编号"},
      {"merchant_id", "商户编号"},
      {"amount_fen", "金额(元)"},
      {"postings", "记账分录"},
      {"voucher_id", "补贴券编号"},
      {"redemption_id", "核销编号"},
      {"receipt_id", "回收证明编号"},
      {"recycler_id", "回收企业编号"},
      {"settlement_id", "结算单编号"},
      {"state", "状态"},
      {"reason", "原因"},
      {"denial_category", "拒绝类别"},
  };
  return *columns;
}

std::string CsvLine(const v1::LedgerEntry& e, bool excel) {
  EntryFacts f = FactsOf(e);
  std::string postings;
  for (const v1::Posting& p : e.postings()) {
    absl::StrAppend(&postings, postings.empty() ? "" : "; ", p.debit_account(), " -> ",
                    p.credit_account(), " ", CsvAmount(p.amount_fen(), excel));
  }
  const std::vector<std::string> fields = {
      std::to_string(e.seq()),
      FormatTime(e.time()),
      v1::LedgerEntry::Type_Name(e.type()),
      e.actor(),
      f.program_id,
      f.merchant_id,
      f.amount_fen ? CsvAmount(*f.amount_fen, excel) : "",
      postings,
      f.voucher_id,
      f.redemption_id,
      f.receipt_id,
      f.recycler_id,
      f.settlement_id,
      f.state,
      f.reason,
      f.denial_category,
  };
  return CsvRow(fields, excel);
}

int AuditExport(Context& ctx) {
  const bool excel = ctx.args.TakeBool("excel");
  // --excel alone means the spreadsheet form of the CSV.
  const std::string format = excel ? ctx.args.Take("format").value_or("csv")
                                   : ctx.args.Require("format");
  if (!format.empty() && format != "csv" && format != "jsonl") {
    ctx.args.Fail("--format takes csv or jsonl, got \"" + format + "\"");
  }
  if (excel && format != "csv") ctx.args.Fail("--excel goes with --format csv");
  v1::EntryFilter filter;
  filter.set_program_id(ctx.args.Take("program").value_or(""));
  if (std::optional<std::string> from = ctx.args.Take("from")) {
    if (!ParseTimeFlag(*from, false, filter.mutable_from_time())) {
      ctx.args.Fail("--from takes an RFC 3339 time or a date YYYY-MM-DD, got \"" + *from + "\"");
    }
  }
  if (std::optional<std::string> to = ctx.args.Take("to")) {
    if (!ParseTimeFlag(*to, true, filter.mutable_to_time())) {
      ctx.args.Fail("--to takes an RFC 3339 time or a date YYYY-MM-DD, got \"" + *to + "\"");
    }
  }
  std::optional<std::string> out_file = ctx.args.Take("out");
  std::optional<std::string> checkpoint_file = ctx.args.Take("checkpoint");
  const bool filtered =
      !filter.program_id().empty() || filter.has_from_time() || filter.has_to_time();
  if (checkpoint_file && (format != "jsonl" || filtered)) {
    ctx.args.Fail("--checkpoint goes with a whole-log export: --format jsonl without filters");
  }
  if (!ctx.Finish()) return kExitUsage;

  std::ostream* out = &std::cout;
  std::ofstream file;
  if (out_file) {
    file.open(*out_file, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "error: cannot write " << *out_file << "\n";
      return kExitUsage;
    }
    out = &file;
  }
  int64_t count = 0;
  grpc::Status status;
  if (format == "csv") {
    *out << CsvHeader(CsvColumns(), excel);
    status = ForEachEntry(ctx, filter, [&](const v1::LedgerEntry& e) {
      *out << CsvLine(e, excel);
      ++count;
      return true;
    });
  } else if (!filtered) {
    // The whole log, leaf_data included, from one stream.
    v1::Checkpoint cp;
    if (checkpoint_file) {
      status = FetchCheckpoint(ctx, &cp);
      if (!status.ok()) return ctx.client.ReportError(status);
      if (!WriteFileOrComplain(*checkpoint_file, cp.signed_note())) return kExitUsage;
    }
    grpc::ClientContext c;
    ctx.client.Prepare(c);
    c.set_deadline(std::chrono::system_clock::time_point::max());  // a stream takes its time
    v1::StreamEntriesRequest request;
    std::unique_ptr<grpc::ClientReader<v1::EntryWithLeaf>> reader =
        ctx.client.audit().StreamEntries(&c, request);
    v1::EntryWithLeaf e;
    const bool bounded = checkpoint_file.has_value();
    while ((!bounded || count < cp.tree_size()) && reader->Read(&e)) {
      *out << ToJsonLine(e) << "\n";
      ++count;
    }
    if (bounded && count >= cp.tree_size()) {
      c.TryCancel();
      reader->Finish();
    } else {
      status = reader->Finish();
    }
  } else {
    // Filtered: the matching entries, each fetched again with its leaf_data.
    grpc::Status get_status;
    status = ForEachEntry(ctx, filter, [&](const v1::LedgerEntry& entry) {
      v1::GetEntryRequest request;
      request.set_seq(entry.seq());
      v1::EntryWithLeaf e;
      grpc::Status s = Call(ctx.client, [&](grpc::ClientContext* c) {
        return ctx.client.audit().GetEntry(c, request, &e);
      });
      if (!s.ok()) {
        get_status = s;
        return false;
      }
      *out << ToJsonLine(e) << "\n";
      ++count;
      return true;
    });
    if (status.ok()) status = get_status;
  }
  out->flush();
  if (!status.ok()) return ctx.client.ReportError(status);
  if (out_file) {
    file.close();
    if (!file) {
      std::cerr << "error: cannot write " << *out_file << "\n";
      return kExitUsage;
    }
    std::cerr << "wrote " << count << " entr" << (count == 1 ? "y" : "ies") << " to "
              << *out_file << "\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> AuditCommands() {
  return {
      {"audit checkpoint", "audit checkpoint [--save FILE]",
       "the ledger's signed checkpoint: tree size, root (hex), the verifier key and the note; "
       "--save writes the note for huanxin-verify --checkpoint/--previous (auditor)",
       AuditCheckpoint},
      {"audit export",
       "audit export --format csv|jsonl [--excel] [--program P] [--from TIME] [--to TIME] "
       "[--out FILE] [--checkpoint FILE]",
       "ledger entries (TIME: RFC 3339 or YYYY-MM-DD, inclusive) as CSV (seq, time, type, "
       "actor, program_id, merchant_id, amount_fen, postings, voucher_id, redemption_id, "
       "receipt_id, recycler_id, settlement_id, state, reason, denial_category) or JSON lines "
       "of EntryWithLeaf; --excel writes the CSV for spreadsheets (UTF-8 with BOM, Chinese "
       "headers, amounts in yuan); jsonl without filters is the whole log, and with "
       "--checkpoint also the checkpoint it verifies against (huanxin-verify --export "
       "--checkpoint) (auditor)",
       AuditExport},
      {"audit report", "audit report [--year YYYY] [--appliance-baseline N]",
       "subsidies paid by programme, category and county (merchant region), net of returns, "
       "and the plan's targets: scrapped cars confirmed against 10,000 a year, appliance "
       "recycling receipts (against N * 115% with the 2023 baseline N) (auditor)",
       AuditReport},
  };
}

}  // namespace huanxin::ctl

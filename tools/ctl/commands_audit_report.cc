// `audit report`: what the commerce bureau reports on a year, from the ledger alone.
//   - Subsidies by programme, category and county (the redeeming merchant's region_code, as
//     its MERCHANT_REGISTERED / MERCHANT_STATE_CHANGED entries give it): REDEMPTION_COMPLETED
//     entries of the year minus REDEMPTION_REVERSED entries of the year (a return is counted
//     in the year it happened). Redemptions still under review are included (their subsidy
//     is already payable) and counted apart.
//   - The plan's targets (docs/policy.md, 滨政发〔2024〕8号): scrapped cars recovered, counted as
//     RECEIPT_CONFIRMED entries with item_kind VEHICLE in the year (less RECEIPT_VOIDED ones),
//     against 10,000 a year; appliance recycling receipts (item_kind APPLIANCE) against the
//     year before and, given the 2023 count (--appliance-baseline), against +15% (2025-26)
//     or +30% (2027 on).
// Years are Asia/Shanghai calendar years. With --json the same figures as one JSON object
// (year, lines, by_program, by_county, total, targets).
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include <google/protobuf/struct.pb.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "common/shanghai_time.h"
#include "tools/ctl/audit_entries.h"
#include "tools/ctl/commands.h"
#include "tools/ctl/output.h"
#include "tools/ctl/yuan.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;

namespace {

constexpr int64_t kScrappedCarsTarget = 10000;

struct Line {
  int64_t redeemed = 0;
  int64_t subsidy_fen = 0;
  int64_t under_review = 0;
  int64_t returned = 0;
  int64_t clawed_back_fen = 0;
  int64_t net_fen() const { return subsidy_fen - clawed_back_fen; }
  void Add(const Line& o) {
    redeemed += o.redeemed;
    subsidy_fen += o.subsidy_fen;
    under_review += o.under_review;
    returned += o.returned;
    clawed_back_fen += o.clawed_back_fen;
  }
};

struct Receipts {
  int64_t vehicles = 0, vehicles_voided = 0;
  int64_t appliances = 0, appliances_voided = 0;
};

v1::EntryFilter YearFilter(int year, std::initializer_list<v1::LedgerEntry::Type> types) {
  v1::EntryFilter f;
  for (auto t : types) f.add_types(t);
  *f.mutable_from_time() = ToProto(ShanghaiStartOfDay(absl::CivilDay(year, 1, 1)));
  *f.mutable_to_time() =
      ToProto(ShanghaiStartOfDay(absl::CivilDay(year + 1, 1, 1)) - absl::Nanoseconds(1));
  return f;
}

grpc::Status CountReceipts(Context& ctx, int year, Receipts* out) {
  return ForEachEntry(
      ctx, YearFilter(year, {v1::LedgerEntry::RECEIPT_CONFIRMED, v1::LedgerEntry::RECEIPT_VOIDED}),
      [out](const v1::LedgerEntry& e) {
        const bool voided = e.has_receipt_voided();
        const v1::ScrapReceipt& r =
            voided ? e.receipt_voided().receipt() : e.receipt_confirmed().receipt();
        if (r.item_kind() == v1::ScrapReceipt::VEHICLE) {
          ++(voided ? out->vehicles_voided : out->vehicles);
        }
        if (r.item_kind() == v1::ScrapReceipt::APPLIANCE) {
          ++(voided ? out->appliances_voided : out->appliances);
        }
        return true;
      });
}

// --json: the report as one google.protobuf.Struct. Counts and fen are JSON numbers (exact:
// far below 2^53), named as in the readable report, amounts with _fen.
namespace pb = ::google::protobuf;

void Put(pb::Struct& s, const std::string& key, int64_t value) {
  (*s.mutable_fields())[key].set_number_value(static_cast<double>(value));
}
void Put(pb::Struct& s, const std::string& key, const std::string& value) {
  (*s.mutable_fields())[key].set_string_value(value);
}
pb::Struct* Child(pb::Struct& s, const std::string& key) {
  return (*s.mutable_fields())[key].mutable_struct_value();
}
void PutLine(pb::Struct& s, const Line& line) {
  Put(s, "redeemed", line.redeemed);
  Put(s, "subsidy_fen", line.subsidy_fen);
  Put(s, "under_review", line.under_review);
  Put(s, "returned", line.returned);
  Put(s, "clawed_back_fen", line.clawed_back_fen);
  Put(s, "net_fen", line.net_fen());
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return "-";
  return absl::StrFormat("%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

}  // namespace

int AuditReport(Context& ctx) {
  int year = static_cast<int>(ShanghaiDay(absl::Now()).year());
  if (std::optional<std::string> y = ctx.args.Take("year")) {
    if (!absl::SimpleAtoi(*y, &year) || year < 2000 || year > 2100) {
      ctx.args.Fail("--year takes a year 2000-2100, got \"" + *y + "\"");
    }
  }
  int64_t baseline = -1;
  if (std::optional<std::string> b = ctx.args.Take("appliance-baseline")) {
    if (!absl::SimpleAtoi(*b, &baseline) || baseline < 0) {
      ctx.args.Fail("--appliance-baseline takes a count of 2023 receipts, got \"" + *b + "\"");
    }
  }
  if (!ctx.Finish()) return kExitUsage;

  // Merchants' counties, from their whole history (a merchant may predate the year).
  std::map<std::string, std::string> county;
  v1::EntryFilter merchants;
  merchants.add_types(v1::LedgerEntry::MERCHANT_REGISTERED);
  merchants.add_types(v1::LedgerEntry::MERCHANT_STATE_CHANGED);
  grpc::Status status = ForEachEntry(ctx, merchants, [&](const v1::LedgerEntry& e) {
    const v1::Merchant& m = e.has_merchant_registered() ? e.merchant_registered().merchant()
                                                        : e.merchant_state_changed().merchant();
    if (!m.region_code().empty()) county[m.merchant_id()] = m.region_code();
    return true;
  });
  if (!status.ok()) return ctx.client.ReportError(status);

  using Key = std::tuple<std::string, std::string, std::string>;  // programme, category, county
  std::map<Key, Line> lines;
  status = ForEachEntry(
      ctx,
      YearFilter(year,
                 {v1::LedgerEntry::REDEMPTION_COMPLETED, v1::LedgerEntry::REDEMPTION_REVERSED}),
      [&](const v1::LedgerEntry& e) {
        const bool reversed = e.has_redemption_reversed();
        const v1::Redemption& r = reversed ? e.redemption_reversed().redemption()
                                           : e.redemption_completed().redemption();
        auto c = county.find(r.merchant_id());
        Line& line = lines[Key{r.program_id(), r.purchase().category(),
                               c == county.end() ? "?" : c->second}];
        if (reversed) {
          ++line.returned;
          line.clawed_back_fen += r.subsidy_fen();
        } else {
          ++line.redeemed;
          line.subsidy_fen += r.subsidy_fen();
          if (r.state() == v1::Redemption::UNDER_REVIEW) ++line.under_review;
        }
        return true;
      });
  if (!status.ok()) return ctx.client.ReportError(status);
  Receipts now, before;
  status = CountReceipts(ctx, year, &now);
  if (status.ok()) status = CountReceipts(ctx, year - 1, &before);
  if (!status.ok()) return ctx.client.ReportError(status);

  std::map<std::string, Line> by_program, by_county;
  Line total;
  for (const auto& [key, line] : lines) {
    const auto& [program, category, region] = key;
    by_program[program].Add(line);
    by_county[region].Add(line);
    total.Add(line);
  }
  const int64_t cars = now.vehicles - now.vehicles_voided;
  const int64_t appliances = now.appliances - now.appliances_voided;
  const int64_t appliances_before = before.appliances - before.appliances_voided;
  const int64_t percent = year >= 2027 ? 30 : 15;
  const int64_t target = baseline >= 0 ? (baseline * (100 + percent) + 99) / 100 : -1;

  if (ctx.client.options().json) {
    pb::Struct report;
    Put(report, "year", year);
    pb::ListValue* rows = (*report.mutable_fields())["lines"].mutable_list_value();
    for (const auto& [key, line] : lines) {
      pb::Struct* row = rows->add_values()->mutable_struct_value();
      Put(*row, "program_id", std::get<0>(key));
      Put(*row, "category", std::get<1>(key));
      Put(*row, "county", std::get<2>(key));
      PutLine(*row, line);
    }
    pb::Struct* programs = Child(report, "by_program");
    for (const auto& [program, line] : by_program) PutLine(*Child(*programs, program), line);
    pb::Struct* counties = Child(report, "by_county");
    for (const auto& [region, line] : by_county) PutLine(*Child(*counties, region), line);
    PutLine(*Child(report, "total"), total);
    pb::Struct* targets = Child(report, "targets");
    Put(*targets, "scrapped_cars", cars);
    Put(*targets, "scrapped_cars_target", kScrappedCarsTarget);
    Put(*targets, "vehicles_confirmed", now.vehicles);
    Put(*targets, "vehicles_voided", now.vehicles_voided);
    Put(*targets, "appliance_receipts", appliances);
    Put(*targets, "appliances_confirmed", now.appliances);
    Put(*targets, "appliances_voided", now.appliances_voided);
    Put(*targets, "appliance_receipts_year_before", appliances_before);
    if (baseline >= 0) {
      Put(*targets, "appliance_baseline_2023", baseline);
      Put(*targets, "appliance_target", target);
    }
    std::cout << ctx.client.Redact(ToJsonLine(report)) << "\n";
    return kExitOk;
  }

  std::ostream& out = std::cout;
  out << "subsidies " << year << " (Asia/Shanghai), net of returns\n";
  out << absl::StrFormat("  %-28s %-18s %-7s %8s %16s %8s %16s %16s\n", "programme", "category",
                         "county", "redeemed", "subsidy", "returned", "clawed back", "net");
  for (const auto& [key, line] : lines) {
    const auto& [program, category, region] = key;
    out << absl::StrFormat("  %-28s %-18s %-7s %8d %16s %8d %16s %16s\n", program,
                           category.empty() ? "-" : category, region, line.redeemed,
                           FormatYuan(line.subsidy_fen), line.returned,
                           FormatYuan(line.clawed_back_fen), FormatYuan(line.net_fen()));
  }
  if (lines.empty()) out << "  (no redemptions)\n";
  out << "by programme:\n";
  for (const auto& [program, line] : by_program) {
    out << "  " << program << "  net " << FormatYuan(line.net_fen()) << "  (" << line.redeemed
        << " redeemed, " << line.under_review << " under review, " << line.returned
        << " returned)\n";
  }
  out << "by county:\n";
  for (const auto& [region, line] : by_county) {
    out << "  " << region << "  net " << FormatYuan(line.net_fen()) << "  (" << line.redeemed
        << " redeemed, " << line.returned << " returned)\n";
  }
  out << "total net " << FormatYuan(total.net_fen()) << "  (" << total.redeemed << " redeemed, "
      << total.under_review << " under review, " << total.returned << " returned)\n";

  out << "\nplan targets " << year << " (滨政发〔2024〕8号)\n";
  out << "  scrapped cars recovered: " << cars << " of " << kScrappedCarsTarget << " ("
      << Percent(cars, kScrappedCarsTarget) << ")  [" << now.vehicles << " confirmed, "
      << now.vehicles_voided << " voided]\n";
  out << "  appliance recycling receipts: " << appliances << "  [" << now.appliances
      << " confirmed, " << now.appliances_voided << " voided]; " << year - 1 << ": "
      << appliances_before << "\n";
  if (baseline >= 0) {
    out << "  appliance target: +" << percent << "% over 2023 (" << baseline << ") = " << target
        << "; reached " << Percent(appliances, target) << "\n";
  } else {
    out << "  appliance target: +15% over 2023 by 2025 (+30% by 2027); give the 2023 count with "
           "--appliance-baseline N to compare\n";
  }
  return kExitOk;
}

}  // namespace huanxin::ctl

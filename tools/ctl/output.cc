#include "tools/ctl/output.h"

#include <ctime>
#include <iostream>

#include <google/protobuf/util/json_util.h>

#include "tools/ctl/yuan.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;

namespace {

// Left-pads `text` to `width` bytes (amounts all carry the same "¥", so bytes line up).
std::string PadLeft(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string PadRight(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

std::string Quoted(const std::string& text) { return text.empty() ? "" : "  \"" + text + "\""; }

std::string JoinStrings(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out.empty() ? "-" : out;
}

std::string RuleLine(const v1::CategoryRule& rule) {
  std::string line = "  rule " + PadRight(rule.category(), 16);
  if (rule.fixed_amount_fen() > 0) {
    line += "  fixed " + FormatYuan(rule.fixed_amount_fen());
  } else if (rule.grade1_rate_bp() > 0 || rule.grade2_rate_bp() > 0) {
    line += "  grade1 " + FormatBp(rule.grade1_rate_bp()) + "  grade2 " +
            FormatBp(rule.grade2_rate_bp());
  } else {
    line += "  rate " + FormatBp(rule.rate_bp());
  }
  if (rule.cap_fen() > 0) line += "  cap " + FormatYuan(rule.cap_fen());
  if (rule.price_ceiling_fen() > 0) line += "  price <= " + FormatYuan(rule.price_ceiling_fen());
  line += "  per consumer " +
          std::to_string(rule.per_consumer_limit() > 0 ? rule.per_consumer_limit() : 1);
  if (rule.requires_serial()) line += "  serial required";
  if (rule.requires_invoice()) line += "  invoice required";
  if (rule.requires_scrap_receipt()) line += "  scrap receipt required";
  if (rule.has_old_vehicle()) {
    const v1::VehicleEligibility& v = rule.old_vehicle();
    line += "  old vehicle:";
    if (v.max_emission_standard() > 0) {
      line += " emission <= " + std::to_string(v.max_emission_standard());
    }
    if (!v.petrol_registered_by().empty()) line += " petrol <= " + v.petrol_registered_by();
    if (!v.diesel_registered_by().empty()) line += " diesel <= " + v.diesel_registered_by();
    if (!v.nev_registered_by().empty()) line += " nev <= " + v.nev_registered_by();
    if (!v.owned_since_by().empty()) line += " owned since <= " + v.owned_since_by();
  }
  return line;
}

}  // namespace

std::string ToJsonLine(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return "{\"error\":\"cannot print message as JSON\"}";
  return json;
}

std::string FormatTime(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  std::time_t shanghai = static_cast<std::time_t>(time.seconds() + 8 * 3600);
  std::tm tm{};
  if (gmtime_r(&shanghai, &tm) == nullptr) return "-";
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return buffer;
}

std::string FormatDuration(const google::protobuf::Duration& duration) {
  int64_t s = duration.seconds();
  if (s == 0) return "0s";
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  return std::to_string(s) + "s";
}

std::string FormatBp(int64_t bp) {
  std::string out = std::to_string(bp / 100);
  int64_t rest = bp % 100;
  if (rest < 0) rest = -rest;
  if (rest != 0) {
    out += '.';
    out += static_cast<char>('0' + rest / 10);
    if (rest % 10 != 0) out += static_cast<char>('0' + rest % 10);
  }
  return out + "%";
}

void Emit(const Client& client, const google::protobuf::Message& message,
          const std::string& text) {
  std::cout << client.Redact(client.options().json ? ToJsonLine(message) : text) << "\n";
}

void EmitJsonArray(const Client& client, const std::vector<std::string>& items) {
  std::string json = "[";
  for (size_t i = 0; i < items.size(); ++i) json += (i ? "," : "") + items[i];
  std::cout << client.Redact(json + "]") << "\n";
}

std::string ProgramLine(const v1::Program& p) {
  return "program " + p.program_id() + "  " + v1::Program::State_Name(p.state()) + "  " +
         v1::Program::Kind_Name(p.kind()) + "  region " + p.region_code() + "  " +
         FormatTime(p.start_time()) + " .. " + FormatTime(p.end_time()) + "  " +
         std::to_string(p.rules_size()) + (p.rules_size() == 1 ? " category" : " categories") +
         Quoted(p.name());
}

void Show(const Client& client, const v1::Program& p, bool detailed) {
  std::string text = ProgramLine(p);
  if (detailed) {
    const std::string validity =
        p.voucher_validity_days() > 0
            ? "  vouchers valid " + std::to_string(p.voucher_validity_days()) + " calendar day(s)"
            : "  voucher ttl " + FormatDuration(p.voucher_ttl());
    text += "\n" + validity + "  daily voucher limit " +
            (p.daily_voucher_limit() > 0 ? std::to_string(p.daily_voucher_limit()) : "none") +
            "  per-consumer cap " +
            (p.per_consumer_total_cap_fen() > 0 ? FormatYuan(p.per_consumer_total_cap_fen())
                                                : "none") +
            "  refunds " + v1::Program::RefundPolicy_Name(p.refund_policy()) + "  ledger seq " +
            std::to_string(p.ledger_seq());
    if (!p.limit_group().empty()) text += "\n  limit group " + p.limit_group();
    if (p.max_claims_per_consumer() > 0) {
      text += "\n  claims per consumer and category at most " +
              std::to_string(p.max_claims_per_consumer());
    }
    if (!p.cost_shares().empty()) {
      text += "\n  cost shares";
      for (const v1::CostShare& share : p.cost_shares()) {
        text += " " + v1::FundSource_Name(share.source()) + " " + FormatBp(share.share_bp());
      }
    }
    if (p.rules_version() > 1) {
      text += "\n  rules version " + std::to_string(p.rules_version()) + ", in force from " +
              FormatTime(p.rules_effective_from()) + " (the version before decides until then)";
    }
    for (const v1::CategoryRule& rule : p.rules()) text += "\n" + RuleLine(rule);
  }
  Emit(client, p, text);
}

// "\n  funded by    CENTRAL ¥1.00  MUNICIPAL ¥2.00", or "" when `lines` is empty.
static std::string SourceLines(const std::string& label,
                               const google::protobuf::RepeatedPtrField<v1::SourceAmount>& lines) {
  if (lines.empty()) return "";
  std::string text = "\n  " + label + std::string(13 - label.size(), ' ');
  for (int i = 0; i < lines.size(); ++i) {
    const v1::FundSource source = lines[i].source();
    text += (i > 0 ? "  " : "") +
            (source == v1::FUND_SOURCE_UNSPECIFIED ? "no source" : v1::FundSource_Name(source)) +
            " " + FormatYuan(lines[i].amount_fen());
  }
  return text;
}

void Show(const Client& client, const v1::ProgramStats& s) {
  const size_t w = 20;
  std::string text = "program " + s.program_id() + "  (books as of ledger seq " +
                     std::to_string(s.ledger_seq()) + ")\n" +
                     "  funded     " + PadLeft(FormatYuan(s.funded_fen()), w) + "\n" +
                     "  available  " + PadLeft(FormatYuan(s.available_fen()), w) + "\n" +
                     "  held       " + PadLeft(FormatYuan(s.held_fen()), w) + "\n" +
                     "  payable    " + PadLeft(FormatYuan(s.payable_fen()), w) + "\n" +
                     "  settled    " + PadLeft(FormatYuan(s.settled_fen()), w) + "\n" +
                     "  vouchers     issued " + std::to_string(s.vouchers_issued()) +
                     "  redeemed " + std::to_string(s.vouchers_redeemed()) + "  expired " +
                     std::to_string(s.vouchers_expired()) + "  cancelled " +
                     std::to_string(s.vouchers_cancelled()) + "\n" +
                     "  redemptions  under review " + std::to_string(s.redemptions_under_review()) +
                     "  denied " + std::to_string(s.redemptions_denied()) + "  reversed " +
                     std::to_string(s.redemptions_reversed()) + "\n" +
                     "  denied by    input " + std::to_string(s.redemptions_denied_input()) +
                     "  eligibility " + std::to_string(s.redemptions_denied_eligibility()) +
                     "  fraud " + std::to_string(s.redemptions_denied_fraud());
  text += SourceLines("funded by", s.funded_by_source());
  text += SourceLines("spent by", s.spent_by_source());
  int64_t sum = s.available_fen() + s.held_fen() + s.payable_fen() + s.settled_fen();
  if (sum != s.funded_fen()) {
    text += "\n  WARNING: available + held + payable + settled = " + FormatYuan(sum) +
            " differs from funded";
  }
  Emit(client, s, text);
}

void Show(const Client& client, const v1::Merchant& m) {
  Emit(client, m,
       "merchant " + m.merchant_id() + "  " + v1::Merchant::State_Name(m.state()) + "  region " +
           m.region_code() + "  programs " + JoinStrings(m.program_ids()) + Quoted(m.name()));
}

void Show(const Client& client, const v1::Recycler& r) {
  std::string accepts;
  for (int i = 0; i < r.accepts_size(); ++i) {
    accepts += (i ? "," : "") + v1::ScrapReceipt::ItemKind_Name(r.accepts(i));
  }
  Emit(client, r,
       "recycler " + r.recycler_id() + "  " + v1::Recycler::State_Name(r.state()) + "  region " +
           r.region_code() + "  accepts " + (accepts.empty() ? "-" : accepts) + Quoted(r.name()));
}

std::string VoucherLine(const v1::Voucher& v) {
  std::string line = "voucher " + v.voucher_id() + "  " + v1::Voucher::State_Name(v.state()) +
                     "  held " + FormatYuan(v.held_fen()) + "  expires " +
                     FormatTime(v.expires_at()) + "  program " + v.program_id() + "  category " +
                     v.category() + "  consumer " + v.consumer_ref();
  if (!v.redemption_id().empty()) line += "  redemption " + v.redemption_id();
  return line;
}

void Show(const Client& client, const v1::Voucher& v) { Emit(client, v, VoucherLine(v)); }

void Show(const Client& client, const v1::QuoteSubsidyResponse& q) {
  Emit(client, q,
       "subsidy " + FormatYuan(q.subsidy_fen()) + "  consumer pays " +
           FormatYuan(q.consumer_pays_fen()));
}

void Show(const Client& client, const v1::Redemption& r) {
  std::string text = "redemption " + r.redemption_id() + "  " +
                     v1::Redemption::State_Name(r.state()) + "  " +
                     v1::Redemption::Decision_Name(r.decision()) + "  price " +
                     FormatYuan(r.price_fen()) + "  subsidy " + FormatYuan(r.subsidy_fen()) +
                     "  consumer pays " + FormatYuan(r.consumer_pays_fen()) + "\n  voucher " +
                     r.voucher_id() + "  merchant " + r.merchant_id();
  if (!r.terminal_id().empty()) text += "  terminal " + r.terminal_id();
  if (!r.program_id().empty()) text += "  program " + r.program_id();
  text += "  at " + FormatTime(r.redeemed_at()) + "  ledger seq " + std::to_string(r.ledger_seq());
  if (r.reasons_size() > 0) text += "\n  review reasons: " + JoinStrings(r.reasons());
  Emit(client, r, text);
}

void Show(const Client& client, const v1::Settlement& s) {
  Emit(client, s,
       "settlement " + s.settlement_id() + "  merchant " + s.merchant_id() + "  total " +
           FormatYuan(s.total_fen()) + " (gross " + FormatYuan(s.gross_fen()) +
           " - clawback " + FormatYuan(s.clawback_fen()) + ")  redemptions " +
           std::to_string(s.redemption_count()) +
           "  up to " + FormatTime(s.up_to_time()) + "  ledger seq " +
           std::to_string(s.ledger_seq()));
}

}  // namespace huanxin::ctl

// What huanxinctl prints on stdout. With --json every response message is printed as one
// line of protobuf JSON (field names as in the .proto files, every field present), and a
// list command's items as one JSON array; otherwise
// as short human-readable lines, amounts in yuan, times in Asia/Shanghai (+08:00).
// Everything passes through Client::Redact, so identity values typed on the command line
// never come back in clear.
#ifndef HUANXIN_TOOLS_CTL_OUTPUT_H_
#define HUANXIN_TOOLS_CTL_OUTPUT_H_

#include <string>
#include <vector>

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include "huanxin/v1/admin.pb.h"
#include "huanxin/v1/common.pb.h"
#include "huanxin/v1/issuance.pb.h"
#include "huanxin/v1/redemption.pb.h"
#include "tools/ctl/client.h"

namespace huanxin::ctl {

// One line of JSON for `message`.
std::string ToJsonLine(const google::protobuf::Message& message);

// "2025-01-01T00:00:00+08:00"; "-" for an unset timestamp.
std::string FormatTime(const google::protobuf::Timestamp& time);
// "3d", "36h", "90s".
std::string FormatDuration(const google::protobuf::Duration& duration);
// 2000 -> "20%", 1550 -> "15.5%", 1 -> "0.01%".
std::string FormatBp(int64_t bp);

// Prints `text` (readable mode) or `message` as JSON (--json), then a newline.
void Emit(const Client& client, const google::protobuf::Message& message, const std::string& text);

// The --json form of a list: `items` (each a ToJsonLine) as one JSON array on one line,
// "[]" when empty.
void EmitJsonArray(const Client& client, const std::vector<std::string>& items);

void Show(const Client& client, const huanxin::v1::Program& program, bool detailed);
void Show(const Client& client, const huanxin::v1::ProgramStats& stats);
void Show(const Client& client, const huanxin::v1::Merchant& merchant);
void Show(const Client& client, const huanxin::v1::Recycler& recycler);
void Show(const Client& client, const huanxin::v1::Voucher& voucher);
void Show(const Client& client, const huanxin::v1::QuoteSubsidyResponse& quote);
void Show(const Client& client, const huanxin::v1::Redemption& redemption);
void Show(const Client& client, const huanxin::v1::Settlement& settlement);

// The readable one-liners, for commands that print lists.
std::string ProgramLine(const huanxin::v1::Program& program);
std::string VoucherLine(const huanxin::v1::Voucher& voucher);

}  // namespace huanxin::ctl

#endif  // HUANXIN_TOOLS_CTL_OUTPUT_H_

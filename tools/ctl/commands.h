// The command table of huanxinctl and the helpers the command files share.
// A command is one or two words ("program create", "quote"); its function takes its flags
// from ctx.args, calls ctx.Finish() (which rejects anything left over), makes one or more
// RPCs and returns an exit code (cli.h: kExitOk, kExitRpcError, kExitUsage).
#ifndef HUANXIN_TOOLS_CTL_COMMANDS_H_
#define HUANXIN_TOOLS_CTL_COMMANDS_H_

#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include "huanxin/v1/common.pb.h"
#include "tools/ctl/cli.h"
#include "tools/ctl/client.h"

namespace huanxin::ctl {

struct Context {
  Client& client;
  Args& args;
  std::string usage;
  // True when the command line was fully and correctly consumed (see Args::Finish).
  bool Finish() { return args.Finish(usage); }
};

using CommandFn = int (*)(Context& ctx);

struct Command {
  std::string words;    // "program create"
  std::string usage;    // "program create --file F.json"
  std::string summary;  // one line for `huanxinctl help`
  CommandFn run;
};

// Each command file contributes its commands.
std::vector<Command> AdminCommands();     // commands_admin.cc: program, merchant, recycler, settlement
std::vector<Command> ConsumerCommands();  // commands_consumer.cc: voucher, quote, redeem, redemption
std::vector<Command> DemoCommands();      // commands_demo.cc: demo load
std::vector<Command> RecyclingCommands(); // commands_recycling.cc: receipt confirm/get/void
std::vector<Command> SettlementCommands(); // commands_settlement.cc: settlement get/export
std::vector<Command> BackupCommands();    // commands_backup.cc: backup
std::vector<Command> AuditCommands();     // commands_audit.cc: audit checkpoint/export/report
std::vector<Command> ReviewCommands();    // commands_review.cc: review list/approve/reject

// Runs one unary RPC with a prepared context: `fn(grpc::ClientContext*)` makes the call.
template <typename Fn>
grpc::Status Call(const Client& client, Fn&& fn) {
  grpc::ClientContext context;
  client.Prepare(context);
  return fn(&context);
}

// Reads a whole file. On failure prints "error: cannot read PATH: ..." and returns false.
bool ReadFileOrComplain(const std::string& path, std::string* contents);

// Parses protobuf JSON (strict: unknown fields are errors) into `message`. On failure prints
// "error: PATH: ..." and returns false.
bool ParseJsonOrComplain(const std::string& path, const std::string& json,
                         google::protobuf::Message* message);
// ReadFileOrComplain + ParseJsonOrComplain.
bool LoadJsonFile(const std::string& path, google::protobuf::Message* message);

// The elements of a top-level JSON array, each as its own JSON text. False (with *error) when
// `json` is not an array.
bool SplitJsonArray(const std::string& json, std::vector<std::string>* elements,
                    std::string* error);

// --id-number (required when `required`), --name, --phone, --device, --bank-card into
// `identity`; every value is registered with the client as a secret so it is never echoed.
void TakeIdentity(Context& ctx, bool required, huanxin::v1::ConsumerIdentity* identity);

// --price YUAN (required), --category (required), --grade N, --sku, --serial, --invoice,
// --brand, --model, and for a new car --car-energy TYPE [--car-displacement ML]
// [--nev-catalogue] [--passenger] into `purchase`.
void TakePurchase(Context& ctx, huanxin::v1::Purchase* purchase);
// The required --price, yuan as fen; 0 after a usage error (missing or not an amount).
int64_t TakePrice(Context& ctx);
// A small non-negative integer --name (at most `max`), or nullopt (absent, or after Fail()).
std::optional<int32_t> TakeInt(Context& ctx, const std::string& name, int32_t max);
// --name as a Vehicle.EnergyType other than UNSPECIFIED, or nullopt (absent, or after Fail()).
std::optional<huanxin::v1::Vehicle::EnergyType> TakeEnergyType(Context& ctx,
                                                               const std::string& name);

// The id part of the principal when its role is `role` ("retailer:m-1" -> "m-1"), else "".
std::string PrincipalIdIfRole(const Client& client, const std::string& role);

}  // namespace huanxin::ctl

#endif  // HUANXIN_TOOLS_CTL_COMMANDS_H_

// `demo load DIR`: creates the programmes, funding, merchants and recyclers of a demo set
// (deploy/demo/) with deterministic idempotency keys, so loading twice has no second effect:
// the server answers a repeated key + request with the first response.
//
// DIR/programs/*.json     each a huanxin.v1.Program        key demo:create:<program_id>
//                         with "state": "CLOSED" (or PAUSED): set after funding
//                                                          key demo:state:<program_id>
// DIR/funding.json        a JSON array of huanxin.v1.FundProgramRequest
//                         ({"program_id": ..., "amount_fen": ..., "source": ..., "memo": ...})
//                                                          key demo:fund:<program_id>, with
//                                                          :<source> when it has one
//                                                          (or the element's request_id)
// DIR/merchants/*.json    each a huanxin.v1.Merchant       key demo:merchant:<merchant_id>
// DIR/recyclers/*.json    each a huanxin.v1.Recycler       key demo:recycler:<recycler_id>
//
// Keys are scoped to the principal, so always load as the same one (admin:demo unless --as
// is given). A programme that exists already under another key (PROGRAM_EXISTS) is left
// alone and not funded again; merchants and recyclers that exist are left alone too.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include "huanxin/v1/admin.grpc.pb.h"
#include "tools/ctl/commands.h"
#include "tools/ctl/output.h"
#include "tools/ctl/yuan.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;
namespace fs = std::filesystem;

namespace {

// The *.json files of `dir`, sorted by name; empty when `dir` does not exist.
std::vector<std::string> JsonFiles(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code error;
  if (!fs::is_directory(dir, error)) return files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool HasReason(const grpc::Status& status, const std::string& reason) {
  return ErrorReason(status) == reason;
}

void Note(const Client& client, const std::string& text) {
  // Progress notes go to stderr so --json keeps stdout to response messages.
  std::cerr << client.Redact(text) << "\n";
}

int DemoLoad(Context& ctx) {
  fs::path dir = ctx.args.RequirePositional("DIR");
  if (!ctx.Finish()) return kExitUsage;
  if (!ctx.client.options().request_id.empty()) {
    std::cerr << "error: demo load makes its own request ids (demo:...); drop --request-id\n";
    return kExitUsage;
  }
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    std::cerr << "error: " << dir.string() << " is not a directory\n";
    return kExitUsage;
  }
  Client& client = ctx.client;
  Note(client, "loading " + dir.string() + " as " + client.options().principal);

  // Parse everything first, so a typo in the last file does not leave a half-loaded demo.
  std::vector<v1::CreateProgramRequest> programs;
  std::vector<v1::SetProgramStateRequest> states;  // a programme's state, once funded
  for (const std::string& file : JsonFiles(dir / "programs")) {
    v1::CreateProgramRequest request;
    if (!LoadJsonFile(file, request.mutable_program())) return kExitUsage;
    const std::string& id = request.program().program_id();
    request.set_request_id("demo:create:" + id);
    if (request.program().state() != v1::Program::STATE_UNSPECIFIED &&
        request.program().state() != v1::Program::ACTIVE) {
      v1::SetProgramStateRequest& state = states.emplace_back();
      state.set_request_id("demo:state:" + id);
      state.set_program_id(id);
      state.set_state(request.program().state());
      state.set_reason("demo: a past year's programme, kept as history");
    }
    request.mutable_program()->clear_state();  // output only in CreateProgram
    programs.push_back(std::move(request));
  }
  std::vector<v1::FundProgramRequest> fundings;
  if (fs::exists(dir / "funding.json", error)) {
    std::string path = (dir / "funding.json").string();
    std::string json;
    std::vector<std::string> elements;
    std::string split_error;
    if (!ReadFileOrComplain(path, &json)) return kExitUsage;
    if (!SplitJsonArray(json, &elements, &split_error)) {
      std::cerr << "error: " << path << ": " << split_error
                << " (of huanxin.v1.FundProgramRequest objects)\n";
      return kExitUsage;
    }
    for (const std::string& element : elements) {
      v1::FundProgramRequest request;
      if (!ParseJsonOrComplain(path, element, &request)) return kExitUsage;
      if (request.request_id().empty()) {
        request.set_request_id(
            "demo:fund:" + request.program_id() +
            (request.source() == v1::FUND_SOURCE_UNSPECIFIED
                 ? ""
                 : ":" + v1::FundSource_Name(request.source())));
      }
      fundings.push_back(std::move(request));
    }
  }
  std::vector<v1::RegisterMerchantRequest> merchants;
  for (const std::string& file : JsonFiles(dir / "merchants")) {
    v1::RegisterMerchantRequest request;
    if (!LoadJsonFile(file, request.mutable_merchant())) return kExitUsage;
    request.set_request_id("demo:merchant:" + request.merchant().merchant_id());
    merchants.push_back(std::move(request));
  }
  std::vector<v1::RegisterRecyclerRequest> recyclers;
  for (const std::string& file : JsonFiles(dir / "recyclers")) {
    v1::RegisterRecyclerRequest request;
    if (!LoadJsonFile(file, request.mutable_recycler())) return kExitUsage;
    request.set_request_id("demo:recycler:" + request.recycler().recycler_id());
    recyclers.push_back(std::move(request));
  }
  if (programs.empty() && fundings.empty() && merchants.empty() && recyclers.empty()) {
    std::cerr << "error: " << dir.string()
              << " has no programs/*.json, funding.json, merchants/*.json or recyclers/*.json\n";
    return kExitUsage;
  }

  std::set<std::string> not_ours;  // programmes created outside this demo's keys
  for (const v1::CreateProgramRequest& request : programs) {
    v1::Program response;
    grpc::Status status = Call(client, [&](grpc::ClientContext* c) {
      return client.admin().CreateProgram(c, request, &response);
    });
    if (!status.ok() && HasReason(status, "PROGRAM_EXISTS")) {
      Note(client, "program " + request.program().program_id() +
                       " exists already (not created by this demo key): left as it is, not funded");
      not_ours.insert(request.program().program_id());
      continue;
    }
    if (!status.ok()) return client.ReportError(status);
    Show(client, response, /*detailed=*/false);
  }
  for (const v1::FundProgramRequest& request : fundings) {
    if (not_ours.count(request.program_id())) continue;
    v1::ProgramStats response;
    grpc::Status status = Call(client, [&](grpc::ClientContext* c) {
      return client.admin().FundProgram(c, request, &response);
    });
    if (!status.ok()) return client.ReportError(status);
    Emit(client, response,
         "funded program " + request.program_id() + " (" + request.request_id() + ") " +
             FormatYuan(request.amount_fen()) + "  now funded " +
             FormatYuan(response.funded_fen()) + ", available " +
             FormatYuan(response.available_fen()));
  }
  for (const v1::SetProgramStateRequest& request : states) {
    if (not_ours.count(request.program_id())) continue;
    v1::Program response;
    grpc::Status status = Call(client, [&](grpc::ClientContext* c) {
      return client.admin().SetProgramState(c, request, &response);
    });
    if (!status.ok()) return client.ReportError(status);
    Show(client, response, /*detailed=*/false);
  }
  for (const v1::RegisterMerchantRequest& request : merchants) {
    v1::Merchant response;
    grpc::Status status = Call(client, [&](grpc::ClientContext* c) {
      return client.admin().RegisterMerchant(c, request, &response);
    });
    if (!status.ok() && HasReason(status, "MERCHANT_EXISTS")) {
      Note(client, "merchant " + request.merchant().merchant_id() + " exists already: left as it is");
      continue;
    }
    if (!status.ok()) return client.ReportError(status);
    Show(client, response);
  }
  for (const v1::RegisterRecyclerRequest& request : recyclers) {
    v1::Recycler response;
    grpc::Status status = Call(client, [&](grpc::ClientContext* c) {
      return client.admin().RegisterRecycler(c, request, &response);
    });
    if (!status.ok() && HasReason(status, "RECYCLER_EXISTS")) {
      Note(client, "recycler " + request.recycler().recycler_id() + " exists already: left as it is");
      continue;
    }
    if (!status.ok()) return client.ReportError(status);
    Show(client, response);
  }
  Note(client, "demo loaded: " + std::to_string(programs.size()) + " programmes, " +
                   std::to_string(fundings.size()) + " fundings, " +
                   std::to_string(merchants.size()) + " merchants, " +
                   std::to_string(recyclers.size()) + " recyclers");
  return kExitOk;
}

}  // namespace

std::vector<Command> DemoCommands() {
  return {
      {"demo load", "demo load DIR",
       "create, fund and register a demo set (e.g. deploy/demo) idempotently; acts as "
       "admin:demo unless --as is given",
       DemoLoad},
  };
}

}  // namespace huanxin::ctl

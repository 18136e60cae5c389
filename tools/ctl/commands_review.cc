// The review queue of the soft fraud checks (AuditService; auditor role):
//   review list [--state OPEN|APPROVED|REJECTED]  the reviews in that state (default OPEN),
//                                                 oldest first, every page
//   review approve REVIEW_ID [--note N]           the redemption becomes COMPLETED, settleable
//   review reject REVIEW_ID [--note N]            the redemption becomes REJECTED, its subsidy
//                                                 goes back to the programme's budget
// A review is opened when a redemption's decision is REVIEW (docs/api.md, Redemption.reasons).
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "huanxin/v1/audit.grpc.pb.h"
#include "tools/ctl/commands.h"
#include "tools/ctl/output.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;

namespace {

// "review rv-…  OPEN  redemption d-…  merchant m-…  program p-…  reasons A,B  note …"
std::string ReviewLine(const v1::Review& r) {
  std::string reasons;
  for (const std::string& reason : r.reasons()) reasons += (reasons.empty() ? "" : ",") + reason;
  std::string line = "review " + r.review_id() + "  " + v1::Review::State_Name(r.state()) +
                     "  redemption " + r.redemption_id() + "  merchant " + r.merchant_id() +
                     "  program " + r.program_id() + "  reasons " +
                     (reasons.empty() ? "-" : reasons) + "  ledger seq " +
                     std::to_string(r.ledger_seq());
  if (!r.note().empty()) line += "  note " + r.note();
  return line;
}

int ReviewList(Context& ctx) {
  v1::ListReviewsRequest request;
  if (std::optional<std::string> state = ctx.args.Take("state")) {
    v1::Review::State parsed;
    if (!v1::Review::State_Parse(*state, &parsed) || parsed == v1::Review::STATE_UNSPECIFIED) {
      ctx.args.Fail("--state must be OPEN, APPROVED or REJECTED");
    } else {
      request.set_state(parsed);
    }
  } else {
    request.set_state(v1::Review::OPEN);
  }
  if (!ctx.Finish()) return kExitUsage;
  request.set_page_size(1000);
  const bool json = ctx.client.options().json;
  std::vector<std::string> items;  // --json: every page's reviews, as one array
  int shown = 0;
  do {
    v1::ListReviewsResponse page;
    grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
      return ctx.client.audit().ListReviews(c, request, &page);
    });
    if (!status.ok()) return ctx.client.ReportError(status);
    for (const v1::Review& r : page.reviews()) {
      if (json) {
        items.push_back(ToJsonLine(r));
      } else {
        std::cout << ctx.client.Redact(ReviewLine(r)) << "\n";
      }
      ++shown;
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (json) {
    EmitJsonArray(ctx.client, items);
  } else {
    std::cout << shown << " review" << (shown == 1 ? "" : "s") << " "
              << v1::Review::State_Name(request.state()) << "\n";
  }
  return kExitOk;
}

int Resolve(Context& ctx, v1::ResolveReviewRequest::Resolution resolution) {
  const std::string id = ctx.args.RequirePositional("REVIEW_ID");
  std::optional<std::string> note = ctx.args.Take("note");
  if (!ctx.Finish()) return kExitUsage;
  v1::ResolveReviewRequest request;
  request.set_request_id(ctx.client.RequestId());
  request.set_review_id(id);
  request.set_resolution(resolution);
  if (note) request.set_note(*note);
  v1::Review review;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.audit().ResolveReview(c, request, &review);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Emit(ctx.client, review, ReviewLine(review));
  return kExitOk;
}

int ReviewApprove(Context& ctx) { return Resolve(ctx, v1::ResolveReviewRequest::APPROVE); }
int ReviewReject(Context& ctx) { return Resolve(ctx, v1::ResolveReviewRequest::REJECT); }

}  // namespace

std::vector<Command> ReviewCommands() {
  return {
      {"review list", "review list [--state OPEN|APPROVED|REJECTED]",
       "the fraud reviews in a state (default OPEN), oldest first, with their rule ids "
       "(auditor)",
       ReviewList},
      {"review approve", "review approve REVIEW_ID [--note N]",
       "approve a review: its redemption becomes COMPLETED and settleable (auditor)",
       ReviewApprove},
      {"review reject", "review reject REVIEW_ID [--note N]",
       "reject a review: its redemption becomes REJECTED and the subsidy returns to the "
       "budget; the merchant is not paid (auditor)",
       ReviewReject},
  };
}

}  // namespace huanxin::ctl

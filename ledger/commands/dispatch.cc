#include "ledger/commands/dispatch.h"

#include "common/status.h"
#include "ledger/commands/admin.h"
#include "ledger/commands/after_sale.h"
#include "ledger/commands/issuance.h"
#include "ledger/commands/recycling.h"
#include "ledger/commands/redemption.h"
#include "ledger/commands/settlement.h"

namespace huanxin::ledger {

Decision Decide(const Context& c, const internal::Command& cmd) {
  using C = internal::Command;
  switch (cmd.op_case()) {
    case C::kCreateProgram: return DecideCreateProgram(c, cmd.create_program());
    case C::kFundProgram: return DecideFundProgram(c, cmd.fund_program());
    case C::kSetProgramState: return DecideSetProgramState(c, cmd.set_program_state());
    case C::kRegisterMerchant: return DecideRegisterMerchant(c, cmd.register_merchant());
    case C::kSetMerchantState: return DecideSetMerchantState(c, cmd.set_merchant_state());
    case C::kRegisterRecycler: return DecideRegisterRecycler(c, cmd.register_recycler());
    case C::kIssueVoucher: return DecideIssueVoucher(c, cmd.issue_voucher());
    case C::kCancelVoucher: return DecideCancelVoucher(c, cmd.cancel_voucher());
    case C::kExpireVoucher: return DecideExpireVoucher(c, cmd.expire_voucher());
    case C::kRedeem: return DecideRedeem(c, cmd.redeem());
    case C::kConfirmReceipt: return DecideConfirmReceipt(c, cmd.confirm_receipt());
    case C::kVoidReceipt: return DecideVoidReceipt(c, cmd.actor(), cmd.void_receipt());
    case C::kReverseRedemption: return DecideReverseRedemption(c, cmd.reverse_redemption());
    case C::kAdjustRedemption: return DecideAdjustRedemption(c, cmd.adjust_redemption());
    case C::kUpdateProgramRules: return DecideUpdateProgramRules(c, cmd.update_program_rules());
    case C::kResolveReview: return DecideResolveReview(c, cmd.resolve_review());
    case C::kSetFraudRules: return DecideSetFraudRules(c, cmd.set_fraud_rules());
    case C::kCreateSettlement: return DecideCreateSettlement(c, cmd.create_settlement());
    default:
      return Refuse(reason::kNotImplemented, "this command is not implemented yet");
  }
}

}  // namespace huanxin::ledger

// Routes a command to its decision (ledger/commands/*.h).
#ifndef HUANXIN_LEDGER_COMMANDS_DISPATCH_H_
#define HUANXIN_LEDGER_COMMANDS_DISPATCH_H_

#include "huanxin/internal/ledger.pb.h"
#include "ledger/commands/context.h"

namespace huanxin::ledger {

// NOT_IMPLEMENTED (UNIMPLEMENTED) for commands a later issue brings.
Decision Decide(const Context& c, const internal::Command& command);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_COMMANDS_DISPATCH_H_

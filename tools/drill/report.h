// The drill's report: per fraud pattern, incidents injected, fraudulent operations, caught
// (denied or sent to review) and caught by the pattern's own rule; honest redemptions and how
// many went to review; the books of the drill's programmes; and the final line
//   drill: fraud_caught_pct=<x> honest_review_pct=<y>
#ifndef HUANXIN_TOOLS_DRILL_REPORT_H_
#define HUANXIN_TOOLS_DRILL_REPORT_H_

#include <ostream>

#include "tools/drill/rpc.h"
#include "tools/drill/traffic.h"
#include "tools/drill/world.h"

namespace huanxin::drill {

struct Verdict {
  double caught_pct = 0;
  double honest_review_pct = 0;
  bool books_ok = true;
  bool errors = false;
};

// Prints the report to `out`; reads the programmes' stats for the books.
Verdict Report(Rpc& rpc, const World& world, const Tally& tally, std::ostream& out);

}  // namespace huanxin::drill

#endif  // HUANXIN_TOOLS_DRILL_REPORT_H_

// HX_CHECK(cond, msg): an invariant that must hold in every build. On failure it prints the
// condition, the place and `msg` to stderr and aborts: a ledger that breaks an invariant must
// stop before it writes, not carry on (TigerBeetle's rule: assertions stay on).
#ifndef HUANXIN_COMMON_CHECK_H_
#define HUANXIN_COMMON_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#define HX_CHECK(cond, msg)                                                          \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "invariant failed at %s:%d: %s: %s\n", __FILE__, __LINE__, \
                   #cond, std::string(msg).c_str());                                 \
      std::abort();                                                                  \
    }                                                                                \
  } while (0)

#endif  // HUANXIN_COMMON_CHECK_H_

// Ids: the unique strings a load run needs. Everything a run writes (request ids, serial and
// invoice numbers, programme and merchant ids) carries a run tag made of the start time and
// the process id, so two runs against one server never collide on a uniqueness rule.
//
// Thread-safe.
#ifndef HUANXIN_TOOLS_BENCH_IDS_H_
#define HUANXIN_TOOLS_BENCH_IDS_H_

#include <cstdint>
#include <string>

namespace huanxin::bench {

// "<unix seconds base36>-<pid>", fixed for the process: [a-z0-9-] only.
const std::string& RunTag();

// "<prefix>-<run tag>-<n>", n counting up from 1 across all prefixes.
std::string UniqueToken(const std::string& prefix);

// The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of a 17-digit body.
char IdCheckDigit(const std::string& body17);

// A valid 18-character 居民身份证号, distinct on each call within the process (about 13
// million before they repeat): region 371602, a real date 1960-1999, sequence 001-999.
std::string MintIdNumber();

}  // namespace huanxin::bench

#endif  // HUANXIN_TOOLS_BENCH_IDS_H_

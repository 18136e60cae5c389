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

// A valid 18-character 居民身份证号 (common/id_number.h, SyntheticIdNumber), distinct on
// each call within the process.
std::string MintIdNumber();

}  // namespace huanxin::bench

#endif  // HUANXIN_TOOLS_BENCH_IDS_H_

// libFuzzer target: decoding what an untrusted server sends an auditor. The input is a
// ListEntriesResponse (a run of serialized LedgerEntry); huanxin-verify's books re-add their
// postings (tools/verify/books.h) and must refuse bad ones, never crash or overflow. The
// same bytes are also tried as a checkpoint body (common/signed_note.h).
#include <cstdint>
#include <string>

#include "common/signed_note.h"
#include "huanxin/v1/audit.pb.h"
#include "tools/verify/books.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  huanxin::note::ParseCheckpointBody(bytes).IgnoreError();
  huanxin::v1::ListEntriesResponse page;
  if (!page.ParseFromString(bytes)) return 0;
  huanxin::verify::Books books;
  for (const huanxin::v1::LedgerEntry& e : page.entries()) {
    if (!books.Apply(e).ok()) break;
  }
  return 0;
}

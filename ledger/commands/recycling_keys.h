// Storage keys of scrap receipts that storage/keys.h does not have yet. They follow its
// conventions and live in its namespace, so moving them into storage/keys.{h,cc} (and the
// table at the top of keys.h) changes no caller.
//
// index    "scrapped/" kind "/" serial               -> receipt id that scrapped it
//            (kind: VEHICLE or APPLIANCE, so a VIN and an appliance SN never collide;
//            the serial upper-cased like "serial/": "lsv1" and "LSV1" are one car)
// Already in storage/keys.h and used as is:
// state    "receipt/" S                              -> ScrapReceipt
// index    "certificate/" number                     -> receipt id
#ifndef HUANXIN_LEDGER_COMMANDS_RECYCLING_KEYS_H_
#define HUANXIN_LEDGER_COMMANDS_RECYCLING_KEYS_H_

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "huanxin/v1/common.pb.h"

namespace huanxin::storage::keys {

// The old item `serial` of kind `kind` was scrapped by a live (CONFIRMED or CONSUMED) receipt.
inline std::string ScrappedSerial(v1::ScrapReceipt::ItemKind kind, absl::string_view serial) {
  return absl::StrCat("scrapped/", v1::ScrapReceipt::ItemKind_Name(kind), "/",
                      absl::AsciiStrToUpper(serial));
}

}  // namespace huanxin::storage::keys

#endif  // HUANXIN_LEDGER_COMMANDS_RECYCLING_KEYS_H_

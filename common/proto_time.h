// Conversions between google.protobuf time types and absl time.
#ifndef HUANXIN_COMMON_PROTO_TIME_H_
#define HUANXIN_COMMON_PROTO_TIME_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace huanxin {

// OK when `t` is a valid Timestamp of the years 1970-9999 (seconds 0..253402300799, nanos
// 0..999999999); FieldError naming `field` otherwise.
absl::Status ValidateTimestamp(absl::string_view field, const google::protobuf::Timestamp& t);

absl::Time FromProto(const google::protobuf::Timestamp& t);
absl::Duration FromProto(const google::protobuf::Duration& d);
google::protobuf::Timestamp ToProto(absl::Time t);
// RFC 3339 in UTC+8, e.g. "2025-03-01T10:00:00+08:00": how times read in messages.
std::string FormatShanghai(absl::Time t);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_PROTO_TIME_H_

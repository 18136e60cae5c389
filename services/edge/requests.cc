#include "services/edge/requests.h"

#include "absl/strings/str_cat.h"
#include "common/id_number.h"
#include "common/status_macros.h"
#include "common/validate.h"

namespace huanxin::edge {

absl::StatusOr<v1::ConsumerRefs> HashIdentity(const PiiKey& pii,
                                              const v1::ConsumerIdentity& identity,
                                              absl::string_view field) {
  HX_RETURN_IF_ERROR(ValidateIdNumber(identity.id_number(), absl::StrCat(field, ".id_number")));
  HX_RETURN_IF_ERROR(ValidateText(absl::StrCat(field, ".name"), identity.name(), 128, false));
  HX_RETURN_IF_ERROR(ValidateCode(absl::StrCat(field, ".phone"), identity.phone(), 32, false));
  HX_RETURN_IF_ERROR(
      ValidateCode(absl::StrCat(field, ".device_id"), identity.device_id(), 128, false));
  HX_RETURN_IF_ERROR(
      ValidateCode(absl::StrCat(field, ".bank_card"), identity.bank_card(), 32, false));
  // Each kind of value is hashed in its own domain, so a phone never matches a device id.
  auto ref = [&pii](absl::string_view kind, absl::string_view value) {
    return value.empty() ? std::string() : pii.Ref(absl::StrCat(kind, ":", value));
  };
  v1::ConsumerRefs refs;
  refs.set_consumer_ref(pii.Ref(NormalizeIdNumber(identity.id_number())));
  refs.set_phone_ref(ref("phone", identity.phone()));
  refs.set_device_ref(ref("device", identity.device_id()));
  refs.set_bank_card_ref(ref("bank_card", identity.bank_card()));
  return refs;
}

absl::StatusOr<internal::Command> NewCommand(const Principal& caller,
                                             absl::string_view request_id) {
  HX_RETURN_IF_ERROR(ValidateRequestId("request_id", request_id));
  internal::Command c;
  c.set_actor(caller.name());
  c.set_request_id(std::string(request_id));
  return c;
}

}  // namespace huanxin::edge

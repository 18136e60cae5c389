#include "rules/fraud_config.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "rules/fraud.h"

namespace huanxin::fraud {

absl::StatusOr<v1::FraudRules> RulesFromConfig(const Config& config) {
  v1::FraudRules rules = DefaultRules();
  const auto* desc = rules.GetDescriptor();
  const auto* refl = rules.GetReflection();
  for (const auto& [key, value] : config) {
    if (!absl::StartsWith(key, "fraud.")) continue;
    const auto* field = desc->FindFieldByName(key.substr(6));
    if (field == nullptr) return FieldError(key, "is not a fraud rule setting");
    bool ok = false;
    switch (field->cpp_type()) {
      case google::protobuf::FieldDescriptor::CPPTYPE_INT32: {
        int32_t v;
        if ((ok = absl::SimpleAtoi(value, &v))) refl->SetInt32(&rules, field, v);
        break;
      }
      case google::protobuf::FieldDescriptor::CPPTYPE_INT64: {
        int64_t v;
        if ((ok = absl::SimpleAtoi(value, &v))) refl->SetInt64(&rules, field, v);
        break;
      }
      case google::protobuf::FieldDescriptor::CPPTYPE_BOOL: {
        bool v;
        if ((ok = absl::SimpleAtob(value, &v))) refl->SetBool(&rules, field, v);
        break;
      }
      default:
        break;
    }
    if (!ok) return FieldError(key, absl::StrCat("cannot use value '", value, "'"));
  }
  absl::Status valid = ValidateRules(rules);
  if (!valid.ok()) return valid;
  return rules;
}

}  // namespace huanxin::fraud

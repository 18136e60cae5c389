// The fraud rules from the --config file: every key "fraud.<field>" sets that field of
// huanxin.v1.FraudRules (e.g. "fraud.price_spike_pct = 130", "fraud.odd_hours_enabled =
// true"); fields not given keep their defaults (fraud::DefaultRules()).
#ifndef HUANXIN_RULES_FRAUD_CONFIG_H_
#define HUANXIN_RULES_FRAUD_CONFIG_H_

#include "absl/status/statusor.h"
#include "common/config.h"
#include "huanxin/v1/common.pb.h"

namespace huanxin::fraud {

// INVALID_ARGUMENT naming the key for an unknown fraud.* key, a value that does not parse,
// or rules ValidateRules refuses.
absl::StatusOr<v1::FraudRules> RulesFromConfig(const Config& config);

}  // namespace huanxin::fraud

#endif  // HUANXIN_RULES_FRAUD_CONFIG_H_

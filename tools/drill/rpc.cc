#include "tools/drill/rpc.h"

namespace huanxin::drill {

std::string ReasonOf(const grpc::Status& status) {
  const std::string& m = status.error_message();
  size_t i = 0;
  while (i < m.size() && ((m[i] >= 'A' && m[i] <= 'Z') || m[i] == '_')) ++i;
  if (i == 0 || i >= m.size() || m[i] != ':') return "";
  return m.substr(0, i);
}

std::string Describe(const grpc::Status& status) {
  return "code " + std::to_string(static_cast<int>(status.error_code())) + " " +
         status.error_message();
}

Rpc::Rpc(const std::string& target, const std::string& tag) : tag_(tag) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(16 << 20);
  channel_ = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  admin_ = v1::AdminService::NewStub(channel_);
  issuance_ = v1::IssuanceService::NewStub(channel_);
  redemption_ = v1::RedemptionService::NewStub(channel_);
  recycling_ = v1::RecyclingService::NewStub(channel_);
  audit_ = v1::AuditService::NewStub(channel_);
}

}  // namespace huanxin::drill

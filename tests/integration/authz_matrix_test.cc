// The authorization matrix (docs/api.md "Principals and roles"; docs/design.md Security): every RPC of
// every huanxin.v1 service, called by every role. PERMISSION_DENIED exactly where the table
// of common/auth.cc does not list the role; anything else but PERMISSION_DENIED and
// UNAUTHENTICATED where it does (the request is mostly empty, so INVALID_ARGUMENT and
// NOT_FOUND are typical). No principal: UNAUTHENTICATED everywhere; an unknown role:
// PERMISSION_DENIED everywhere. The RPCs come from the generated descriptors, so a new RPC is
// in the matrix the day it is added to a proto.
#include <string>
#include <vector>

#include "common/auth.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

namespace pb = ::google::protobuf;
using grpc::StatusCode;

const char* const kServiceFiles[] = {
    "huanxin/v1/admin.proto",     "huanxin/v1/issuance.proto", "huanxin/v1/redemption.proto",
    "huanxin/v1/recycling.proto", "huanxin/v1/audit.proto",
};

// One principal per role, tenants as the demo names them.
const std::vector<std::string>& RolePrincipals() {
  static const auto* p = new std::vector<std::string>{
      "admin:ops",           "app:claim-app",           "retailer:m-binzhou-001",
      "recycler:r-binzhou-001", "auditor:commerce-bureau", "service:issuance",
  };
  return *p;
}

struct Rpc {
  std::string table_name;  // "AdminService/GetProgram"
  std::string path;        // "/huanxin.v1.AdminService/GetProgram"
  const pb::MethodDescriptor* method;
};

std::vector<Rpc> AllRpcs() {
  std::vector<Rpc> out;
  for (const char* file : kServiceFiles) {
    const pb::FileDescriptor* fd = pb::DescriptorPool::generated_pool()->FindFileByName(file);
    if (fd == nullptr) {
      ADD_FAILURE() << "descriptor of " << file << " is not linked in";
      continue;
    }
    for (int s = 0; s < fd->service_count(); ++s) {
      const pb::ServiceDescriptor* service = fd->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const pb::MethodDescriptor* method = service->method(m);
        out.push_back(Rpc{service->name() + "/" + method->name(),
                          "/" + service->full_name() + "/" + method->name(), method});
      }
    }
  }
  return out;
}

// Sets every string field named merchant_id or recycler_id (also in nested messages) to
// `tenant`, so a retailer or recycler acts as itself and only the role decides.
void FillTenant(pb::Message* msg, const std::string& tenant, int depth = 0) {
  const pb::Descriptor* d = msg->GetDescriptor();
  const pb::Reflection* r = msg->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->is_repeated()) continue;
    if (f->type() == pb::FieldDescriptor::TYPE_STRING &&
        (f->name() == "merchant_id" || f->name() == "recycler_id")) {
      r->SetString(msg, f, tenant);
    } else if (f->type() == pb::FieldDescriptor::TYPE_MESSAGE && depth < 2 &&
               f->message_type()->file()->package() == "huanxin.v1") {
      FillTenant(r->MutableMessage(msg, f), tenant, depth + 1);
    }
  }
}

std::string RequestFor(const Rpc& rpc, const std::string& principal) {
  const pb::Message* prototype =
      pb::MessageFactory::generated_factory()->GetPrototype(rpc.method->input_type());
  std::unique_ptr<pb::Message> msg(prototype->New());
  FillTenant(msg.get(), principal.substr(principal.find(':') + 1));
  return msg->SerializeAsString();
}

bool Allowed(const std::string& method, const std::string& principal) {
  const std::string role = principal.substr(0, principal.find(':'));
  for (const std::string& r : RolesAllowed(method)) {
    if (r == role) return true;
  }
  return false;
}

class AuthzMatrixTest : public SharedServerTest<AuthzMatrixTest> {};

TEST_F(AuthzMatrixTest, EveryRpcHasATableRow) {
  // Authorize denies a method the table does not list; every real RPC must have a row, so
  // that adding one is a decision, not an accident.
  for (const Rpc& rpc : AllRpcs()) {
    EXPECT_FALSE(RolesAllowed(rpc.table_name).empty()) << rpc.table_name << " has no row";
  }
  EXPECT_GE(AllRpcs().size(), 31u);
}

TEST_F(AuthzMatrixTest, UnlistedRpcIsDeniedToEveryRole) {
  for (const std::string& role : KnownRoleNames()) {
    Principal p{role, "x"};
    absl::Status s = Authorize(p, "AdminService/SomeFutureRpc");
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << role;
  }
}

TEST_F(AuthzMatrixTest, ServiceRoleIsKnownButAllowedNothingPublic) {
  auto p = ParsePrincipal("service:issuance");
  ASSERT_TRUE(p.ok()) << p.status();
  for (const Rpc& rpc : AllRpcs()) EXPECT_FALSE(Allowed(rpc.table_name, "service:issuance"));
}

TEST_F(AuthzMatrixTest, EveryRpcTimesEveryRole) {
  auto channel = api().stubs().channel;
  int checked = 0;
  for (const Rpc& rpc : AllRpcs()) {
    for (const std::string& principal : RolePrincipals()) {
      grpc::Status s = RawUnary(channel, rpc.path, RequestFor(rpc, principal), principal);
      ++checked;
      if (Allowed(rpc.table_name, principal)) {
        EXPECT_NE(s.error_code(), StatusCode::PERMISSION_DENIED)
            << rpc.table_name << " as " << principal << ": " << Describe(s);
        EXPECT_NE(s.error_code(), StatusCode::UNAUTHENTICATED)
            << rpc.table_name << " as " << principal << ": " << Describe(s);
      } else {
        EXPECT_TRUE(IsRefusal(s, StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"))
            << rpc.table_name << " as " << principal;
      }
    }
  }
  EXPECT_EQ(checked, static_cast<int>(AllRpcs().size() * RolePrincipals().size()));
}

TEST_F(AuthzMatrixTest, NoPrincipalIsUnauthenticatedEverywhere) {
  auto channel = api().stubs().channel;
  for (const Rpc& rpc : AllRpcs()) {
    grpc::Status s = RawUnary(channel, rpc.path, RequestFor(rpc, "x:y"), "");
    EXPECT_TRUE(IsRefusal(s, StatusCode::UNAUTHENTICATED, "UNAUTHENTICATED")) << rpc.table_name;
  }
}

TEST_F(AuthzMatrixTest, UnknownRoleIsDeniedEverywhere) {
  auto channel = api().stubs().channel;
  for (const Rpc& rpc : AllRpcs()) {
    grpc::Status s = RawUnary(channel, rpc.path, RequestFor(rpc, "mayor:x"), "mayor:x");
    EXPECT_TRUE(IsRefusal(s, StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"))
        << rpc.table_name;
  }
}

}  // namespace
}  // namespace huanxin::itest

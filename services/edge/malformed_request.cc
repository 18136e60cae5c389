#include "services/edge/malformed_request.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "google/protobuf/message.h"
#include "services/edge/call.h"

namespace huanxin::edge {
namespace {

using grpc::experimental::InterceptionHookPoints;

class MalformedRequestInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit MalformedRequestInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method()), ours_(IsHuanxinMethod(info->method())) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // gRPC passes a null message to POST_RECV_MESSAGE when the payload did not deserialize.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      malformed_ = true;
    } else if (ours_ &&
               methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Recursive: unknown fields of nested messages (a Purchase, a ScrapReceipt) go too.
      static_cast<google::protobuf::Message*>(methods->GetRecvMessage())->DiscardUnknownFields();
    }
    if (malformed_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      methods->ModifySendStatus(ToGrpc(FieldError(
          "request", absl::StrCat("is not a valid ", method_,
                                  " request message (truncated, a wrong wire type, or a "
                                  "string field that is not UTF-8)"))));
    }
    methods->Proceed();
  }

 private:
  const char* method_;
  const bool ours_;  // the request is a generated huanxin.* Protobuf message
  bool malformed_ = false;
};

class Factory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MalformedRequestInterceptor(info);
  }
};

}  // namespace

bool IsHuanxinMethod(absl::string_view method) {
  return absl::StartsWith(method, "/huanxin.");
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MalformedRequestInterceptorFactory() {
  return std::make_unique<Factory>();
}

}  // namespace huanxin::edge

#include "common/auth.h"
#include "tests/integration/ops_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <grpcpp/generic/generic_stub.h>

#ifndef HUANXIN_SOURCE_DIR
#error "HUANXIN_SOURCE_DIR must be defined by the build"
#endif

namespace huanxin::itest {

namespace {

std::string ReadBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

grpc::Status RegisterRecycler(Api& api, const std::string& recycler_id,
                              v1::ScrapReceipt::ItemKind kind) {
  v1::RegisterRecyclerRequest req;
  req.set_request_id(NextRequestId());
  req.mutable_recycler()->set_recycler_id(recycler_id);
  req.mutable_recycler()->set_name("recycler " + recycler_id);
  req.mutable_recycler()->set_region_code("371600");
  req.mutable_recycler()->add_accepts(kind);
  v1::Recycler registered;
  return Call(api.stubs().admin.get(), &v1::AdminService::Stub::RegisterRecycler, kAdmin, req,
              &registered);
}

std::vector<std::string> FindClearValues(const std::string& dir,
                                         const std::vector<std::string>& needles) {
  std::vector<std::string> hits;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = ReadBytes(e.path());
    for (const auto& n : needles) {
      if (bytes.find(n) != std::string::npos) hits.push_back(e.path().string() + ": " + n);
    }
  }
  return hits;
}

::testing::AssertionResult MakeDevCa(const std::string& out_dir,
                                     const std::vector<std::string>& extra_principals) {
  std::string cmd = std::string(HUANXIN_SOURCE_DIR) + "/tools/dev-ca.sh '" + out_dir + "'";
  for (const auto& p : extra_principals) cmd += " '" + p + "'";
  cmd += " >'" + out_dir + ".log' 2>&1";
  int rc = std::system(cmd.c_str());
  if (rc != 0) {
    std::ifstream in(out_dir + ".log");
    std::stringstream log;
    log << in.rdbuf();
    return ::testing::AssertionFailure() << cmd << " failed (" << rc << "):\n" << log.str();
  }
  return ::testing::AssertionSuccess();
}

ClientTls DevCaClient(const std::string& dir, const std::string& principal) {
  std::string name = principal;
  name[name.find(':')] = '.';
  return ClientTls{dir + "/ca.crt", dir + "/" + name + ".crt", dir + "/" + name + ".key"};
}

DevCaServerFiles DevCaServer(const std::string& dir) {
  return DevCaServerFiles{dir + "/server.crt", dir + "/server.key", dir + "/ca.crt"};
}

grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& request, const std::string& principal,
                      std::string* response) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!principal.empty()) ctx.AddMetadata(kPrincipalHeader, principal);
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1);
  grpc::CompletionQueue cq;
  auto call = stub.PrepareUnaryCall(&ctx, method, req, &cq);
  call->StartCall();
  grpc::ByteBuffer resp;
  grpc::Status status;
  call->Finish(&resp, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (response != nullptr && status.ok()) {
    std::vector<grpc::Slice> slices;
    response->clear();
    if (resp.Dump(&slices).ok()) {
      for (const auto& s : slices) {
        response->append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
    }
  }
  return status;
}

std::string HealthStatus(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service) {
  // grpc.health.v1.HealthCheckRequest { string service = 1; }
  std::string req;
  if (!service.empty()) {
    req.push_back(0x0a);
    req.push_back(static_cast<char>(service.size()));  // names here are < 128 bytes
    req += service;
  }
  std::string resp;
  grpc::Status s = RawUnary(channel, "/grpc.health.v1.Health/Check", req, "", &resp);
  if (!s.ok()) return "error: " + std::to_string(s.error_code()) + " " + s.error_message();
  // HealthCheckResponse { ServingStatus status = 1; }: UNKNOWN 0, SERVING 1, NOT_SERVING 2.
  int status = (resp.size() >= 2 && resp[0] == 0x08) ? resp[1] : 0;
  switch (status) {
    case 1: return "SERVING";
    case 2: return "NOT_SERVING";
    default: return "UNKNOWN";
  }
}

std::string HttpGet(const std::string& host_port, const std::string& path) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) return "";
  const std::string host = host_port.substr(0, colon);
  const int port = std::atoi(host_port.substr(colon + 1).c_str());
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host_port +
                              "\r\nConnection: close\r\n\r\n";
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return "";
  }
  std::string reply;
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (reply.rfind("HTTP/1.1 200", 0) != 0) return "";
  size_t body = reply.find("\r\n\r\n");
  return body == std::string::npos ? "" : reply.substr(body + 4);
}

double MetricValue(const std::string& exposition, const std::string& series) {
  std::istringstream in(exposition);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::strtod(line.c_str() + series.size() + 1, nullptr);
    }
  }
  return -1;
}

std::string MetricsAddress(const std::string& server_stdout) {
  const std::string marker = "metrics at http://";
  size_t at = server_stdout.find(marker);
  if (at == std::string::npos) return "";
  size_t start = at + marker.size();
  size_t end = server_stdout.find('/', start);
  return end == std::string::npos ? "" : server_stdout.substr(start, end - start);
}

}  // namespace huanxin::itest

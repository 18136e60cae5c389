#include "common/auth.h"
#include "tests/abuse/followers.h"

namespace huanxin::itest {

Followers::~Followers() {
  CancelAll(std::chrono::seconds(10));
  cq_.Shutdown();
  void* tag;
  bool ok;
  while (cq_.Next(&tag, &ok)) {
  }
}

void Followers::Open(const std::string& principal, int64_t from_seq) {
  auto s = std::make_unique<Stream>();
  s->principal = principal;
  s->ctx.AddMetadata(kPrincipalHeader, principal);
  s->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
  v1::StreamEntriesRequest req;
  req.set_from_seq(from_seq);
  req.set_follow(true);
  s->reader = stub_->PrepareAsyncStreamEntries(&s->ctx, req, &cq_);
  s->reader->StartCall(s.get());
  streams_.push_back(std::move(s));
}

void Followers::Handle(Stream* s, bool ok) {
  switch (s->phase) {
    case Stream::Phase::kReading:
      if (ok) s->seqs.push_back(s->entry.entry().seq());
      [[fallthrough]];
    case Stream::Phase::kStarting:
      if (ok) {
        s->phase = Stream::Phase::kReading;
        s->reader->Read(&s->entry, s);
      } else {
        s->phase = Stream::Phase::kFinishing;
        s->reader->Finish(&s->status, s);
      }
      return;
    case Stream::Phase::kFinishing:
      s->phase = Stream::Phase::kDone;
      return;
    case Stream::Phase::kDone:
      return;
  }
}

bool Followers::PumpUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::system_clock::now() + timeout;
  while (!done()) {
    void* tag;
    bool ok;
    if (cq_.AsyncNext(&tag, &ok, deadline) != grpc::CompletionQueue::GOT_EVENT) return done();
    Handle(static_cast<Stream*>(tag), ok);
  }
  return true;
}

bool Followers::CancelAll(std::chrono::milliseconds timeout) {
  for (auto& s : streams_) s->ctx.TryCancel();
  return PumpUntil(
      [this] {
        for (auto& s : streams_) {
          if (s->phase != Stream::Phase::kDone) return false;
        }
        return true;
      },
      timeout);
}

}  // namespace huanxin::itest

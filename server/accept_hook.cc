// huanxind's own accept4, which the dynamic linker binds gRPC's listeners to instead of
// glibc's (the executable comes first in symbol lookup; CMakeLists.txt exports the symbol).
// It goes through the AcceptGuard of server/connection_guard.h, so that a descriptor flood
// cannot stop gRPC 1.51's listeners for good. Linked into huanxind only.
#include <sys/socket.h>

#include "server/connection_guard.h"

extern "C" int accept4(int listener, sockaddr* addr, socklen_t* addr_len, int flags) {
  return huanxin::server::GuardedAccept4(listener, addr, addr_len, flags);
}

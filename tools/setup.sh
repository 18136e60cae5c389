# Sourced by tools/run.sh and tools/test.sh: installs the Debian 12 packages Huanxin builds
# with (only those missing; apt-get as root, or through sudo), then configures and builds
# into $BUILD_DIR (default build/) with CMake and Ninja. Nothing is downloaded but Debian
# packages.
set -euo pipefail

HX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$HX_ROOT/build}"
BUILD_TYPE="${BUILD_TYPE:-Release}"
# ccache keys on relative paths below the checkout, so a fresh clone reuses earlier builds.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$HX_ROOT}"

HX_PACKAGES=(
  cmake ninja-build g++ ccache pkg-config
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev
  librocksdb-dev libabsl-dev libssl-dev libgtest-dev libcpp-httplib-dev libjemalloc-dev openssl
  clang-14 libclang-rt-14-dev
)
# clang-14 and libclang-rt-14-dev build the libFuzzer targets of tests/fuzz (fuzz_smoke).

hx_install_packages() {
  local missing=()
  for p in "${HX_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

hx_build() {
  cmake -S "$HX_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "$@" >/dev/null
  cmake --build "$BUILD_DIR"
}

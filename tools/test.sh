#!/usr/bin/env bash
# The whole test suite: the same set-up as tools/run.sh (packages, Release build), then every
# test through ctest: unit tests and integration tests against real huanxind processes on
# loopback. When ../shared/tools/check-contract is there, the protos are checked against
# API.md too.
set -euo pipefail
source "$(dirname "$0")/setup.sh"

hx_install_packages
hx_build

if [ -x "$HX_ROOT/../shared/tools/check-contract" ]; then
  (cd "$HX_ROOT" && ../shared/tools/check-contract)
fi
ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2 --timeout 300

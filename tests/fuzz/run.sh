#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 into $FUZZ_BUILD_DIR (default build/fuzz/, where
# the fuzz ctest builds them too) and runs each one briefly: HX_FUZZ_SECONDS (default 10) per target, on a
# scratch copy of its seed corpus in tests/fuzz/corpus/<target>/ (the seeds are never
# modified). Any crash or sanitizer report fails. Exits 77 (skipped) when clang-14 is absent.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build/fuzz}"
SECONDS_EACH="${HX_FUZZ_SECONDS:-10}"

if ! command -v clang++-14 >/dev/null; then
  echo "fuzz: clang++-14 not installed; skipped (apt-get install clang-14)"
  exit 77
fi
CC=clang-14 CXX=clang++-14 cmake -S "$HERE" -B "$BUILD" -G Ninja >/dev/null
cmake --build "$BUILD" --target fuzzers -- -j"${FUZZ_JOBS:-2}" | grep -v '^\[' || true
[ -x "$BUILD/rules_fuzz" ] || { echo "fuzz: build failed"; cmake --build "$BUILD" --target fuzzers; exit 1; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
total=0
for name in rules subsidy id_number entries; do
  mkdir -p "$scratch/$name"
  log="$scratch/$name.log"
  # A fixed seed (HX_FUZZ_SEED) keeps CI runs comparable; set another to explore further.
  if ! "$BUILD/${name}_fuzz" -seed="${HX_FUZZ_SEED:-1}" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
      -artifact_prefix="$scratch/" "$scratch/$name" "$HERE/corpus/$name" >"$log" 2>&1; then
    tail -60 "$log"
    echo "fuzz: ${name}_fuzz failed; the input is in $scratch (kept)"
    trap - EXIT
    exit 1
  fi
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)"
  total=$((total + runs))
  echo "fuzz: ${name}_fuzz ${runs} executions in ${SECONDS_EACH}s, no crash"
done
echo "fuzz: ${total} executions in all"

#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets with clang 16 and runs each for FUZZ_SECONDS (default
# 30) from the committed seed corpus in fuzz/corpus/TARGET (read only; new inputs go to a
# scratch folder). A crash, a sanitizer report or a broken invariant fails it, and the input
# that did it is kept in build/fuzz/crash-*.
set -euo pipefail
seconds=${FUZZ_SECONDS:-30}
cmake -S fuzz -B build/fuzz -DCMAKE_CXX_COMPILER=clang++-16 >/dev/null
cmake --build build/fuzz -j "$(nproc)" >/dev/null
for target in cli values proc; do
  scratch=$(mktemp -d)
  echo "fuzz: $target for ${seconds}s"
  (cd build/fuzz && "./${target}_fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
      "$scratch" "../../fuzz/corpus/$target" 2>&1 | grep -E "^(Done|stat::number_of_executed_units)|ERROR|SUMMARY" || true)
  rm -rf "$scratch"
  if ls build/fuzz/crash-* build/fuzz/leak-* build/fuzz/timeout-* >/dev/null 2>&1; then
    echo "fuzz: $target found a failing input: $(ls build/fuzz/crash-* build/fuzz/leak-* build/fuzz/timeout-* 2>/dev/null)"
    exit 1
  fi
done

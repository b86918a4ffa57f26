#!/usr/bin/env bash
# make bench: pidone against tini, tini-static, dumb-init and catatonit (installed by
# scripts/install-deps.sh bench), each as PID 1 of a fresh PID namespace, in one run.
# Usage: bench/run.sh BUILD_DIR [--quick]     Needs root (PID namespaces).
set -euo pipefail
build=${1:-build/release}
shift || true
# A musl build (cmake/musl.cmake) also has pidone-glibc, the same init on static glibc: it
# runs beside the shipped pidone, so the table shows what the C library changes.
targets=(pidone-bench pidone testkid)
also=()
if grep -q '^PIDONE_SHIPPED_LIBC:INTERNAL=musl$' "$build/CMakeCache.txt"; then
  targets+=(pidone-glibc)
  also=(--also "pidone-glibc=$build/pidone-glibc")
fi
cmake --build "$build" --target "${targets[@]}" -j "$(nproc)" >/dev/null
echo "# pidone-bench, $(date -u +%Y-%m-%d), $(uname -r), $(nproc) cores"
"$build/bench/pidone-bench" "$build/pidone" "$build/tests/testkid" "$@" "${also[@]}"
if [ -x "$build/bench/pidone-micro-bench" ]; then
  echo
  "$build/bench/pidone-micro-bench" --benchmark_min_time=0.2 2>/dev/null | sed 's/^/    /'
fi

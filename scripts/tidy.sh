#!/usr/bin/env bash
# make tidy: the checks of .clang-tidy over every source under src/, findings as errors.
# Usage: scripts/tidy.sh BUILD_DIR   (a configured build: it reads compile_commands.json)
#
# clang-tidy 16, not Debian's default 14: clang 14 cannot parse libstdc++ 12's <expected>.
# clang 16 can, once told the C++23 mode by its own name (c++2b) and the concepts level
# libstdc++ checks for (it implements P0848 but still reports an older __cpp_concepts).
set -uo pipefail
build=${1:-build/release}
src=$(cd "$(dirname "$0")/.." && pwd)
tidy=$(command -v clang-tidy-16 || true)
[ -n "$tidy" ] || { echo "tidy: clang-tidy-16 missing (scripts/install-deps.sh lint)" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
mapfile -t files < <(cd "$src" && git ls-files --cached --others --exclude-standard 'src/*.cc')
printf '%s\n' "${files[@]/#/$src/}" |
  xargs -P "$(nproc)" -n 4 "$tidy" -p "$build" --quiet \
    --extra-arg=-std=c++2b --extra-arg=-U__cpp_concepts --extra-arg=-D__cpp_concepts=202002L \
    --extra-arg=-Wno-builtin-macro-redefined --extra-arg=-Wno-macro-redefined >"$log" 2>&1
status=$?
grep -v -e '^[0-9]* warnings\? \(and [0-9]* errors\? \)\?generated\.$' -e '^Suppressed [0-9]* warnings' \
  -e '^Use -header-filter' -e 'treated as errors\?$' "$log"
if [ "$status" -ne 0 ]; then
  echo "tidy: findings above (${#files[@]} files checked)" >&2
  exit 1
fi
echo "tidy: clean (${#files[@]} files)"

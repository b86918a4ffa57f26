#!/usr/bin/env bash
# Installs what building and testing pidone needs on Debian 12, and nothing when it is all there.
# Usage: scripts/install-deps.sh [build|bench|lab]...   (default: build)
set -euo pipefail

want=()
for group in "${@:-build}"; do
  case "$group" in
    # golang-go builds the lab's go-init (the seed's Go experiment); tini, dumb-init and
    # catatonit are the lab's comparison and the compat tests' anchors; runc, busybox-static
    # and podman make the lab's other runtimes and build the example images; man-db and
    # groff-base render the man pages in the packaging tests; the aarch64 cross compiler and
    # qemu-user-static build and check make release's arm64 binaries.
    build) want+=(g++ cmake make libgtest-dev libgmock-dev clang-format cppcheck util-linux procps
                  golang-go tini dumb-init catatonit runc busybox-static podman valgrind strace
                  man-db groff-base g++-aarch64-linux-gnu qemu-user-static) ;;
    # The anchors the benchmark compares against, and the tools it measures with.
    bench) want+=(tini dumb-init catatonit libbenchmark-dev) ;;
    # clang 16 with its libFuzzer runtime (clang 14 cannot build std::expected code).
    fuzz) want+=(clang-16 libclang-rt-16-dev) ;;
    *) echo "install-deps: unknown group '$group' (want build, bench, fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}; run as root, or install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

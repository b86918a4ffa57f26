#!/usr/bin/env bash
# Installs what one make target needs on Debian 12, and nothing when it is all there.
# Usage: scripts/install-deps.sh GROUP...   (default: build)
#   build    a C++ compiler, CMake and make, and musl-dev, the C library the shipped static
#            binaries link (without it they fall back to static glibc: cmake/musl.cmake)
#   test     GoogleTest, the anchors the compat tests compare with, the runtimes and tools the
#            suite drives, and what release needs (make test runs the packaging checks too)
#   demo     the lab's runtimes and its Go experiment (make demo)
#   release  the aarch64 cross compiler, arm64 musl (multiarch), qemu to check it, lintian
#            (make release)
#   bench    the anchors the benchmark compares against, Google Benchmark (make bench)
#   fuzz     clang 16 with its libFuzzer runtime (make fuzz)
#   lint     clang-format, clang-tidy and cppcheck (make lint, make format-check)
set -euo pipefail

# musl-dev is Multi-Arch: same; name the architecture, or the arm64 one would count for both.
musl=musl-dev:$(dpkg --print-architecture)
want=()
for group in "${@:-build}"; do
  case "$group" in
    build) want+=(g++ cmake make "$musl") ;;
    # tini, dumb-init and catatonit are the compat tests' anchors, s6 (s6-svscan) the services'
    # one; golang-go builds the lab's go-init; runc, busybox-static and podman are the lab's
    # other runtimes and build the example images, nginx goes into examples/services' image;
    # man-db and groff-base render the man pages in the packaging tests.
    test) want+=(g++ cmake make libgtest-dev libgmock-dev util-linux procps tini dumb-init
                 catatonit s6 golang-go runc busybox-static podman nginx valgrind strace man-db
                 groff-base dpkg-dev) ;;
    demo) want+=(g++ cmake make golang-go runc busybox-static podman nginx tini dumb-init
                 catatonit) ;;
    # The aarch64 cross compiler, arm64's musl-dev (Debian multiarch: dpkg learns the arm64
    # architecture first, below) and qemu-user-static build and check the arm64 binaries;
    # lintian checks every package.
    release) want+=(g++ cmake make "$musl" dpkg-dev g++-aarch64-linux-gnu qemu-user-static lintian)
             [ "$(dpkg --print-architecture)" = arm64 ] || want+=(musl-dev:arm64) ;;
    bench) want+=(tini dumb-init catatonit libbenchmark-dev) ;;
    # clang 14, the default on Debian 12, cannot build std::expected code; clang 16 can.
    fuzz) want+=(clang-16 libclang-rt-16-dev) ;;
    lint) want+=(clang-format clang-tidy cppcheck) ;;
    *) echo "install-deps: unknown group '$group' (want build, test, demo, release, bench, fuzz, lint)" >&2
       exit 2 ;;
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
# A package of another architecture (musl-dev:arm64) needs that architecture known to dpkg.
for pkg in "${missing[@]}"; do
  case "$pkg" in
    *:*) arch=${pkg#*:}
         dpkg --print-foreign-architectures | grep -qx "$arch" || dpkg --add-architecture "$arch" ;;
  esac
done
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

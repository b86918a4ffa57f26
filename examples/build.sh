#!/usr/bin/env bash
# Builds the example images from the repository: PREFIXpidone-example:v1 (examples/Dockerfile),
# PREFIXpidone-services:v1 (examples/services/Containerfile: nginx and a second service) and
# the seed's PREFIXsig-proc:v1, PREFIXzombie-proc:v1, PREFIXfwd_sig:v1
# (examples/seed/Containerfile). PREFIX defaults to `registry/`, the seed's own.
#
# Usage: examples/build.sh [--cli podman|docker] [--prefix PREFIX] [--offline] [--no-cache]
#                          [--debootstrap] [--only example|services|seed]
#   --no-cache build from scratch and keep no intermediate images (the tests use it)
#   --offline  no registry needed: the build stage is a minimal image that runs the host's
#              toolchain (/usr and /etc mounted read-only; podman only). The host needs g++,
#              cmake, busybox-static, golang-go, bash and nginx (scripts/install-deps.sh demo).
#   --debootstrap  no container registry, but a Debian mirror: the build stage's base is a
#              Debian 12 made with debootstrap (minbase) and imported, and the Containerfiles
#              run as published (apt-get installs the toolchain).
set -euo pipefail
cd "$(dirname "$0")/.."

cli=podman prefix=registry/ builder_from=registry only= cache_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cli) cli=$2; shift ;;
    --prefix) prefix=$2; shift ;;
    --offline) builder_from=host ;;
    --debootstrap) builder_from=debootstrap ;;
    --only) only=$2; shift ;;
    --no-cache) cache_args=(--no-cache --layers=false) ;;
    *) echo "build.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

run=("$cli")
# crun fails on this kind of machine's cgroup layout; runc works.
[ "$cli" = podman ] && run+=(--runtime runc)
build_args=()
# import_as IMAGE FILL: unless IMAGE exists, FILL a new folder (its argument) and import it.
import_as() {
  "${run[@]}" image exists "$1" && return 0
  local root
  root=$(mktemp -d)
  "$2" "$root" && tar -C "$root" -cf - . | "${run[@]}" import -q - "$1" >/dev/null
  local rc=$?
  rm -rf "$root"
  return $rc
}
# Nothing but the merged-/usr symlinks and empty mount points: the host's toolchain is mounted.
host_skeleton() {
  mkdir -p "$1"/{usr,etc,tmp,proc,dev,sys,root}
  for dir in bin lib lib64 sbin; do ln -s "usr/$dir" "$1/$dir"; done
}
debian12() {
  echo "debootstrap: Debian 12 into $1"
  debootstrap --variant=minbase bookworm "$1" http://deb.debian.org/debian >/dev/null
}
case "$builder_from" in
  host)
    [ "$cli" = podman ] || { echo "build.sh: --offline needs podman (build-time volumes)" >&2; exit 2; }
    import_as localhost/pidone-host-builder:latest host_skeleton
    build_args+=(--build-arg BUILDER=localhost/pidone-host-builder:latest
                 -v /usr:/usr:ro -v /etc:/etc:ro) ;;
  debootstrap)
    import_as localhost/pidone-debian:12 debian12
    build_args+=(--build-arg BUILDER=localhost/pidone-debian:12) ;;
esac

build() {  # build FILE TARGET TAG
  local target=()
  [ -n "$2" ] && target=(--target "$2")
  echo "building $3"
  "${run[@]}" build -q "${cache_args[@]}" "${build_args[@]}" "${target[@]}" -f "$1" -t "$3" . >/dev/null
}

if [ -z "$only" ] || [ "$only" = example ]; then
  build examples/Dockerfile "" "${prefix}pidone-example:v1"
fi
if [ -z "$only" ] || [ "$only" = services ]; then
  build examples/services/Containerfile "" "${prefix}pidone-services:v1"
fi
if [ -z "$only" ] || [ "$only" = seed ]; then
  build examples/seed/Containerfile sig-proc "${prefix}sig-proc:v1"
  build examples/seed/Containerfile zombie-proc "${prefix}zombie-proc:v1"
  build examples/seed/Containerfile fwd-sig "${prefix}fwd_sig:v1"
fi

#!/usr/bin/env bash
# make release: the static binaries, ready to download, with checksums.
# Usage: scripts/release.sh BUILD_DIR OUT_DIR [EXTRA_ARCH...]
# For the native build in BUILD_DIR and each EXTRA_ARCH (aarch64: cross-compiled with
# cmake/toolchain-aarch64.cmake into BUILD_DIR-aarch64), writes to OUT_DIR:
#   pidone-VERSION-ARCH, pidone-inspect-VERSION-ARCH   the static binaries
#   pidone-VERSION-linux-ARCH.tar.gz                  both, the drop-in symlinks, man pages, docs
#   pidone_VERSION_DEBARCH.deb, pidone-dropin_...     the packages (make package)
# and SHA256SUMS for all of them. Refuses binaries that are not static or not on musl
# (cmake/musl.cmake: scripts/install-deps.sh build release installs musl-dev for both).
# RELEASE_CROSS_ROOT: where the cross builds go (default: beside BUILD_DIR).
set -euo pipefail
build=${1:?usage: release.sh BUILD_DIR OUT_DIR [EXTRA_ARCH...]}
out=${2:?usage: release.sh BUILD_DIR OUT_DIR [EXTRA_ARCH...]}
shift 2
src=$(cd "$(dirname "$0")/.." && pwd)
version=$("$build/pidone" --version | awk '{print $2}')

rm -rf "$out"
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# ship BUILD_DIR ARCH: the artefacts of one build.
ship() {
  local dir=$1 arch=$2
  local libc
  libc=$(sed -n 's/^PIDONE_SHIPPED_LIBC:INTERNAL=//p' "$dir/CMakeCache.txt")
  if [ "$libc" != musl ]; then
    echo "release: $dir/pidone is linked against ${libc:-an unknown C library}, not musl (install musl-dev: scripts/install-deps.sh build release)" >&2
    exit 1
  fi
  for bin in pidone pidone-inspect; do
    # A static executable has no program interpreter (PT_INTERP).
    if LC_ALL=C readelf -l "$dir/$bin" | grep -q 'Requesting program interpreter'; then
      echo "release: $dir/$bin is not static (configure with the release preset)" >&2
      exit 1
    fi
  done
  local root=$stage/$arch/pidone-$version
  cmake --install "$dir" --prefix "$root" --component pidone >/dev/null
  cmake --install "$dir" --prefix "$root" --component dropin >/dev/null
  cp "$dir/pidone" "$out/pidone-$version-$arch"
  cp "$dir/pidone-inspect" "$out/pidone-inspect-$version-$arch"
  # Reproducible archive: fixed owner, order, modes and times.
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' --mode='u+rwX,go+rX,go-w' \
      -C "$stage/$arch" -cf - "pidone-$version" | gzip -9n > "$out/pidone-$version-linux-$arch.tar.gz"
  (cd "$dir" && cpack -G DEB -B "$stage/$arch/deb" >/dev/null)
  cp "$stage/$arch"/deb/*.deb "$out/"
}

ship "$build" "$(uname -m)"
for arch in "$@"; do
  [ "$arch" = "$(uname -m)" ] && continue
  toolchain=$src/cmake/toolchain-$arch.cmake
  [ -f "$toolchain" ] || { echo "release: no toolchain file for $arch ($toolchain)" >&2; exit 1; }
  cross=${RELEASE_CROSS_ROOT:-$(dirname "$build")}/$(basename "$build")-$arch
  # Only what ships is built (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY: cpack builds nothing else).
  cmake -S "$src" -B "$cross" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=MinSizeRel \
        -DPIDONE_STATIC=ON -DPIDONE_LIBC=musl -DPIDONE_WERROR=ON -DPIDONE_TESTS=OFF \
        -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
  cmake --build "$cross" --target pidone pidone-inspect -j "$(nproc)" >/dev/null
  ship "$cross" "$arch"
done

(cd "$out" && sha256sum -- * > SHA256SUMS)
echo "release: $out"
(cd "$out" && cat SHA256SUMS)

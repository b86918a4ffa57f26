#!/usr/bin/env bash
# make release: the static binaries, ready to download, with checksums.
# Usage: scripts/release.sh BUILD_DIR OUT_DIR
# Writes OUT_DIR/pidone-VERSION-ARCH (the init), pidone-inspect-VERSION-ARCH, a tarball
# pidone-VERSION-linux-ARCH.tar.gz (both binaries, the drop-in symlinks, man pages, docs),
# the .deb packages (make package) and SHA256SUMS for all of them. Refuses binaries that are
# not static.
set -euo pipefail
build=${1:?usage: release.sh BUILD_DIR OUT_DIR}
out=${2:?usage: release.sh BUILD_DIR OUT_DIR}
src=$(cd "$(dirname "$0")/.." && pwd)

version=$("$build/pidone" --version | awk '{print $2}')
arch=$(uname -m)
for bin in pidone pidone-inspect; do
  # A static executable has no program interpreter (PT_INTERP).
  if LC_ALL=C readelf -l "$build/$bin" | grep -q 'Requesting program interpreter'; then
    echo "release: $build/$bin is not static (configure with the release preset)" >&2
    exit 1
  fi
done

rm -rf "$out"
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cmake --install "$build" --prefix "$stage/pidone-$version" --component pidone >/dev/null
cmake --install "$build" --prefix "$stage/pidone-$version" --component dropin >/dev/null

cp "$build/pidone" "$out/pidone-$version-$arch"
cp "$build/pidone-inspect" "$out/pidone-inspect-$version-$arch"
# Reproducible archive: fixed owner, order and times.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' --mode='u+rwX,go+rX,go-w' \
    -C "$stage" -cf - "pidone-$version" | gzip -9n > "$out/pidone-$version-linux-$arch.tar.gz"
(cd "$build" && cpack -G DEB -B "$stage/deb" >/dev/null)
cp "$stage"/deb/*.deb "$out/"
(cd "$out" && sha256sum -- * > SHA256SUMS)
echo "release: $out"
(cd "$out" && cat SHA256SUMS)

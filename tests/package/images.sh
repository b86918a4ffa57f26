#!/usr/bin/env bash
# The example images for tests/integration/images_test.cc: built once before those tests
# (a CTest fixture) and removed after them, under localhost/pidone-test/.
# Usage: images.sh build|cleanup SOURCE_DIR. Exit 77: skipped (not root, no podman).
set -euo pipefail
what=$1 src=$2
prefix=localhost/pidone-test/
podman=(podman --runtime runc)

case "$what" in
build)
  [ "$(id -u)" -eq 0 ] || { echo "SKIP: podman (rootful) needs root"; exit 77; }
  command -v podman >/dev/null || { echo "SKIP: podman is not installed (apt-get install podman)"; exit 77; }
  # No registry here: the build stage runs the host's toolchain (examples/build.sh --offline).
  timeout 900 "$src/examples/build.sh" --offline --no-cache --prefix "$prefix"
  ;;
cleanup)
  command -v podman >/dev/null || exit 0
  "${podman[@]}" ps -a --filter name='^pidone-test-' -q | xargs -r "${podman[@]}" rm -f >/dev/null
  # The Pods of examples/kubernetes, if a test was interrupted before its `kube down`.
  for pod in pidone-example pidone-shared; do
    "${podman[@]}" pod rm -f "$pod" >/dev/null 2>&1 || true
  done
  for image in pidone-example pidone-services sig-proc zombie-proc fwd_sig; do
    "${podman[@]}" rmi -f "${prefix}$image:v1" >/dev/null 2>&1 || true
  done
  "${podman[@]}" rmi -f localhost/pidone-host-builder:latest >/dev/null 2>&1 || true
  ;;
*) echo "images.sh: build or cleanup" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The ways pidone ships, checked for real: `make install` (cmake --install), the .deb packages
# (CPack) installed with dpkg into a root of their own beside a package that owns
# /usr/bin/tini, and `make release` (scripts/release.sh).
# Also: lintian on the packages, that they are reproducible, the license, and the size budget
# of the shipped binaries.
# Usage: package_test.sh install|deb|lintian|license|size|release|manpages BUILD_DIR SOURCE_DIR.
# Exit 77: skipped.
set -euo pipefail
what=$1 build=$2 src=$3
work=$(mktemp -d /tmp/pidone-package-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
# The status of a command, under a deadline (a hung init fails the test, never hangs it).
status_of() { local rc=0; timeout 20 "$@" >/dev/null 2>&1 || rc=$?; echo "$rc"; }

# lintian_clean DEB...: no error and no warning (informational tags are not counted); the
# overrides used are the packaging's own, each with its reason (packaging/lintian-overrides).
lintian_clean() {
  local out
  out=$(lintian --allow-root --tag-display-limit 0 "$@" 2>&1) || true
  if printf '%s\n' "$out" | grep -E '^[EW]: '; then
    fail "lintian: errors or warnings on $*"
  fi
}

# built_libc BUILD_DIR: the C library of the build's shipped pidone (cmake/musl.cmake).
built_libc() { sed -n 's/^PIDONE_SHIPPED_LIBC:INTERNAL=//p' "$1/CMakeCache.txt"; }

# PID 1 of a new PID namespace, as in a container: it must forward `kill 1` from inside.
# check_runs_as_pid1 PIDONE [EMULATOR]: EMULATOR (qemu-aarch64-static) runs a foreign build;
# the emulator then holds PID 1 and the shell is not necessarily PID 2.
check_runs_as_pid1() {
  local pidone=$1 run=("${@:2}" "$1")
  if [ "$(id -u)" -ne 0 ]; then
    echo "note: not root: $pidone not run as PID 1 of a new namespace"
    return 0
  fi
  local out
  out=$(timeout 20 unshare --pid --fork --mount-proc "${run[@]}" -- /bin/sh -c \
        'trap "echo got-TERM; exit 3" TERM; echo "pid=$$"; kill 1; sleep 10 & wait' 2>&1) || true
  case "$out" in *"pid="*"got-TERM"*) ;; *) fail "$pidone as PID 1: $out" ;; esac
  [ $# -gt 1 ] || case "$out" in *"pid=2"*) ;; *) fail "$pidone's child is not PID 2: $out" ;; esac
  expect_eq "$(status_of unshare --pid --fork --mount-proc "${run[@]}" -- /bin/sh -c 'exit 7')" 7 \
    "$pidone as PID 1: exit status"
}

case "$what" in
install)
  prefix=$work/prefix
  cmake --install "$build" --prefix "$prefix" >/dev/null
  for f in bin/pidone bin/pidone-inspect share/man/man1/pidone.1.gz share/man/man1/pidone-inspect.1.gz \
           share/doc/pidone/copyright share/doc/pidone/changelog.gz; do
    [ -f "$prefix/$f" ] || fail "make install did not install $f"
  done
  for name in tini docker-init dumb-init catatonit; do
    [ "$(readlink "$prefix/bin/$name")" = pidone ] || fail "bin/$name is not a symlink to pidone"
  done
  case "$("$prefix/bin/tini" --version)" in "tini version "*"(pidone "*) ;; *) fail "tini --version" ;; esac
  case "$("$prefix/libexec/pidone/catatonit" --version)" in *"(pidone "*) ;; *) fail "libexec catatonit" ;; esac
  # The man pages render without a single warning.
  for page in pidone pidone-inspect; do
    warnings=$(zcat "$prefix/share/man/man1/$page.1.gz" | groff -man -ww -z 2>&1)
    [ -z "$warnings" ] || fail "$page.1.gz: $warnings"
    MANWIDTH=80 man -l "$prefix/share/man/man1/$page.1.gz" 2>/dev/null | grep -q "^NAME" ||
      fail "man -l $page.1.gz shows no NAME section"
  done
  check_runs_as_pid1 "$prefix/bin/pidone"
  ;;

deb)
  command -v dpkg-deb >/dev/null && command -v cpack >/dev/null || skip "dpkg-deb or cpack missing"
  [ "$(id -u)" -eq 0 ] || skip "dpkg --root needs root"
  (cd "$build" && cpack -G DEB -B "$work/dist" >/dev/null)
  main=$(ls "$work"/dist/pidone_*.deb) dropin=$(ls "$work"/dist/pidone-dropin_*.deb)
  # pidone itself owns no name of another init's package.
  if dpkg-deb -c "$main" | grep -E '\./usr/bin/(tini|tini-static|docker-init|dumb-init|catatonit)( |$)'; then
    fail "the pidone package takes over another init's file"
  fi
  expect_eq "$(dpkg-deb -f "$main" Depends)" "" "pidone Depends (static binaries)"
  expect_eq "$(dpkg-deb -f "$dropin" Conflicts)" "tini, dumb-init, catatonit" "pidone-dropin Conflicts"

  # A dpkg root of its own, with a stand-in `tini` package that owns /usr/bin/tini.
  root=$work/root
  mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
  touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
  mkdir -p "$work/faketini/DEBIAN" "$work/faketini/usr/bin"
  printf 'Package: tini\nVersion: 0.19.0-1\nArchitecture: all\nMaintainer: test <t@localhost>\nDescription: stand-in\n stand-in\n' \
    > "$work/faketini/DEBIAN/control"
  printf '#!/bin/sh\necho the-real-tini\n' > "$work/faketini/usr/bin/tini"
  chmod 755 "$work/faketini/usr/bin/tini"
  dpkg-deb --root-owner-group -b "$work/faketini" "$work/tini.deb" >/dev/null
  # --path-include: a minimal Debian image's dpkg.cfg.d may exclude /usr/share/man and doc.
  dpkg_root() { dpkg --root="$root" --force-script-chrootless --path-include='/*' "$@"; }
  dpkg_root -i "$work/tini.deb" >/dev/null

  dpkg_root -i "$main" >/dev/null || fail "dpkg -i pidone failed"
  expect_eq "$("$root/usr/bin/tini")" "the-real-tini" "/usr/bin/tini after installing pidone"
  expect_eq "$(status_of "$root/usr/bin/pidone" -- /bin/sh -c 'exit 7')" 7 "installed pidone"
  case "$("$root/usr/bin/pidone-inspect" --version)" in "pidone-inspect "*) ;; *) fail "pidone-inspect" ;; esac
  case "$("$root/usr/libexec/pidone/tini" --version)" in "tini version "*) ;; *) fail "libexec/pidone/tini" ;; esac
  [ -f "$root/usr/share/man/man1/pidone.1.gz" ] || fail "no man page in the package"
  check_runs_as_pid1 "$root/usr/bin/pidone"

  # The drop-in, asked for, replaces the tini package cleanly (Conflicts + Replaces: dpkg
  # removes it; apt asks first) and takes its names.
  dpkg_root -i "$dropin" >/dev/null || fail "dpkg -i pidone-dropin failed"
  if dpkg_root -s tini >/dev/null 2>&1; then fail "tini is still installed beside pidone-dropin"; fi
  for name in tini tini-static docker-init dumb-init catatonit; do
    case "$("$root/usr/bin/$name" --version 2>&1)" in *"(pidone "*) ;; *) fail "/usr/bin/$name" ;; esac
  done
  expect_eq "$(status_of "$root/usr/bin/tini" -- /bin/sh -c 'exit 5')" 5 "tini (pidone) exit status"
  [ "$(readlink "$root/usr/share/man/man1/tini.1.gz")" = pidone.1.gz ] || fail "no man page for tini"

  dpkg_root -r pidone-dropin pidone >/dev/null
  left=$(find "$root/usr" -mindepth 1 2>/dev/null | head -5 || true)
  expect_eq "$left" "" "files left after dpkg -r"
  ;;

lintian)
  command -v lintian >/dev/null || skip "lintian is not installed (scripts/install-deps.sh release)"
  command -v cpack >/dev/null || skip "cpack missing"
  (cd "$build" && cpack -G DEB -B "$work/one" >/dev/null)
  lintian_clean "$work"/one/*.deb
  # Every override is for a static binary, with a comment saying why just above it.
  overrides=$src/packaging/lintian-overrides
  if grep -v -e '^#' -e '^$' "$overrides" | grep -v ': statically-linked-binary \['; then
    fail "an override other than statically-linked-binary"
  fi
  awk '/^[^#]/ && prev !~ /^#/ { bad = 1 } { prev = $0 } END { exit bad }' "$overrides" ||
    fail "an override without its reason above it"
  # Reproducible: built again a second later, the same bytes (SOURCE_DATE_EPOCH).
  sleep 1
  (cd "$build" && cpack -G DEB -B "$work/two" >/dev/null)
  for deb in "$work"/one/*.deb; do
    cmp -s "$deb" "$work/two/$(basename "$deb")" || fail "$(basename "$deb") differs between two builds"
  done
  ;;

license)
  # pidone --license and the originals' license flags print LICENSE, then what the static
  # binary contains of other projects; the packages' copyright file carries the same terms.
  body=$("$build/pidone" --license)
  expect_eq "$(printf '%s\n' "$body" | head -n "$(wc -l < "$src/LICENSE")")" "$(cat "$src/LICENSE")" \
    "pidone --license against LICENSE"
  case "$body" in *"GCC Runtime Library Exception"*) ;; *) fail "--license does not name GCC's runtime" ;; esac
  if [ "$(built_libc "$build")" = musl ]; then
    case "$body" in *"musl libc: Copyright"*) ;; *) fail "--license does not name musl" ;; esac
  fi
  expect_eq "$("$build/pidone" -L)" "$body" "pidone -L"
  expect_eq "$("$build/tini" -l)" "$body" "tini -l"
  expect_eq "$("$build/catatonit" -L)" "$body" "catatonit -L"
  # The copyright file's Expat text is LICENSE's permission notice, word for word.
  from_copyright=$(awk '/^License: Expat$/ { on = 1; next } on && /^ / { print; next } { on = 0 }' \
                   "$src/packaging/copyright" | sed 's/^ //; s/^\.$//' | tr -s ' \n' ' ')
  from_license=$(sed -n '/^Permission/,$p' "$src/LICENSE" | tr -s ' \n' ' ')
  expect_eq "$from_copyright" "$from_license" "packaging/copyright's Expat license against LICENSE"
  grep -q "^Copyright: .*The pidone authors" "$src/packaging/copyright" || fail "copyright holder"
  ;;

size)
  # The budget of issue 16 for what ships: pidone at most 128 KiB, pidone-inspect 400 KiB,
  # both static and on musl.
  [ "$(built_libc "$build")" = musl ] || skip "not a musl build ($(built_libc "$build")): install musl-dev"
  for f in pidone:131072 pidone-inspect:409600; do
    bin=$build/${f%%:*} limit=${f#*:}
    size=$(stat -c %s "$bin")
    [ "$size" -le "$limit" ] || fail "$bin is $size bytes, over its budget of $limit"
    if LC_ALL=C readelf -l "$bin" | grep -q 'program interpreter'; then fail "$bin is not static"; fi
    # glibc marks its executables with an ABI note; a musl one has none.
    if LC_ALL=C readelf -n "$bin" | grep -q 'NT_GNU_ABI_TAG'; then fail "$bin is linked against glibc"; fi
    echo "$bin: $size bytes (budget $limit)"
  done
  ;;

manpages)
  # Written from the real options: the long options of --help, of the man page and of
  # docs/options.md are the same set, every pidone option names its PIDONE_ variable, and
  # the version matches.
  for prog in pidone pidone-inspect; do
    page=$src/docs/man/$prog.1
    from_help=$("$build/$prog" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
    from_man=$(sed -n '/^\.SH OPTIONS/,/^\.SH [^O]/p' "$page" | grep -o -- '\\-\\-[a-z][a-z\\-]*' | sed 's/\\-/-/g' | sort -u)
    expect_eq "$from_man" "$from_help" "long options of $prog.1 against $prog --help"
    if [ "$prog" = pidone ]; then
      from_doc=$(grep -o -- '`--[a-z][a-z-]*' "$src/docs/options.md" | tr -d '`' | sort -u)
      expect_eq "$from_doc" "$from_help" "long options of docs/options.md against pidone --help"
    fi
    version=$("$build/$prog" --version | awk '{print $2}')
    grep -q "^\.TH .*\"pidone $version\"" "$page" || fail "$prog.1 is not for version $version"
  done
  for option in $("$build/pidone" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    case "$option" in --help|--version|--license) continue ;; esac
    var=PIDONE_$(echo "${option#--}" | tr 'a-z-' 'A-Z_')
    grep -q "$var" "$src/docs/man/pidone.1" || fail "pidone.1 does not name $var for $option"
    grep -q "$var" "$src/docs/options.md" || fail "docs/options.md does not name $var for $option"
  done
  ;;

release)
  if LC_ALL=C readelf -l "$build/pidone" | grep -q 'program interpreter'; then
    skip "not a static build (make release uses the release preset)"
  fi
  # aarch64 too where the cross compiler and qemu are (scripts/install-deps.sh release has them).
  extra=()
  if command -v aarch64-linux-gnu-g++ >/dev/null && command -v qemu-aarch64-static >/dev/null &&
     [ "$(uname -m)" = x86_64 ]; then
    extra=(aarch64)
  else
    echo "note: no aarch64 cross compiler or qemu-aarch64-static: native release only"
  fi
  [ "$(built_libc "$build")" = musl ] || skip "make release ships musl binaries: install musl-dev"
  # The cross build goes into the work folder too: nothing is left behind.
  RELEASE_CROSS_ROOT=$work "$src/scripts/release.sh" "$build" "$work/dist" "${extra[@]}" >/dev/null
  (cd "$work/dist" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
  version=$("$build/pidone" --version | awk '{print $2}')
  for f in "pidone-$version-$(uname -m)" "pidone-inspect-$version-$(uname -m)"; do
    grep -q " $f\$" "$work/dist/SHA256SUMS" || fail "$f is not in SHA256SUMS"
    if LC_ALL=C readelf -l "$work/dist/$f" | grep -q 'program interpreter'; then fail "$f is not static"; fi
  done
  tar -C "$work" -xzf "$work/dist/pidone-$version-linux-$(uname -m).tar.gz"
  expect_eq "$(status_of "$work/pidone-$version/bin/pidone" -- /bin/sh -c 'exit 9')" 9 "released pidone"
  check_runs_as_pid1 "$work/dist/pidone-$version-$(uname -m)"
  if [ ${#extra[@]} -gt 0 ]; then
    for f in "pidone-$version-aarch64" "pidone-inspect-$version-aarch64" \
             "pidone-$version-linux-aarch64.tar.gz" "pidone_${version}_arm64.deb"; do
      grep -q " $f\$" "$work/dist/SHA256SUMS" || fail "$f is not in SHA256SUMS"
    done
    LC_ALL=C readelf -h "$work/dist/pidone-$version-aarch64" | grep -q AArch64 ||
      fail "pidone-$version-aarch64 is not an AArch64 binary"
    expect_eq "$(dpkg-deb -f "$work/dist/pidone_${version}_arm64.deb" Architecture)" arm64 \
      "arm64 package architecture"
    check_runs_as_pid1 "$work/dist/pidone-$version-aarch64" qemu-aarch64-static
    size=$(stat -c %s "$work/dist/pidone-$version-aarch64")
    [ "$size" -le 131072 ] || fail "pidone-$version-aarch64 is $size bytes, over 128 KiB"
  fi
  if command -v lintian >/dev/null; then
    lintian_clean "$work"/dist/*.deb
  else
    echo "note: lintian is not installed: the packages are not checked"
  fi
  ;;
*) fail "unknown check '$what'" ;;
esac
echo "ok: $what"

# The stable interface: `make test`, `make demo`, `make install PREFIX=DIR`, `make bench`,
# `make package` (.deb in DIST), `make release` (static binaries and checksums in DIST).
PREFIX ?= /usr/local
JOBS ?= $(shell nproc)
CMAKE ?= cmake
CTEST ?= ctest
DIST ?= dist
# make release builds these too, cross-compiled (cmake/toolchain-ARCH.cmake), beside the native.
RELEASE_ARCHES ?= aarch64

.PHONY: all deps build test test-asan asan install package release demo bench fuzz format format-check lint clean

all: build

deps:
	@scripts/install-deps.sh build

# The shipped configuration: static, size-optimised pidone, warnings as errors.
build: deps
	@$(CMAKE) --preset release >/dev/null
	@$(CMAKE) --build --preset release -j $(JOBS)

test: build
	$(CTEST) --preset release -j $(JOBS)

asan test-asan: deps
	@$(CMAKE) --preset asan >/dev/null
	@$(CMAKE) --build --preset asan -j $(JOBS)
	$(CTEST) --preset asan -j $(JOBS)

install: build
	$(CMAKE) --install build/release --prefix "$(PREFIX)"

# pidone_VERSION_ARCH.deb and pidone-dropin_VERSION_ARCH.deb (cmake/package.cmake).
package: build
	@mkdir -p "$(DIST)"
	cd build/release && cpack -G DEB -B "$(abspath $(DIST))"
	@rm -rf "$(DIST)/_CPack_Packages"

# The static binaries, a tarball and the packages for each architecture, SHA256SUMS
# (scripts/release.sh).
release: build
	@scripts/release.sh build/release "$(DIST)" $(RELEASE_ARCHES)

# The lab: the seed's experiments in real PID namespaces, naive inits beside pidone (root).
demo: build
	@build/release/lab/pidone-lab all

bench: build
	@scripts/install-deps.sh bench
	@bench/run.sh build/release

# libFuzzer targets (clang 16), FUZZ_SECONDS each (default 30).
fuzz:
	@scripts/install-deps.sh fuzz
	@scripts/fuzz.sh

format:
	@git ls-files --cached --others --exclude-standard '*.cc' '*.h' | xargs clang-format -i

# Static analysis of warning classes (style advice is not a failure).
lint: build
	cppcheck --project=build/release/compile_commands.json --enable=warning,performance,portability \
	  --inline-suppr --suppress=missingIncludeSystem --suppress='*:/usr/*' --std=c++20 -q \
	  --file-filter='*src/sys/*' --file-filter='*src/proc/*' --file-filter='*src/pidone/*' \
	  --file-filter='*src/inspect/*' --error-exitcode=1

format-check:
	@git ls-files --cached --others --exclude-standard '*.cc' '*.h' | xargs clang-format --dry-run --Werror

clean:
	rm -rf build dist

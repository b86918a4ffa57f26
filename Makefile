# The stable interface: `make test`, `make demo`, `make install PREFIX=DIR`, `make bench`,
# `make package` (.deb in DIST), `make release` (static binaries and checksums in DIST).
PREFIX ?= /usr/local
JOBS ?= $(shell nproc)
CMAKE ?= cmake
CTEST ?= ctest
DIST ?= dist
# make release builds these too, cross-compiled (cmake/toolchain-ARCH.cmake), beside the native.
RELEASE_ARCHES ?= aarch64

.PHONY: all deps build test test-asan asan install package release demo bench fuzz format format-check lint tidy clean

all: build

# Each target installs what it needs (scripts/install-deps.sh names the groups); building
# asks for a compiler, CMake and make only.
deps:
	@scripts/install-deps.sh build

# The shipped configuration: static, size-optimised pidone, warnings as errors. The tests are
# built too when GoogleTest is there.
build: deps
	@$(CMAKE) --preset release >/dev/null
	@$(CMAKE) --build --preset release -j $(JOBS)

test:
	@scripts/install-deps.sh test release
	@$(MAKE) --no-print-directory build
	$(CTEST) --preset release -j $(JOBS)

asan test-asan:
	@scripts/install-deps.sh test
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
release:
	@scripts/install-deps.sh release
	@$(MAKE) --no-print-directory build
	@scripts/release.sh build/release "$(DIST)" $(RELEASE_ARCHES)

# The lab: the seed's experiments in real PID namespaces, naive inits beside pidone (root).
demo:
	@scripts/install-deps.sh demo
	@$(MAKE) --no-print-directory build
	@build/release/lab/pidone-lab all

bench: build
	@scripts/install-deps.sh bench
	@bench/run.sh build/release

# libFuzzer targets (clang 16), FUZZ_SECONDS each (default 30).
fuzz:
	@scripts/install-deps.sh fuzz
	@scripts/fuzz.sh

format:
	@scripts/install-deps.sh lint
	@git ls-files --cached --others --exclude-standard '*.cc' '*.h' | xargs clang-format -i

# Static analysis of warning classes (style advice is not a failure): cppcheck, then the
# checks .clang-tidy lists, as errors. cppcheck 2.10 knows no C++23; c++20 is its newest.
lint: build
	@scripts/install-deps.sh lint
	cppcheck --project=build/release/compile_commands.json --enable=warning,performance,portability \
	  --inline-suppr --suppress=missingIncludeSystem --suppress='*:/usr/*' --std=c++20 -q \
	  --file-filter='*src/sys/*' --file-filter='*src/proc/*' --file-filter='*src/pidone/*' \
	  --file-filter='*src/inspect/*' --error-exitcode=1
	@$(MAKE) --no-print-directory tidy

tidy:
	@scripts/install-deps.sh lint
	@scripts/tidy.sh build/release

format-check:
	@scripts/install-deps.sh lint
	@git ls-files --cached --others --exclude-standard '*.cc' '*.h' | xargs clang-format --dry-run --Werror

clean:
	rm -rf build dist

# `make package`: two .deb packages (CPack), both of static binaries, so with no dependencies.
#   pidone         /usr/bin/pidone, /usr/bin/pidone-inspect, man pages, docs, and the drop-in
#                  names under /usr/libexec/pidone/. Installs beside tini, dumb-init and
#                  catatonit and takes over none of their files.
#   pidone-dropin  asked for explicitly: /usr/bin/tini, tini-static, docker-init, dumb-init,
#                  catatonit and /usr/libexec/podman/catatonit as pidone. It replaces the
#                  packages that own those files (Conflicts/Replaces/Provides).
#
# Debian's way (lintian clean: tests/package/package_test.sh lintian): a copyright file and a
# changelog in each package's doc directory, compressed man pages (cmake/install.cmake),
# description lines under 80 columns, and lintian overrides only for the static binaries,
# each with its reason (packaging/lintian-overrides). Reproducible: every time stamp is
# SOURCE_DATE_EPOCH, taken from packaging/changelog's last entry unless the environment sets
# it (cmake/package_config.cmake, read by cpack), so two builds give the same bytes.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pidone)
# The address is a placeholder in a reserved domain (.invalid): whoever publishes the
# packages sets theirs, -DPIDONE_MAINTAINER="Name <address>".
set(PIDONE_MAINTAINER "The pidone authors <pidone@pidone.invalid>" CACHE STRING
    "Maintainer field of the .deb packages")
set(CPACK_PACKAGE_VENDOR "The pidone authors")
set(CPACK_PACKAGE_CONTACT "${PIDONE_MAINTAINER}")

# SOURCE_DATE_EPOCH: the date of packaging/changelog's last entry (as dpkg-buildpackage does).
file(STRINGS packaging/changelog trailer REGEX "^ -- .*>  .*$" LIMIT_COUNT 1)
string(REGEX REPLACE "^ -- .*>  " "" changelog_date "${trailer}")
execute_process(COMMAND date -u -d "${changelog_date}" +%s OUTPUT_VARIABLE PIDONE_SOURCE_DATE_EPOCH
                OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT PIDONE_SOURCE_DATE_EPOCH MATCHES "^[0-9]+$")
  message(FATAL_ERROR "packaging/changelog: cannot read the date of its last entry ('${changelog_date}')")
endif()
configure_file(cmake/package_config.cmake.in ${PROJECT_BINARY_DIR}/CPackProjectConfig.cmake @ONLY)
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_BINARY_DIR}/CPackProjectConfig.cmake)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES OFF)  # pidone is linked stripped; pidone-inspect keeps its symbols
set(CPACK_COMPONENTS_ALL pidone dropin)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
if(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)  # dpkg would name the build machine's
endif()

set(CPACK_DEBIAN_PIDONE_PACKAGE_NAME pidone)
set(CPACK_DEBIAN_PIDONE_DESCRIPTION
    "container init (PID 1): forwards signals, reaps zombies, drains on exit
pidone runs a command as the child of a container init. It forwards every
signal to it (kill 1 and docker stop work), reaps every zombie, sends SIGTERM
to what is left when the command exits and waits a grace period before
SIGKILL, and exits with the command's status.
.
One small static binary, also a drop-in tini, docker-init, dumb-init and
catatonit by name (symlinks in /usr/libexec/pidone; pidone-dropin puts them
in /usr/bin). pidone-inspect explains a live container's PID 1, its zombies
and its pids limit.")

set(CPACK_DEBIAN_DROPIN_PACKAGE_NAME pidone-dropin)
set(CPACK_COMPONENT_DROPIN_DEPENDS pidone)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)  # Depends: pidone (= version)
set(CPACK_DEBIAN_DROPIN_PACKAGE_CONFLICTS "tini, dumb-init, catatonit")
set(CPACK_DEBIAN_DROPIN_PACKAGE_REPLACES "tini, dumb-init, catatonit")
set(CPACK_DEBIAN_DROPIN_PACKAGE_PROVIDES "tini, dumb-init, catatonit")
set(CPACK_DEBIAN_DROPIN_DESCRIPTION
    "pidone as /usr/bin/tini, docker-init, dumb-init and catatonit
Symlinks that make pidone answer to the names of tini (and tini-static,
docker-init), dumb-init and catatonit (and podman's
/usr/libexec/podman/catatonit), with their command lines, environment
variables and exit codes. Replaces those packages.")

include(CPack)

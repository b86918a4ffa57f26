// Included first in every file compiled against musl (cmake/musl.cmake: -include). g++ 12's
// libstdc++ is configured for glibc; its header-only parts compile against musl's headers once
// given the two glibc names they ask for. Nothing here is compiled into a binary.
#pragma once

#include <locale.h>

// libstdc++'s os_defines.h tests the glibc version: musl is no glibc.
#define __GLIBC_PREREQ(major, minor) 0  // NOLINT(bugprone-reserved-identifier)

// bits/c++locale.h names glibc's locale type; musl's is locale_t.
typedef locale_t __locale_t;  // NOLINT(bugprone-reserved-identifier,modernize-use-using)

// Included first in every file compiled against musl (cmake/musl.cmake: -include). g++ 12's
// libstdc++ is configured for glibc; its header-only parts compile against musl's headers once
// given the glibc names they ask for. Nothing here is compiled into a binary.
#pragma once

#include <locale.h>
#include <pthread.h>
#include <time.h>

// libstdc++'s os_defines.h tests the glibc version: musl is no glibc.
#define __GLIBC_PREREQ(major, minor) 0  // NOLINT(bugprone-reserved-identifier)

// bits/c++locale.h names glibc's locale type; musl's is locale_t.
typedef locale_t __locale_t;  // NOLINT(bugprone-reserved-identifier,modernize-use-using)

// bits/ctype_base.h (reached through <memory>: unique_ptr's operator<< brings <ostream> in
// C++20) names glibc's character class bits. They only type the stream facets, which are
// libstdc++'s compiled part and never linked here; the values are glibc's (little endian).
// NOLINTBEGIN(bugprone-reserved-identifier,readability-identifier-naming)
enum : unsigned short {
  _ISupper = 1U << 8,
  _ISlower = 1U << 9,
  _ISalpha = 1U << 10,
  _ISdigit = 1U << 11,
  _ISxdigit = 1U << 12,
  _ISspace = 1U << 13,
  _ISprint = 1U << 14,
  _ISgraph = 1U << 15,
  _ISblank = 1U << 0,
  _IScntrl = 1U << 1,
  _ISpunct = 1U << 2,
  _ISalnum = 1U << 3,
};
// NOLINTEND(bugprone-reserved-identifier,readability-identifier-naming)

// libstdc++ was configured against glibc 2.36, which has these four; its <mutex> and
// <condition_variable> parts call them. Declared so that the headers (<memory> reaches them)
// compile; musl has none of them, so code that used one would not link. pidone has no threads.
extern "C" {
int pthread_cond_clockwait(pthread_cond_t*, pthread_mutex_t*, clockid_t, const struct timespec*);
int pthread_mutex_clocklock(pthread_mutex_t*, clockid_t, const struct timespec*);
int pthread_rwlock_clockrdlock(pthread_rwlock_t*, clockid_t, const struct timespec*);
int pthread_rwlock_clockwrlock(pthread_rwlock_t*, clockid_t, const struct timespec*);
}

// The one EINTR loop. close() must never go through it: after close() fails with EINTR the
// descriptor is already gone, and a retry could close a descriptor another call just opened.
#pragma once

#include <cerrno>

namespace pidone::sys {

template <class Call>
auto retry_on_eintr(Call call) {
  for (;;) {
    auto result = call();
    if (result != -1 || errno != EINTR) {
      return result;
    }
  }
}

}  // namespace pidone::sys

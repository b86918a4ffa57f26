#include "sys/clock.h"

#include <time.h>

#include <algorithm>
#include <limits>

namespace pidone::sys {

Millis monotonic_now_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return Millis{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
}

int poll_timeout_ms(std::optional<Millis> deadline, Millis now) {
  if (!deadline) {
    return -1;
  }
  const Millis left = std::max<Millis>(*deadline - now, 0);
  return static_cast<int>(std::min<Millis>(left, std::numeric_limits<int>::max()));
}

}  // namespace pidone::sys

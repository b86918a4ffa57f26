#include "pidone/log.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdarg>
#include <cstdio>

namespace pidone {

void Log::write(Level level, const char* format, ...) const {
  if (!enabled(level)) {
    return;
  }
  const int saved_errno = errno;
  std::array<char, 1024> line;
  const int head = std::snprintf(line.data(), line.size(), "%s: ", prefix_);
  std::size_t used = head > 0 ? static_cast<std::size_t>(head) : 0;
  va_list args;
  va_start(args, format);
  // va_start is right above; clang's analyser loses it in _FORTIFY_SOURCE's vsnprintf wrapper.
  // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
  const int body = std::vsnprintf(line.data() + used, line.size() - used, format, args);
  va_end(args);
  if (body > 0) {
    used += static_cast<std::size_t>(body);
  }
  used = used < line.size() - 1 ? used : line.size() - 2;  // a long line is cut, not dropped
  line[used++] = '\n';
  // SIGPIPE is blocked in pidone, so a closed stderr gives EPIPE here, which is ignored.
  (void)!::write(STDERR_FILENO, line.data(), used);
  errno = saved_errno;
}

}  // namespace pidone

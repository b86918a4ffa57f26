#include "sys/write_all.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "sys/retry.h"

namespace pidone::sys {

Result<void> write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n >= 0) {
      text.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return errno_error("write");
    }
    pollfd ready{fd, POLLOUT, 0};
    if (retry_on_eintr([&] { return ::poll(&ready, 1, -1); }) < 0) {
      return errno_error("poll");
    }
  }
  return {};
}

}  // namespace pidone::sys

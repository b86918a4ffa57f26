#include "sys/unique_fd.h"

#include <unistd.h>

namespace pidone::sys {

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) {
    // Even when close() fails with EINTR the descriptor is released (Linux), so no retry.
    (void)::close(fd_);
  }
  fd_ = fd;
}

}  // namespace pidone::sys

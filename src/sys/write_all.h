// write_all(): all of a text to a descriptor, for what pidone prints once and then exits on
// (--help, --version, --license, a usage error), without the C library's stdio.
#pragma once

#include <string_view>

#include "sys/error.h"

namespace pidone::sys {

// Writes all of `text` to `fd`: again after a partial write or EINTR, and after poll() says
// there is room when the descriptor is non-blocking (EAGAIN). It may wait as long as the
// reader does. Stops at the first other error (EPIPE when the reader is gone and SIGPIPE is
// blocked or ignored) and returns it.
Result<void> write_all(int fd, std::string_view text);

}  // namespace pidone::sys

#include "sys/pid_fd.h"

#include <sys/syscall.h>
#include <unistd.h>

namespace pidone::sys {

Result<PidFd> PidFd::open(pid_t pid) {
  // pidfd_open's descriptor is close-on-exec.
  const auto raw = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (raw < 0) {
    return errno_error("pidfd_open");
  }
  return PidFd(UniqueFd(raw));
}

Result<void> PidFd::send_signal(int sig, const siginfo_t* info) const {
  if (::syscall(SYS_pidfd_send_signal, fd_.get(), sig, info, 0) != 0) {
    return errno_error("pidfd_send_signal");
  }
  return {};
}

}  // namespace pidone::sys

// SignalFd: signals delivered as data. The caller blocks the set first (set_signal_mask).
#pragma once

#include <sys/signalfd.h>

#include <vector>

#include "sys/signal_set.h"
#include "sys/unique_fd.h"

namespace pidone::sys {

class SignalFd {
 public:
  // Non-blocking and close-on-exec.
  [[nodiscard]] static Result<SignalFd> open(SignalSet signals);

  [[nodiscard]] int fd() const { return fd_.get(); }

  // Appends every pending signal to `out` until the queue is empty. Standard signals coalesce
  // in the kernel; real-time signals arrive one record each, in order.
  [[nodiscard]] Result<void> read_all(std::vector<signalfd_siginfo>& out) const;

 private:
  explicit SignalFd(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace pidone::sys

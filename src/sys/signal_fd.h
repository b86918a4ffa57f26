// SignalFd: signals delivered as data. The caller blocks the set first (set_signal_mask).
#pragma once

#include <sys/signalfd.h>

#include <vector>

#include "sys/signal_set.h"
#include "sys/unique_fd.h"

namespace pidone::sys {

class SignalFd {
 public:
  SignalFd() = default;  // holds nothing until open() gives one
  // Blocking and close-on-exec.
  [[nodiscard]] static Result<SignalFd> open(SignalSet signals);

  [[nodiscard]] int fd() const { return fd_.get(); }

  // Blocks until a signal is pending, then appends the pending ones to `out`, up to
  // kBatch per call (call again for the rest: it returns at once while any is pending).
  // Standard signals coalesce in the kernel; real-time ones arrive one record each, in order.
  [[nodiscard]] Result<void> read_batch(std::vector<signalfd_siginfo>& out) const;

  // The records are read into a buffer on the stack: 16 of them (2 KiB) cover every standard
  // signal that can be pending at once but a few; 64 cost 8 KiB of stack that stays
  // resident all the time pidone sleeps.
  static constexpr std::size_t kBatch = 16;

 private:
  explicit SignalFd(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace pidone::sys

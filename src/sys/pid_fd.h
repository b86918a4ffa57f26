// PidFd: a stable handle on one process. A signal sent through it can never reach a process
// that reused the PID, which a plain kill(pid) cannot promise.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include "sys/error.h"
#include "sys/unique_fd.h"

namespace pidone::sys {

class PidFd {
 public:
  PidFd() = default;
  // For our own child this is race-free until we reap it: its PID cannot be reused before.
  [[nodiscard]] static Result<PidFd> open(pid_t pid);

  [[nodiscard]] bool valid() const { return fd_.valid(); }
  [[nodiscard]] int fd() const { return fd_.get(); }

  // `info` may be null (the receiver sees SI_USER from us), or carry SI_QUEUE and a value.
  [[nodiscard]] Result<void> send_signal(int sig, const siginfo_t* info = nullptr) const;

 private:
  explicit PidFd(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace pidone::sys

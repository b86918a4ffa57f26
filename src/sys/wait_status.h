// Reaping children, and the exit code of a child (sys/exit_codes.h has the convention).
#pragma once

#include <sys/types.h>

#include "sys/error.h"
#include "sys/exit_codes.h"

namespace pidone::sys {

struct ChildExit {
  pid_t pid = 0;
  bool signaled = false;  // killed by a signal (si_code CLD_KILLED or CLD_DUMPED)
  int value = 0;          // exit status, or the signal number when `signaled`

  [[nodiscard]] int exit_code() const { return signaled ? 128 + value : value; }
};

enum class ReapOutcome {
  kReaped,      // one child was reaped; `exit` says which and how
  kNoneReady,   // children exist, none has exited
  kNoChildren,  // ECHILD: nothing left to wait for
};

struct Reaped {
  ReapOutcome outcome = ReapOutcome::kNoChildren;
  ChildExit exit;
};

// Reaps at most one exited child without blocking (waitid P_ALL, WEXITED | WNOHANG).
[[nodiscard]] Result<Reaped> reap_one();

// Exit code for a failed exec: 127 when the file was not found, 126 otherwise.
[[nodiscard]] int exit_code_for_exec_errno(int err);

}  // namespace pidone::sys

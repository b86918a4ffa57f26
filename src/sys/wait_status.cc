#include "sys/wait_status.h"

#include <sys/wait.h>

#include <cerrno>

#include "sys/retry.h"

namespace pidone::sys {

Result<Reaped> reap_one() {
  siginfo_t info{};
  const int rc = retry_on_eintr([&] { return ::waitid(P_ALL, 0, &info, WEXITED | WNOHANG); });
  if (rc != 0) {
    if (errno == ECHILD) {
      return Reaped{ReapOutcome::kNoChildren, {}};
    }
    return errno_error("waitid");
  }
  if (info.si_pid == 0) {
    return Reaped{ReapOutcome::kNoneReady, {}};
  }
  ChildExit exit;
  exit.pid = info.si_pid;
  exit.signaled = info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED;
  exit.value = info.si_status;
  return Reaped{ReapOutcome::kReaped, exit};
}

int exit_code_for_exec_errno(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG:
      return kExitNotFound;
    default:
      return kExitCannotRun;
  }
}

}  // namespace pidone::sys

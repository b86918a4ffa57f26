// spawn_child: start a program the way posix_spawn does, with clone(CLONE_VM | CLONE_VFORK):
// the child shares pidone's memory until it execs, so nothing is copied, and pidone resumes
// only once the program runs (or failed to). Why it failed comes back through that shared
// memory: no pipe, no descriptor needed.
//
// In the child, before exec: a new session or process group, the terminal's foreground, the
// signal state the request names (dispositions first, the mask last), LISTEN_PID.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "sys/error.h"
#include "sys/signal_set.h"

namespace pidone::sys {

struct SpawnRequest {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH (as execvp)
  bool new_process_group = true;  // setpgid(0, 0): the child leads its own group
  bool new_session = false;       // setsid(): the child leads a new session and group
  int foreground_tty = -1;        // >= 0: make the child's group the foreground group there
  int controlling_tty = -1;       // >= 0 with new_session: make it the session's terminal
  SignalSet mask;                 // the child's blocked signals at exec
  SignalSet ignored;              // signals the child starts ignoring; every other one SIG_DFL
  bool set_listen_pid = false;    // LISTEN_PID=<the child's own pid> (socket activation)
  const char* cwd = nullptr;      // chdir() here first (a service's directory)
  bool stdin_null = false;        // stdin from /dev/null
  int pass_fd = -1;               // this descriptor ...
  int pass_fd_as = -1;            // ... becomes this one in the child (readiness pipes)
  bool close_other_fds = false;   // the child keeps 0, 1, 2 and pass_fd_as only
};

struct Spawned {
  pid_t pid = 0;
  int controlling_tty_error = 0;  // errno of TIOCSCTTY when it was asked for and failed
};

// Which step failed. kExec: the program could not be run; `error.code` is execve's errno.
// The last is kFds (spawn.cc names each step).
enum class SpawnStep { kClone, kSetsid, kSetpgid, kTcsetpgrp, kSignals, kExec, kChdir, kFds };

struct SpawnError {
  SpawnStep step = SpawnStep::kClone;
  SysError error;
};

// The caller blocks every signal it can before calling (so none runs a handler in the child,
// and none is lost while it starts). The child of a failed spawn has been reaped.
[[nodiscard]] std::expected<Spawned, SpawnError> spawn_child(const SpawnRequest& request);

// Why a program that exists could not be found: for an ENOENT from exec, the path of `file`
// (as PATH resolves it) and the interpreter its "#!" line names, when that is what is missing.
// Empty when the program itself is missing (or its interpreter is there after all).
[[nodiscard]] std::string missing_interpreter(const std::string& file);

}  // namespace pidone::sys

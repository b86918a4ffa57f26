// spawn_child: fork + exec with the child's signal state made clean, and exec errors reported
// to the parent through a close-on-exec pipe (0 bytes read means the exec succeeded).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "sys/error.h"

namespace pidone::sys {

struct SpawnRequest {
  std::vector<std::string> argv;   // argv[0] is looked up in PATH (execvp)
  bool new_process_group = false;  // setpgid(0, 0): the child leads its own group
  bool new_session = false;        // setsid(): the child leads a new session and group
  int foreground_tty = -1;         // >= 0: make the child's group the foreground group there
  int controlling_tty = -1;        // >= 0 with new_session: make it the session's terminal
};

// Which side failed. On kChild, `error.operation` names the child's step ("execvp",
// "setpgid", "tcsetpgrp", ...) and the child has already been reaped.
enum class SpawnFailure { kParent, kChild };

struct SpawnError {
  SpawnFailure side = SpawnFailure::kParent;
  SysError error;
};

// The caller blocks signals before calling (so none is lost while the child starts). In the
// child, every disposition is reset to SIG_DFL and the mask is emptied just before exec.
// Returns once the child has exec'd (or failed to).
[[nodiscard]] std::expected<pid_t, SpawnError> spawn_child(const SpawnRequest& request);

}  // namespace pidone::sys

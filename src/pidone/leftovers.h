// Leftovers: who is left when the main child has exited, and how to signal them.
//
// As PID 1 that is the whole namespace but pidone: kill(-1, sig) reaches every one at once,
// and no PID can be stale. As a subreaper it is pidone's descendants, found in /proc; each is
// pinned with a pidfd and checked against the start time it was listed with before it is
// signalled, so a PID that was reused in between is never hit. Where /proc cannot list them
// (none mounted, or another namespace's), the main child's process group is what is left to
// reach: it is signalled, and the report says the rest were unlisted.
//
// A SIGTERM is followed by a SIGCONT: a stopped process runs no handler until it is continued
// (s6 does the same).
#pragma once

#include <sys/types.h>

#include <vector>

#include "proc/stat_parser.h"

namespace pidone {

enum class Scope {
  kNamespace,    // pidone is PID 1
  kDescendants,  // pidone is a subreaper (or a plain parent)
};

struct DrainReport {
  int signalled = 0;                // processes signalled (-1: an unknown number, kill(-1))
  bool unlisted = false;            // /proc could not list them: only `group` was signalled
  std::vector<proc::ProcStat> who;  // what /proc listed, when it could
};

// Sends `sig` (SIGTERM: then SIGCONT) to everything in `scope` except pidone itself.
// `group`: the main child's process group, the fallback target (0: none).
[[nodiscard]] DrainReport signal_remaining(Scope scope, int sig, pid_t group);

// The processes of pidone's namespace (PID 1) or below it (a subreaper) in process group
// `group`, as /proc lists them now; empty when /proc cannot say.
[[nodiscard]] std::vector<proc::ProcStat> members_of_group(Scope scope, pid_t group);

}  // namespace pidone

// Who is left when the main child has exited, and how to signal them.
//
// As PID 1 that is the whole namespace but pidone: kill(-1, sig) reaches every one at once,
// and no PID can be stale. As a subreaper it is pidone's descendants, found in /proc; each is
// pinned with a pidfd and checked against the start time it was listed with before it is
// signalled, so a PID that was reused in between is never hit.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "proc/stat_parser.h"

namespace pidone {

enum class Scope {
  kNamespace,    // pidone is PID 1
  kDescendants,  // pidone is a subreaper
};

struct DrainReport {
  int signalled = 0;                // processes signalled (-1: unknown, /proc not usable)
  std::vector<proc::ProcStat> who;  // what /proc listed, when it could
};

// Sends `sig` to everything in `scope` except pidone itself.
[[nodiscard]] DrainReport signal_remaining(Scope scope, int sig);

// "12 (sleep), 15 (worker)", at most `limit` entries and then "and N more".
[[nodiscard]] std::string describe_processes(const std::vector<proc::ProcStat>& who,
                                             std::size_t limit = 10);

}  // namespace pidone

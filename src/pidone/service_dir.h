// Service directories, in the format of s6's (skarnet.org/software/s6/servicedir.html): what
// `pidone --services DIR` reads once, before anything starts. DIR holds one sub-directory per
// service; in each:
//   run               executable, required: the long-running process
//   finish            executable, optional: run after `run` exits, with `run`'s exit code (256
//                     if a signal killed it) and the signal number (0); exit 125 = permanent
//                     failure, no restart
//   down              the service is not started
//   down-signal       the signal that stops it (name or number; default SIGTERM, then SIGCONT)
//   notification-fd   N: `run` gets a pipe on fd N and writes a newline there once ready
//   timeout-finish    milliseconds `finish` may take before it is SIGKILLed (default 5000; 0:
//                     no limit)
//   nosetsid          `run` stays in pidone's session and group instead of leading its own
// Anything else (log/, timeout-kill, max-death-tally, data/, env/) is not read.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "sys/clock.h"

namespace pidone {

struct ServiceSpec {
  std::string name;  // the sub-directory's name
  std::string dir;   // its absolute path: `run` and `finish` are started there
  bool has_finish = false;
  bool down = false;
  bool setsid = true;
  int down_signal = 15;                  // SIGTERM
  int notification_fd = -1;              // -1: no readiness notification
  sys::Millis timeout_finish_ms = 5000;  // 0: no limit
  std::vector<std::string> ignored;      // files pidone does not act on (said with -v)
};

// Reads every service of `dir`, sorted by name. Error: one line naming the service and file.
[[nodiscard]] std::expected<std::vector<ServiceSpec>, std::string> load_services(
    const std::string& dir);

}  // namespace pidone

// Options: everything the supervisor is told by the command line and the environment.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sys/clock.h"

namespace pidone {

enum class SignalTarget {
  kChild,  // the main child only (pidfd)
  kGroup,  // the main child's process group; the child then leads its own group
};

inline constexpr sys::Millis kDefaultGrace = 5000;

struct Options {
  std::vector<std::string> command;  // argv of the main child; never empty once parsed
  SignalTarget signal_target = SignalTarget::kChild;
  sys::Millis grace_ms = kDefaultGrace;        // drain: SIGTERM, then SIGKILL after this
  std::optional<sys::Millis> stop_timeout_ms;  // SIGKILL the child this long after a stop signal
  int pdeathsig = 0;                           // 0: not set
  int verbosity = 1;                           // 0 -q, 1 default, 2 -v, 3 -vv
  std::array<int, 256> exit_code_map = identity_exit_map();  // --remap-exit
  std::array<int, 65> signal_map = identity_signal_map();    // --rewrite; 0 drops the signal

  // What the drop-in personalities (tini, dumb-init, catatonit) change; pidone's defaults here.
  const char* log_prefix = "pidone";     // "tini", "dumb-init", "catatonit"
  bool become_subreaper = true;          // tini: only with -s or TINI_SUBREAPER
  bool warn_not_subreaper = false;       // tini's warning when neither PID 1 nor subreaper
  bool new_session = false;              // dumb-init: the child leads a new session
  bool pause = false;                    // catatonit -P: no child; wait for SIGINT/SIGTERM
  bool warn_on_reap = false;             // tini -w: a warning for each reaped zombie
  bool suspend_with_child = false;       // dumb-init: stop itself after forwarding TSTP/TTIN/TTOU
  std::optional<int> exec_failure_exit;  // dumb-init 2, catatonit 1; default 126/127

  static constexpr std::array<int, 256> identity_exit_map() {
    std::array<int, 256> map{};
    for (int i = 0; i < 256; ++i) {
      map[static_cast<std::size_t>(i)] = i;
    }
    return map;
  }
  static constexpr std::array<int, 65> identity_signal_map() {
    std::array<int, 65> map{};
    for (int i = 0; i < 65; ++i) {
      map[static_cast<std::size_t>(i)] = i;
    }
    return map;
  }
};

}  // namespace pidone

// Options: everything the supervisor is told by the command line and the environment, under
// every name. The personality (personality.h) fills the switches its original has; the
// supervisor reads only these fields and never a name.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pidone/drain.h"
#include "sys/clock.h"

namespace pidone {

enum class SignalTarget {
  kChild,  // the main child only (pidfd)
  kGroup,  // the main child's process group
};

// Which original pidone answers as (argv[0]): its log format and wording (voice.h), its
// texts and exit codes. tini, tini-static and docker-init are kTini.
enum class Personality { kPidone, kTini, kDumbInit, kCatatonit };

// How an exec failure maps to pidone's exit status.
enum class ExecFailureCodes {
  kShell,  // 127 not found (ENOENT), 126 otherwise: pidone, as bash and dash
  kTini,   // 127 ENOENT, 126 EACCES, 1 for anything else
  kFixed,  // always `exec_failure_exit` (dumb-init 2, catatonit 1)
};

inline constexpr sys::Millis kDefaultGrace = 5000;

struct Options {
  std::vector<std::string> command;  // argv of the main child; empty in pause mode, and
                                     // with --services when no command is given
  SignalTarget signal_target = SignalTarget::kChild;
  sys::Millis grace_ms = kDefaultGrace;        // drain: SIGTERM, then SIGKILL after this
  std::optional<sys::Millis> stop_timeout_ms;  // SIGKILL the child this long after a stop
                                               // signal; 0: at once
  int pdeathsig = 0;                           // 0: not set
  int verbosity = 1;                           // 0 -q, 1 default, 2 -v, 3 -vv, 4 -vvv
  // Bytes, not ints: Options is copied on the stack a few times while parsing, and every
  // stack page touched then stays resident while pidone sleeps.
  std::array<std::uint8_t, 256> exit_code_map = identity_exit_map();  // --remap-exit
  std::array<std::uint8_t, 65> signal_map = identity_signal_map();    // --rewrite; 0 drops it
  // --reset-signals: the child starts with an empty mask and every disposition at its
  // default, instead of the mask and the ignored signals pidone inherited.
  bool reset_signals = false;
  // --services DIR: s6 service directories supervised beside the command (service_dir.h);
  // the command, if any, starts once every service with a notification-fd is ready, within
  // ready_timeout_ms.
  std::string services_dir;
  sys::Millis ready_timeout_ms = 30000;

  // What the personalities switch; pidone's defaults here.
  Personality personality = Personality::kPidone;
  bool become_subreaper = true;     // when not PID 1 (tini: only with -s or TINI_SUBREAPER)
  bool warn_not_subreaper = false;  // tini's warning when neither PID 1 nor a subreaper
  bool new_session = false;         // dumb-init: the child leads a new session
  bool own_process_group = true;    // the child leads its own group (dumb-init -c: it stays
                                    // in pidone's, and the terminal is left alone)
  bool pause = false;               // catatonit -P: no child; wait for SIGINT/SIGTERM
  bool warn_on_reap = false;        // tini -w: a warning for each zombie reaped
  bool suspend_with_child = false;  // dumb-init: suspend itself after forwarding TSTP/TTIN/TTOU
  // What happens to the rest when the main child exits and pidone is not PID 1 (as PID 1
  // pidone always drains: the kernel's SIGKILL is all the rest would get otherwise).
  EndPolicy end_when_not_pid1 = EndPolicy::kDrain;
  ExecFailureCodes exec_failure = ExecFailureCodes::kShell;
  int exec_failure_exit = 0;  // with kFixed
  // Debug lines the original prints while it reads its own variables, in its wording and in
  // order, without its prefix (dumb-init: "Running in debug mode.", "Not running in setsid
  // mode."). For the voice to print first, at the verbosity that shows debug lines.
  std::vector<std::string> startup_notes;

  static constexpr std::array<std::uint8_t, 256> identity_exit_map() {
    std::array<std::uint8_t, 256> map{};
    for (int i = 0; i < 256; ++i) {
      map[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    }
    return map;
  }
  static constexpr std::array<std::uint8_t, 65> identity_signal_map() {
    std::array<std::uint8_t, 65> map{};
    for (int i = 0; i < 65; ++i) {
      map[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    }
    return map;
  }
};

}  // namespace pidone

// Analysis: the verdicts pidone-inspect draws from a Snapshot, and how they are shown. Every
// verdict rests on what the kernel shows (masks, dispositions, waits); a program's name only
// adds a note, and only when the kernel's facts agree with it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "inspect/delivery.h"
#include "inspect/known_inits.h"
#include "inspect/snapshot.h"

namespace pidone::inspect {

struct SignalRow {
  int sig = 0;
  Delivery from_inside = Delivery::kDropped;  // docker exec ... kill -SIG 1
  Delivery from_parent = Delivery::kDropped;  // docker kill, runc kill, the host
};

struct ZombieGroup {
  pid_t parent = 0;
  std::string parent_command;  // printable
  int count = 0;
  double oldest_seconds = 0;  // since the oldest of them started
  bool parent_catches_sigchld = false;
  bool parent_in_wait = false;  // sleeping in wait() (wchan do_wait)
  std::string verdict;          // who must call wait()
};

struct Finding {
  bool warning = false;  // warnings make the exit status 1
  std::string text;
};

// Whether, and when, PID 1 reaps the children handed to it (orphans), from the kernel's facts
// and, for a shell, what that shell is measured to do.
enum class InitReaping {
  kReaps,             // an init or supervisor whose signals agree with its name
  kWaitingNow,        // blocked in wait4(-1) / waitid(P_ALL) now: it reaps any child
  kInWait,            // in wait() (wchan do_wait); for which child is not known
  kFromItsHandler,    // bash: its SIGCHLD handler reaps any child
  kOnlyWhileWaiting,  // dash, busybox sh: only while it waits for a job; not now
  kShellNotWaiting,   // another shell, not waiting now
  kHandlerMightReap,  // an application that catches SIGCHLD, not in wait() now
  kDoesNotReap,       // none of these
};

struct Analysis {
  std::string init_command;       // printable
  KnownInit init;                 // after the name was checked against the kernel's facts
  std::string name_mismatch;      // why the name was not believed ("" when it was, or is unknown)
  InitSignals init_signals;       // dispositions and each thread's mask and wait
  SignalMasks masks;              // the main thread's blocked mask, the ignored and caught sets
  std::uint64_t pending = 0;      // SigPnd of every thread | ShdPnd
  std::uint64_t waiting_for = 0;  // the sets its threads wait for in rt_sigtimedwait
  InitReaping reaping = InitReaping::kDoesNotReap;
  std::vector<SignalRow> signals;
  std::vector<ZombieGroup> zombies;
  int zombie_total = 0;
  int process_total = 0;
  int thread_total = 0;
  std::vector<Finding> findings;

  [[nodiscard]] int warnings() const;
};

[[nodiscard]] Analysis analyze(const Snapshot& snapshot);

[[nodiscard]] std::string render_text(const Analysis& analysis, const Snapshot& snapshot,
                                      bool all_processes);
[[nodiscard]] std::string render_json(const Analysis& analysis, const Snapshot& snapshot,
                                      bool all_processes);

// PID 1's signal state as the delivery model takes it: dispositions from its status, each
// thread's mask and wait from the snapshot (or the status's masks when no thread was read).
[[nodiscard]] InitSignals init_signals_of(const Snapshot& snapshot);

}  // namespace pidone::inspect

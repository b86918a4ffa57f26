// Analysis: the verdicts pidone-inspect draws from a Snapshot, and how they are shown.
#pragma once

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
  std::string parent_command;
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

struct Analysis {
  std::string init_command;
  KnownInit init;
  SignalMasks masks;
  std::uint64_t pending = 0;  // SigPnd | ShdPnd of PID 1
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

}  // namespace pidone::inspect

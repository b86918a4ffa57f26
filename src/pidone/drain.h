// Drain: when pidone ends, and what it does first. A pure state machine in the shape s6 uses:
// the supervisor reports events, the machine records what is wanted, and once per turn of the
// loop the supervisor takes the actions and carries them out. No clock, no syscalls, no logs:
// the unit tests walk every transition without a process.
//
//   events in                         actions out (take_actions)
//   stop_signal(now)                  kill_child     SIGKILL the main child (--stop-timeout)
//   child_exited(status, now)         stop_services  each service's down-signal (--services)
//   services_at_rest()                kill_services  SIGKILL what of them still runs
//   no_children_left()                term_rest      SIGTERM (and SIGCONT) everything left
//   rest_unlisted()                   kill_rest      SIGKILL everything left
//   deadline_reached(now)             term_group     SIGTERM the main child's process group
//                                     exit           pidone exits with this status now
//   next_deadline(): when the supervisor must call deadline_reached, if at all.
//
//   kRunning --child_exited--> kServices (stop_services; deadline now+grace) [with services]
//   kServices --services_at_rest--> as child_exited below, from then on
//             --deadline--> kill_services, then as child_exited below
//   kRunning --child_exited--> kGrace (term_rest; deadline now+grace)     [EndPolicy::kDrain]
//            --child_exited--> kKilling (kill_rest; retry in 50 ms)        [grace 0]
//            --child_exited--> kDone (term_group, exit)        [EndPolicy::kTermGroupAndExit]
//            --child_exited--> kDone (exit)                              [EndPolicy::kExit]
//            --stop_signal--> (first one, with --stop-timeout) deadline now+stop_timeout
//            --deadline-->    kill_child, once
//   kGrace   --deadline-->    kKilling (kill_rest; retry in 50 ms)
//   kKilling --deadline-->    kill_rest again; the retry doubles up to 1 s (a process forked
//                             between a subreaper's /proc scan and its SIGKILLs escaped)
//   kGrace, kKilling --no_children_left--> kDone (exit); what was pending for the rest is
//                             dropped (nobody is left to receive it)
//   rest_unlisted: /proc could not list the rest, so no later round could find a straggler:
//                             the first SIGKILL round is the last, and exit follows it at once
//                             (still within the grace, not after an endless wait)
//   A stop signal after the main child exited changes nothing: the rest already had SIGTERM.
#pragma once

#include <optional>

#include "sys/clock.h"

namespace pidone {

// What pidone does with the rest of its processes when the main child exits.
enum class EndPolicy {
  kDrain,             // SIGTERM them, SIGKILL after the grace, exit when none is left
  kTermGroupAndExit,  // SIGTERM the child's process group and exit at once (dumb-init, not PID 1)
  kExit,              // exit at once and leave them (dumb-init --single-child, not PID 1)
};

struct DrainConfig {
  sys::Millis grace_ms = 5000;                 // term_rest -> kill_rest; 0: kill_rest at once
  std::optional<sys::Millis> stop_timeout_ms;  // first stop signal -> kill_child
  EndPolicy end = EndPolicy::kDrain;
  bool services = false;  // --services: they are stopped first, within a grace of their own
};

struct DrainActions {
  bool kill_child = false;
  bool stop_services = false;
  bool kill_services = false;
  bool term_rest = false;
  bool kill_rest = false;
  int kill_round = 0;  // with kill_rest: 1 for the first round, then 2, 3, ...
  bool term_group = false;
  std::optional<int> exit;  // pidone's exit status (the main child's, not yet remapped)

  [[nodiscard]] bool any() const {
    return kill_child || stop_services || kill_services || term_rest || kill_rest || term_group ||
           exit.has_value();
  }
};

class Drain {
 public:
  enum class Phase {
    kRunning,   // the main child is alive
    kServices,  // it exited (or a stop came): the services are stopping
    kGrace,     // it exited; the rest had SIGTERM and have until the grace deadline
    kKilling,   // SIGKILL rounds until no child is left
    kDone,      // exit has been asked for
  };

  // The retry rounds of kKilling: 50 ms, doubling to once a second.
  static constexpr sys::Millis kFirstKillRetryMs = 50;
  static constexpr sys::Millis kMaxKillRetryMs = 1000;

  explicit Drain(DrainConfig config) : config_(config) {}

  // A stop signal (TERM, INT, QUIT, HUP) arrived. Forwarding it is the supervisor's job.
  void stop_signal(sys::Millis now);
  // The main child was reaped; `status` is what pidone exits with (128+N for signal N).
  void child_exited(int status, sys::Millis now);
  // Every service's run and finish has ended (kServices).
  void services_at_rest(sys::Millis now);
  // A reap pass ended in ECHILD: pidone has no child at all.
  void no_children_left();
  // The rest could not be listed (no /proc of this namespace): signalling reached only what
  // the supervisor could name.
  void rest_unlisted();
  // Call when now >= next_deadline(); earlier calls do nothing.
  void deadline_reached(sys::Millis now);

  // What to do now; clears it. Take after each turn's events.
  [[nodiscard]] DrainActions take_actions();

  [[nodiscard]] std::optional<sys::Millis> next_deadline() const;
  [[nodiscard]] Phase phase() const { return phase_; }
  // The main child's status once it has exited.
  [[nodiscard]] std::optional<int> child_status() const { return status_; }

 private:
  void end_rest(sys::Millis now);
  void start_killing(sys::Millis now);
  void finish();

  DrainConfig config_;
  Phase phase_ = Phase::kRunning;
  std::optional<int> status_;
  std::optional<sys::Millis> stop_deadline_;      // kRunning: SIGKILL the child then
  std::optional<sys::Millis> services_deadline_;  // kServices: SIGKILL the services then
  std::optional<sys::Millis> kill_deadline_;      // kGrace, kKilling: the next SIGKILL round
  sys::Millis kill_retry_ms_ = 0;                 // 0 until the first SIGKILL round
  int kill_rounds_ = 0;
  bool unlisted_ = false;
  DrainActions pending_;
};

}  // namespace pidone

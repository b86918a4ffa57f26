// Supervisor: the init's one event loop.
//
//   start()  block every signal but the fault signals, open the signalfd, become a subreaper
//            when not PID 1, spawn the main child. Failures here end pidone (fail fast).
//   run()    block reading the signalfd (poll() first only while a deadline is pending); per turn:
//            forward what arrived, reap every exited child, act on expired deadlines.
//            From here on pidone never exits early: errors are logged and the loop goes on.
//
// States: kRunning (main child alive) -> kDraining (main child gone; the rest got SIGTERM,
// SIGKILL at the grace deadline) -> kDone (no children left). run() then returns the main
// child's exit code, remapped.
#pragma once

#include <sys/signalfd.h>
#include <sys/types.h>

#include <optional>
#include <vector>

#include "pidone/drain.h"
#include "pidone/log.h"
#include "pidone/options.h"
#include "sys/clock.h"
#include "sys/pid_fd.h"
#include "sys/signal_fd.h"
#include "sys/wait_status.h"

namespace pidone {

class Supervisor {
 public:
  Supervisor(Options options, const Log& log);

  // On failure returns the exit code pidone must exit with (125, 126 or 127), having logged why.
  [[nodiscard]] std::expected<void, int> start();

  // The loop. Returns pidone's exit code.
  [[nodiscard]] int run();

 private:
  enum class State { kRunning, kDraining, kDone };

  void handle_signal(const signalfd_siginfo& info);
  void forward_to_child(int sig, const signalfd_siginfo& info);
  void send_to_child(int sig, const siginfo_t* queued);
  void reap_children();
  void begin_drain();
  void on_deadlines(sys::Millis now);
  void schedule_kill_round(sys::Millis now);
  [[nodiscard]] std::optional<sys::Millis> next_deadline() const;
  [[nodiscard]] bool is_stop_signal(int sig) const;

  Options options_;
  const Log& log_;
  Scope scope_ = Scope::kDescendants;
  State state_ = State::kRunning;
  std::optional<sys::SignalFd> signals_;
  pid_t self_ = 0;

  pid_t child_pid_ = 0;
  sys::PidFd child_fd_;  // invalid once the child is reaped
  std::optional<sys::ChildExit> child_exit_;
  bool no_children_ = false;  // last reap pass ended in ECHILD

  std::optional<sys::Millis> stop_deadline_;  // --stop-timeout after the first stop signal
  std::optional<sys::Millis> kill_deadline_;  // --grace after the drain's SIGTERM, then the
                                              // next SIGKILL round
  sys::Millis kill_retry_ms_ = 0;             // 0 until the first SIGKILL round
  std::vector<signalfd_siginfo> batch_;       // reused: no allocation per turn
  int ignore_hangup_ = 0;    // SIGHUPs and SIGCONTs the kernel sent when we gave up the
  int ignore_continue_ = 0;  // terminal for a new session (dumb-init): not the child's
};

}  // namespace pidone

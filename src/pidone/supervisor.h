// Supervisor: the init's one event loop. It carries out what the Drain state machine decides
// and reports what happens to the Voice; it knows no personality by name.
//
//   start()  [fail fast: one line, exit 125/126/127] in named steps:
//            take_signals        SIGCHLD to its default; block every signal but KILL and STOP
//                                (a real fault still ends pidone: the kernel forces those);
//                                open the signalfd
//            become_reaper       a child subreaper when not PID 1 (if asked, and not already)
//            arm_parent_death    --pdeathsig
//            spawn_main_child    clone + exec in its own process group (or session), with the
//                                signal state pidone inherited, the terminal handed over when
//                                pidone holds it, LISTEN_PID made the child's
//            let_go              chdir("/"), close pidone's copies of inherited descriptors
//            (with --services: the services start first, and the command once they are ready)
//   run()    [never exits early: errors are logged and the loop goes on] one turn at a time:
//            wait in one place (poll on the signalfd and the child's pidfd), forward what
//            arrived, reap every exited child, tell the Drain, carry out what it asks for.
//            Returns the main child's exit code, remapped, once the Drain says exit.
#pragma once

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/types.h>

#include <memory>
#include <optional>
#include <vector>

#include "pidone/drain.h"
#include "pidone/leftovers.h"
#include "pidone/log.h"
#include "pidone/options.h"
#include "pidone/services.h"
#include "pidone/voice.h"
#include "sys/clock.h"
#include "sys/pid_fd.h"
#include "sys/signal_fd.h"
#include "sys/signal_set.h"
#include "sys/spawn.h"
#include "sys/wait_status.h"

namespace pidone {

class Supervisor {
 public:
  // `inherited`: the signal state pidone's caller gave it, read first thing in main.
  Supervisor(Options options, Log& log, sys::InheritedSignals inherited);

  // On failure returns the exit code pidone must exit with (125, 126 or 127, or the
  // personality's), having said why.
  [[nodiscard]] std::expected<void, int> start();

  // The loop. Returns pidone's exit code.
  [[nodiscard]] int run();

 private:
  // start()'s steps, in order.
  [[nodiscard]] std::expected<void, int> take_signals();
  void become_reaper();
  [[nodiscard]] std::expected<void, int> arm_parent_death();
  void hand_over_terminal(sys::SpawnRequest& request);
  [[nodiscard]] std::expected<void, int> load_services();
  [[nodiscard]] std::expected<void, int> spawn_main_child();
  [[nodiscard]] int exec_failure_code(int err) const;
  void start_command_when_ready(sys::Millis now);
  void let_go();
  [[nodiscard]] bool has_command() const { return !options_.pause && !options_.command.empty(); }

  // One turn of run(), in order.
  [[nodiscard]] bool wait_for_work();  // true when the signalfd is ready to read
  void read_signals();
  void handle_signal(const signalfd_siginfo& info);
  void forward_to_child(int sig, const signalfd_siginfo& info);
  void send_to_child(int sig, const siginfo_t* queued);
  void reap_children();
  void check_child_vanished();
  void on_deadlines(sys::Millis now);
  [[nodiscard]] std::optional<sys::Millis> next_deadline() const;
  void settle();
  void carry_out(const DrainActions& actions);

  Options options_;
  Log& log_;
  std::unique_ptr<Voice> voice_;
  sys::InheritedSignals inherited_;
  Drain drain_;
  std::unique_ptr<Services> services_;         // with --services
  bool command_pending_ = false;               // waits for the services to be ready
  std::optional<sys::Millis> ready_deadline_;  // ... until then
  Scope scope_ = Scope::kDescendants;
  sys::SignalFd signals_;
  pid_t self_ = 0;

  pid_t child_pid_ = 0;  // leads its own process group (or session): -child_pid_ is its group
  sys::PidFd child_fd_;  // invalid once the child is reaped (or when pidfds are unavailable)
  bool child_exited_ = false;
  bool child_fd_ready_ = false;   // the pidfd said the child exited, this turn
  std::optional<int> exit_code_;  // set when the Drain asks pidone to exit

  std::vector<signalfd_siginfo> batch_;  // reused: no allocation per turn
  std::vector<pollfd> wait_set_;         // reused too
  bool child_signal_ = false;            // SIGCHLD in this turn's batch
  int ignore_hangup_ = 0;                // SIGHUPs and SIGCONTs the kernel sent when we gave up the
  int ignore_continue_ = 0;              // terminal for a new session (dumb-init): not the child's
};

}  // namespace pidone

#include "pidone/supervisor.h"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstring>

#include "pidone/duration.h"
#include "sys/signal_names.h"

namespace pidone {
namespace {

// Everything but the faults: those must still kill pidone at once (a crash, not a hang).
sys::SignalSet handled_signals() {
  sys::SignalSet set = sys::SignalSet::full();
  for (int sig = 1; sig <= sys::kMaxSignal; ++sig) {
    if (sys::fault_signals().contains(sig)) {
      set.remove(sig);
    }
  }
  return set.remove(SIGKILL).remove(SIGSTOP);
}

// True when pidone's own process group holds the terminal on stdin: then the child takes it
// over, as a shell hands the terminal to a foreground job.
bool owns_foreground_terminal() {
  if (::isatty(STDIN_FILENO) == 0) {
    return false;
  }
  const pid_t foreground = ::tcgetpgrp(STDIN_FILENO);
  return foreground >= 0 && foreground == ::getpgrp();
}

// The stop signals: they ask the container to end (docker stop, Ctrl-C, a closed terminal).
bool is_stop_signal(int sig) {
  return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT || sig == SIGHUP;
}

// The job-control signals: they suspend a job (Ctrl-Z, a background read or write).
bool is_suspend_signal(int sig) {
  return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

DrainConfig drain_config(const Options& options) {
  return DrainConfig{options.grace_ms, options.stop_timeout_ms, EndPolicy::kDrain};
}

}  // namespace

Supervisor::Supervisor(Options options, const Log& log)
    : options_(std::move(options)), log_(log), drain_(drain_config(options_)) {
  batch_.reserve(64);
}

// ---- start ------------------------------------------------------------------------------

std::expected<void, int> Supervisor::start() {
  if (auto taken = take_signals(); !taken) {
    return taken;
  }
  self_ = ::getpid();
  become_reaper();
  if (auto armed = arm_parent_death(); !armed) {
    return armed;
  }
  if (options_.pause) {
    log_.write(Level::kInfo, "pause mode: no child; SIGINT or SIGTERM ends it");
    return {};
  }
  return spawn_main_child();
}

std::expected<void, int> Supervisor::take_signals() {
  // Block first, before anything else (a log line to a closed stderr raises SIGPIPE), and fork
  // later: a signal that arrives while the child starts waits in the signalfd and is
  // forwarded once the child has exec'd.
  const sys::SignalSet handled = handled_signals();
  if (auto mask = sys::set_signal_mask(handled); !mask) {
    log_.write(Level::kError, "fatal: %s", mask.error().to_string().c_str());
    return std::unexpected(sys::kExitInitFailed);
  }
  auto signals = sys::SignalFd::open(handled);
  if (!signals) {
    log_.write(Level::kError, "fatal: %s", signals.error().to_string().c_str());
    return std::unexpected(sys::kExitInitFailed);
  }
  signals_ = std::move(*signals);
  return {};
}

void Supervisor::become_reaper() {
  if (self_ == 1) {
    scope_ = Scope::kNamespace;
    return;
  }
  // Orphans below us are then reparented to us, not to the real init: reaping and the drain
  // work the same as when we are PID 1.
  scope_ = Scope::kDescendants;
  if (!options_.become_subreaper) {
    if (options_.warn_not_subreaper) {  // tini's words, under its name
      log_.write(Level::kWarn,
                 "Tini is not running as PID 1 and isn't registered as a child subreaper. "
                 "Zombie processes will not be re-parented to Tini, so zombie reaping won't "
                 "work. To fix the problem, use the -s option or set the environment "
                 "variable TINI_SUBREAPER to register Tini as a child subreaper, or run Tini "
                 "as PID 1.");
    }
  } else if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    log_.write(Level::kWarn, "not PID 1, and cannot become a child subreaper: %s",
               std::strerror(errno));
  } else {
    log_.write(Level::kInfo, "not PID 1 (pid %d): registered as a child subreaper", self_);
  }
}

std::expected<void, int> Supervisor::arm_parent_death() {
  if (options_.pdeathsig == 0) {
    return {};
  }
  const pid_t parent = ::getppid();
  if (::prctl(PR_SET_PDEATHSIG, options_.pdeathsig, 0, 0, 0) != 0) {
    log_.write(Level::kError, "fatal: prctl(PR_SET_PDEATHSIG): %s", std::strerror(errno));
    return std::unexpected(sys::kExitInitFailed);
  }
  // The parent may have died before prctl took effect; then act as if the signal came.
  if (::getppid() != parent) {
    (void)::raise(options_.pdeathsig);
  }
  return {};
}

void Supervisor::hand_over_terminal(sys::SpawnRequest& request) {
  if (!owns_foreground_terminal()) {
    return;
  }
  if (options_.new_session) {
    // dumb-init's way: give up the terminal so the child's new session can take it. If we led
    // the session, the kernel then sends our group SIGHUP and SIGCONT: those are not the
    // child's to receive.
    const bool leader = ::getsid(0) == self_;
    if (::ioctl(STDIN_FILENO, TIOCNOTTY) == 0 && leader) {
      ignore_hangup_ = 1;
      ignore_continue_ = 1;
    }
    request.controlling_tty = STDIN_FILENO;
    return;
  }
  request.new_process_group = true;
  request.foreground_tty = STDIN_FILENO;
}

std::expected<void, int> Supervisor::spawn_main_child() {
  sys::SpawnRequest request;
  request.argv = options_.command;
  request.new_process_group = options_.signal_target == SignalTarget::kGroup;
  request.new_session = options_.new_session;
  hand_over_terminal(request);
  auto spawned = sys::spawn_child(request);
  if (!spawned) {
    const auto& failure = spawned.error();
    const int err = failure.error.code;
    if (failure.side == sys::SpawnFailure::kChild &&
        std::strcmp(failure.error.operation, "execvp") == 0) {
      log_.write(Level::kError, "cannot run '%s': %s", options_.command.front().c_str(),
                 std::strerror(err));
      switch (options_.exec_failure) {
        case ExecFailureCodes::kFixed:
          return std::unexpected(options_.exec_failure_exit);
        case ExecFailureCodes::kTini:
          return std::unexpected(err == ENOENT   ? sys::kExitNotFound
                                 : err == EACCES ? sys::kExitCannotRun
                                                 : 1);
        case ExecFailureCodes::kShell:
          break;
      }
      return std::unexpected(sys::exit_code_for_exec_errno(err));
    }
    log_.write(Level::kError, "fatal: cannot start '%s': %s", options_.command.front().c_str(),
               failure.error.to_string().c_str());
    return std::unexpected(sys::kExitInitFailed);
  }
  child_pid_ = *spawned;
  if (auto fd = sys::PidFd::open(child_pid_)) {
    child_fd_ = std::move(*fd);
  } else {
    log_.write(Level::kDebug, "%s: forwarding with kill() instead", fd.error().to_string().c_str());
  }
  log_.write(Level::kInfo, "started '%s' as pid %d", options_.command.front().c_str(), child_pid_);
  return {};
}

// ---- run --------------------------------------------------------------------------------

int Supervisor::run() {
  reap_children();  // the child may have exited before the loop started
  settle();
  while (!exit_code_) {
    child_signal_ = false;
    if (wait_for_work()) {
      read_signals();
    }
    if (child_signal_) {
      reap_children();
    }
    const sys::Millis now = sys::monotonic_now_ms();
    if (const auto deadline = drain_.next_deadline(); deadline && now >= *deadline) {
      drain_.deadline_reached(now);
    }
    settle();
  }
  return remapped_exit_code(*exit_code_);
}

bool Supervisor::wait_for_work() {
  // With a deadline pending, poll() for at most that long; otherwise block in read() on the
  // signalfd itself: the one place pidone sleeps, with no timeout and no periodic wakeup.
  const auto deadline = drain_.next_deadline();
  if (!deadline) {
    return true;  // read_signals() blocks
  }
  pollfd ready{signals_.fd(), POLLIN, 0};
  const int rc = ::poll(&ready, 1, sys::poll_timeout_ms(deadline, sys::monotonic_now_ms()));
  if (rc < 0 && errno != EINTR) {
    log_.write(Level::kWarn, "poll: %s", std::strerror(errno));
  }
  return rc > 0;
}

void Supervisor::read_signals() {
  batch_.clear();
  if (auto read = signals_.read_batch(batch_); !read) {
    log_.write(Level::kWarn, "%s", read.error().to_string().c_str());
  }
  for (const auto& info : batch_) {
    if (info.ssi_signo == SIGCHLD) {
      child_signal_ = true;
    } else {
      handle_signal(info);
    }
  }
}

void Supervisor::handle_signal(const signalfd_siginfo& info) {
  const auto sig = static_cast<int>(info.ssi_signo);
  // Our own writes to a closed stderr raise SIGPIPE at us; that one is not the child's.
  if (sig == SIGPIPE && static_cast<pid_t>(info.ssi_pid) == self_) {
    return;
  }
  if ((sig == SIGHUP && ignore_hangup_ > 0) || (sig == SIGCONT && ignore_continue_ > 0)) {
    --(sig == SIGHUP ? ignore_hangup_ : ignore_continue_);
    log_.write(Level::kDebug, "%s from giving up the terminal: not forwarded",
               sys::signal_name(sig).c_str());
    return;
  }
  if (drain_.phase() != Drain::Phase::kRunning) {
    log_.write(Level::kDebug, "%s received while draining: not forwarded",
               sys::signal_name(sig).c_str());
    return;
  }
  if (options_.pause) {
    // catatonit -P: there is no child; SIGINT and SIGTERM end the pause, the rest do nothing.
    if (sig == SIGINT || sig == SIGTERM) {
      drain_.child_exited(0, sys::monotonic_now_ms());
    }
    return;
  }
  if (is_stop_signal(sig)) {
    drain_.stop_signal(sys::monotonic_now_ms());
  }
  forward_to_child(sig, info);
}

void Supervisor::forward_to_child(int sig, const signalfd_siginfo& info) {
  int target_sig = options_.signal_map[static_cast<std::size_t>(sig)];
  // dumb-init (setsid mode) suspends the child's whole group with SIGSTOP for any of the
  // three job-control signals, then suspends itself: a shell above then sees the job stopped.
  const bool suspend = options_.suspend_with_child && is_suspend_signal(target_sig);
  if (suspend) {
    target_sig = SIGSTOP;
  }
  if (target_sig == 0) {
    log_.write(Level::kDebug, "%s dropped (--rewrite)", sys::signal_name(sig).c_str());
    return;
  }
  // A queued real-time signal keeps its value, so a sigqueue() sender is understood by the child.
  siginfo_t queued{};
  const siginfo_t* with_value = nullptr;
  if (info.ssi_code == SI_QUEUE && target_sig == sig) {
    queued.si_signo = sig;
    queued.si_code = SI_QUEUE;
    queued.si_pid = self_;
    queued.si_uid = ::getuid();
    static_assert(sizeof(queued.si_value) == sizeof(info.ssi_ptr));
    std::memcpy(&queued.si_value, &info.ssi_ptr, sizeof(queued.si_value));
    with_value = &queued;
  }
  if (log_.enabled(Level::kDebug)) {
    log_.write(Level::kDebug, "forwarding %s to %s %d", sys::signal_name(target_sig).c_str(),
               options_.signal_target == SignalTarget::kGroup ? "group" : "child", child_pid_);
  }
  send_to_child(target_sig, with_value);
  // (As PID 1 the kernel ignores this SIGSTOP to itself, as it does for dumb-init.)
  if (suspend) {
    (void)::raise(SIGSTOP);
  }
}

void Supervisor::send_to_child(int sig, const siginfo_t* queued) {
  // Only ever a real child: kill(0) is our own process group and kill(-1) everyone we may
  // signal. Without a child (pause mode) there is nothing to send to.
  if (child_pid_ <= 1 || child_exited_) {
    return;
  }
  if (options_.signal_target == SignalTarget::kGroup) {
    if (::kill(-child_pid_, sig) != 0 && errno != ESRCH) {
      log_.write(Level::kWarn, "kill(-%d, %s): %s", child_pid_, sys::signal_name(sig).c_str(),
                 std::strerror(errno));
    }
    return;
  }
  if (child_fd_.valid()) {
    if (auto sent = child_fd_.send_signal(sig, queued); !sent && sent.error().code != ESRCH) {
      log_.write(Level::kWarn, "%s to %d: %s", sys::signal_name(sig).c_str(), child_pid_,
                 sent.error().to_string().c_str());
    }
    return;
  }
  // No pidfd (old kernel): the child is not reaped yet, so its PID cannot have been reused.
  if (::kill(child_pid_, sig) != 0 && errno != ESRCH) {
    log_.write(Level::kWarn, "kill(%d, %s): %s", child_pid_, sys::signal_name(sig).c_str(),
               std::strerror(errno));
  }
}

void Supervisor::reap_children() {
  for (;;) {
    auto reaped = sys::reap_one();
    if (!reaped) {
      log_.write(Level::kWarn, "%s", reaped.error().to_string().c_str());
      return;
    }
    if (reaped->outcome == sys::ReapOutcome::kNoChildren) {
      drain_.no_children_left();
      return;
    }
    if (reaped->outcome == sys::ReapOutcome::kNoneReady) {
      return;
    }
    const sys::ChildExit& exit = reaped->exit;
    if (exit.pid == child_pid_ && !child_exited_) {
      child_exited_ = true;
      child_fd_ = sys::PidFd();
      if (exit.signaled) {
        log_.write(Level::kInfo, "child %d killed by %s", exit.pid,
                   sys::signal_name(exit.value).c_str());
      } else {
        log_.write(Level::kInfo, "child %d exited with %d", exit.pid, exit.value);
      }
      drain_.child_exited(exit.exit_code(), sys::monotonic_now_ms());
    } else {
      log_.write(Level::kDebug, "reaped %d (%s %d)", exit.pid, exit.signaled ? "signal" : "exit",
                 exit.value);
    }
  }
}

// Carries out what the Drain asks for until it asks for nothing more. After signalling the
// rest, a reap pass tells it whether anyone is left (it may be nobody: ECHILD ends the drain).
void Supervisor::settle() {
  for (DrainActions actions = drain_.take_actions(); actions.any();
       actions = drain_.take_actions()) {
    carry_out(actions);
    if (actions.exit) {
      exit_code_ = actions.exit;
      return;
    }
    if (actions.term_rest || actions.kill_rest) {
      reap_children();
    }
  }
}

void Supervisor::carry_out(const DrainActions& actions) {
  if (actions.kill_child) {
    log_.write(Level::kWarn, "child %d still running %s after the stop signal: sending SIGKILL",
               child_pid_, format_duration(options_.stop_timeout_ms.value_or(0)).c_str());
    send_to_child(SIGKILL, nullptr);
  }
  if (actions.term_group && child_pid_ > 1) {
    (void)::kill(-child_pid_, SIGTERM);
  }
  if (actions.term_rest) {
    const DrainReport report = signal_remaining(scope_, SIGTERM);
    if (report.signalled != 0) {
      const std::string count =
          report.signalled < 0 ? std::string("the remaining") : std::to_string(report.signalled);
      log_.write(Level::kInfo, "sent SIGTERM to %s processes, SIGKILL in %s: %s", count.c_str(),
                 format_duration(options_.grace_ms).c_str(),
                 describe_processes(report.who).c_str());
    }
  }
  if (actions.kill_rest) {
    const DrainReport report = signal_remaining(scope_, SIGKILL);
    if (report.signalled == 0) {
      return;
    }
    const std::string who =
        report.who.empty() ? "the remaining processes" : describe_processes(report.who);
    if (actions.kill_round > 1) {
      log_.write(Level::kDebug, "still draining: SIGKILL to %s", who.c_str());
    } else if (options_.grace_ms == 0) {
      log_.write(Level::kWarn, "grace is 0: killed %s", who.c_str());
    } else {
      log_.write(Level::kWarn, "grace period of %s expired: killed %s",
                 format_duration(options_.grace_ms).c_str(), who.c_str());
    }
  }
}

int Supervisor::remapped_exit_code(int code) const {
  const int mapped = options_.exit_code_map[static_cast<std::size_t>(code & 0xff)];
  if (mapped != code) {
    log_.write(Level::kInfo, "exit code %d remapped to %d", code, mapped);
  }
  return mapped;
}

}  // namespace pidone

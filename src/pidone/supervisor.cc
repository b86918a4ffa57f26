#include "pidone/supervisor.h"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstring>

#include "pidone/duration.h"
#include "sys/signal_names.h"
#include "sys/spawn.h"

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

}  // namespace

Supervisor::Supervisor(Options options, const Log& log) : options_(std::move(options)), log_(log) {
  batch_.reserve(64);
}

std::expected<void, int> Supervisor::start() {
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

  self_ = ::getpid();
  if (self_ == 1) {
    scope_ = Scope::kNamespace;
  } else {
    scope_ = Scope::kDescendants;
    // Orphans below us are then reparented to us, not to the real init: reaping and the drain
    // work the same as when we are PID 1.
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

  if (options_.pdeathsig != 0) {
    const pid_t parent = ::getppid();
    if (::prctl(PR_SET_PDEATHSIG, options_.pdeathsig, 0, 0, 0) != 0) {
      log_.write(Level::kError, "fatal: prctl(PR_SET_PDEATHSIG): %s", std::strerror(errno));
      return std::unexpected(sys::kExitInitFailed);
    }
    // The parent may have died before prctl took effect; then act as if the signal came.
    if (::getppid() != parent) {
      (void)::raise(options_.pdeathsig);
    }
  }

  if (options_.pause) {
    log_.write(Level::kInfo, "pause mode: no child; SIGINT or SIGTERM ends it");
    return {};
  }
  sys::SpawnRequest request;
  request.argv = options_.command;
  request.new_process_group = options_.signal_target == SignalTarget::kGroup;
  request.new_session = options_.new_session;
  const bool terminal = owns_foreground_terminal();
  if (terminal && options_.new_session) {
    // dumb-init's way: give up the terminal so the child's new session can take it. If we led
    // the session, the kernel then sends our group SIGHUP and SIGCONT: those are not the
    // child's to receive.
    const bool leader = ::getsid(0) == self_;
    if (::ioctl(STDIN_FILENO, TIOCNOTTY) == 0 && leader) {
      ignore_hangup_ = 1;
      ignore_continue_ = 1;
    }
    request.controlling_tty = STDIN_FILENO;
  } else if (terminal) {
    request.new_process_group = true;
    request.foreground_tty = STDIN_FILENO;
  }
  auto spawned = sys::spawn_child(request);
  if (!spawned) {
    const auto& failure = spawned.error();
    const int err = failure.error.code;
    if (failure.side == sys::SpawnFailure::kChild &&
        std::strcmp(failure.error.operation, "execvp") == 0) {
      log_.write(Level::kError, "cannot run '%s': %s", options_.command.front().c_str(),
                 std::strerror(err));
      return std::unexpected(
          options_.exec_failure_exit.value_or(sys::exit_code_for_exec_errno(err)));
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

int Supervisor::run() {
  reap_children();  // the child may have exited before the loop started
  while (state_ != State::kDone) {
    // With a deadline pending, poll() for at most that long; otherwise block in read() on the
    // signalfd itself: the one place pidone sleeps, with no timeout and no periodic wakeup.
    if (const auto deadline = next_deadline()) {
      pollfd ready{signals_->fd(), POLLIN, 0};
      const int rc = ::poll(&ready, 1, sys::poll_timeout_ms(deadline, sys::monotonic_now_ms()));
      if (rc < 0 && errno != EINTR) {
        log_.write(Level::kWarn, "poll: %s", std::strerror(errno));
      }
      if (rc <= 0) {
        on_deadlines(sys::monotonic_now_ms());
        continue;
      }
    }
    batch_.clear();
    if (auto read = signals_->read_batch(batch_); !read) {
      log_.write(Level::kWarn, "%s", read.error().to_string().c_str());
    }
    bool child_signal = false;
    for (const auto& info : batch_) {
      if (info.ssi_signo == SIGCHLD) {
        child_signal = true;
      } else {
        handle_signal(info);
      }
    }
    if (child_signal) {
      reap_children();
    }
    on_deadlines(sys::monotonic_now_ms());
  }
  const int code = child_exit_ ? child_exit_->exit_code() : sys::kExitInitFailed;
  const int mapped = options_.exit_code_map[static_cast<std::size_t>(code & 0xff)];
  if (mapped != code) {
    log_.write(Level::kInfo, "exit code %d remapped to %d", code, mapped);
  }
  return mapped;
}

bool Supervisor::is_stop_signal(int sig) const {
  return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT || sig == SIGHUP;
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
  if (state_ != State::kRunning) {
    log_.write(Level::kDebug, "%s received while draining: not forwarded",
               sys::signal_name(sig).c_str());
    return;
  }
  if (options_.pause) {
    // catatonit -P: there is no child; SIGINT and SIGTERM end the pause, the rest do nothing.
    if (sig == SIGINT || sig == SIGTERM) {
      child_exit_ = sys::ChildExit{0, false, 0};
      begin_drain();
      if (no_children_) {
        state_ = State::kDone;
      }
    }
    return;
  }
  if (is_stop_signal(sig) && options_.stop_timeout_ms && !stop_deadline_) {
    stop_deadline_ = sys::monotonic_now_ms() + *options_.stop_timeout_ms;
  }
  forward_to_child(sig, info);
}

void Supervisor::forward_to_child(int sig, const signalfd_siginfo& info) {
  int target_sig = options_.signal_map[static_cast<std::size_t>(sig)];
  // dumb-init (setsid mode) stops the child's whole group with SIGSTOP for any of the three
  // job-control stops, then stops itself: a shell above then sees the job stopped.
  const bool job_stop = target_sig == SIGTSTP || target_sig == SIGTTIN || target_sig == SIGTTOU;
  if (options_.stop_with_child && job_stop) {
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
  if (options_.stop_with_child && job_stop) {
    (void)::raise(SIGSTOP);
  }
}

void Supervisor::send_to_child(int sig, const siginfo_t* queued) {
  // Only ever a real child: kill(0) is our own process group and kill(-1) everyone we may
  // signal. Without a child (pause mode) there is nothing to send to.
  if (child_pid_ <= 1 || child_exit_) {
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
      no_children_ = true;
      break;
    }
    if (reaped->outcome == sys::ReapOutcome::kNoneReady) {
      no_children_ = false;
      break;
    }
    const sys::ChildExit& exit = reaped->exit;
    if (exit.pid == child_pid_ && !child_exit_) {
      child_exit_ = exit;
      child_fd_ = sys::PidFd();
      if (exit.signaled) {
        log_.write(Level::kInfo, "child %d killed by %s", exit.pid,
                   sys::signal_name(exit.value).c_str());
      } else {
        log_.write(Level::kInfo, "child %d exited with %d", exit.pid, exit.value);
      }
    } else {
      log_.write(Level::kDebug, "reaped %d (%s %d)", exit.pid, exit.signaled ? "signal" : "exit",
                 exit.value);
    }
  }
  if (state_ == State::kRunning && child_exit_) {
    begin_drain();
  }
  if (state_ == State::kDraining && no_children_) {
    state_ = State::kDone;
  }
}

void Supervisor::begin_drain() {
  state_ = State::kDraining;
  stop_deadline_.reset();
  if (no_children_) {
    return;  // nothing else to stop
  }
  const int first = options_.grace_ms == 0 ? SIGKILL : SIGTERM;
  const DrainReport report = signal_remaining(scope_, first);
  if (report.signalled == 0) {
    return;
  }
  const std::string count =
      report.signalled < 0 ? std::string("the remaining") : std::to_string(report.signalled);
  if (first == SIGKILL) {
    log_.write(Level::kWarn, "grace is 0: killed %s processes: %s", count.c_str(),
               describe_processes(report.who).c_str());
    schedule_kill_round(sys::monotonic_now_ms());
    return;
  }
  log_.write(Level::kInfo, "sent SIGTERM to %s processes, SIGKILL in %s: %s", count.c_str(),
             format_duration(options_.grace_ms).c_str(), describe_processes(report.who).c_str());
  kill_deadline_ = sys::monotonic_now_ms() + options_.grace_ms;
}

void Supervisor::on_deadlines(sys::Millis now) {
  if (stop_deadline_ && now >= *stop_deadline_ && state_ == State::kRunning) {
    stop_deadline_.reset();
    log_.write(Level::kWarn, "child %d still running %s after the stop signal: sending SIGKILL",
               child_pid_, format_duration(options_.stop_timeout_ms.value_or(0)).c_str());
    send_to_child(SIGKILL, nullptr);
  }
  if (kill_deadline_ && now >= *kill_deadline_ && state_ == State::kDraining) {
    kill_deadline_.reset();
    const bool first_round = kill_retry_ms_ == 0;
    const DrainReport report = signal_remaining(scope_, SIGKILL);
    if (report.signalled != 0) {
      const std::string who =
          report.who.empty() ? "the remaining processes" : describe_processes(report.who);
      if (first_round) {
        log_.write(Level::kWarn, "grace period of %s expired: killed %s",
                   format_duration(options_.grace_ms).c_str(), who.c_str());
      } else {
        log_.write(Level::kDebug, "still draining: SIGKILL to %s", who.c_str());
      }
    }
    schedule_kill_round(now);
  }
}

void Supervisor::schedule_kill_round(sys::Millis now) {
  // A process forked between the /proc scan and the SIGKILLs (a subreaper signals descendants
  // one by one) escaped this round. Until the last child is reaped (which ends the drain),
  // look again: after 50 ms, doubling to once a second.
  constexpr sys::Millis kFirstRetryMs = 50;
  constexpr sys::Millis kMaxRetryMs = 1000;
  kill_retry_ms_ = kill_retry_ms_ == 0 ? kFirstRetryMs : std::min(kill_retry_ms_ * 2, kMaxRetryMs);
  kill_deadline_ = now + kill_retry_ms_;
}

std::optional<sys::Millis> Supervisor::next_deadline() const {
  if (state_ == State::kRunning) {
    return stop_deadline_;
  }
  return kill_deadline_;
}

}  // namespace pidone

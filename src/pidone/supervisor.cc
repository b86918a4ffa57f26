#include "pidone/supervisor.h"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "sys/signal_names.h"

#ifndef P_PIDFD
#define P_PIDFD 3  // waitid on a pidfd, Linux 5.4 (older libc headers lack the name)
#endif

namespace pidone {
namespace {

// Every signal that can be blocked. The faults too: a kill() of SIGSEGV or SIGABRT is then
// read and forwarded like any other, and a real fault in pidone still ends it, because the
// kernel unblocks a blocked fault signal and delivers it with its default action.
sys::SignalSet handled_signals() {
  return sys::SignalSet::full().remove(SIGKILL).remove(SIGSTOP);
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

// The suspend signals: job control (Ctrl-Z, a background read or write).
bool is_suspend_signal(int sig) {
  return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// LISTEN_PID names the process systemd passed the sockets to (sd_listen_fds checks it): when
// that is pidone, the child is the one to use them.
bool listen_pid_is(pid_t self) {
  const char* value = std::getenv("LISTEN_PID");
  if (value == nullptr) {
    return false;
  }
  const std::string_view text(value);
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  return ec == std::errc() && end == text.data() + text.size() && pid == self;
}

}  // namespace

Supervisor::Supervisor(Options options, Log& log, sys::InheritedSignals inherited)
    : options_(std::move(options)),
      log_(log),
      voice_(make_voice(options_, log_)),
      inherited_(inherited),
      drain_(DrainConfig{}) {
  batch_.reserve(64);
}

// ---- start ------------------------------------------------------------------------------

std::expected<void, int> Supervisor::start() {
  voice_->starting();
  if (auto loaded = load_services(); !loaded) {
    return loaded;
  }
  if (auto taken = take_signals(); !taken) {
    return taken;
  }
  self_ = ::getpid();
  become_reaper();
  // As PID 1 pidone always drains: otherwise the kernel's SIGKILL is all the rest would get.
  drain_ = Drain(DrainConfig{options_.grace_ms, options_.stop_timeout_ms,
                             self_ == 1 ? EndPolicy::kDrain : options_.end_when_not_pid1,
                             services_ != nullptr});
  if (auto armed = arm_parent_death(); !armed) {
    return armed;
  }
  if (services_ == nullptr) {
    if (has_command()) {
      if (auto spawned = spawn_main_child(); !spawned) {
        return spawned;
      }
    }
    let_go();
    return {};
  }
  // The services first; the command once every one with a notification-fd says it is ready.
  const sys::Millis now = sys::monotonic_now_ms();
  services_->start(now);
  if (has_command()) {
    command_pending_ = true;
    ready_deadline_ = now + options_.ready_timeout_ms;
    start_command_when_ready(now);
  } else {
    let_go();
  }
  return {};
}

std::expected<void, int> Supervisor::load_services() {
  if (options_.services_dir.empty()) {
    return {};
  }
  auto specs = pidone::load_services(options_.services_dir);
  if (!specs) {
    voice_->usage_error(specs.error());
    return std::unexpected(sys::kExitUsage);
  }
  services_ = std::make_unique<Services>(
      std::move(*specs), options_.reset_signals ? sys::InheritedSignals{} : inherited_, *voice_);
  return {};
}

// With services: starts the command once they are ready. A command that cannot be run is then
// an exit like any other: the services are stopped, and pidone exits with its code.
void Supervisor::start_command_when_ready(sys::Millis now) {
  if (!command_pending_ || !services_->all_ready()) {
    return;
  }
  command_pending_ = false;
  ready_deadline_.reset();
  if (auto spawned = spawn_main_child(); !spawned) {
    child_exited_ = true;
    drain_.child_exited(spawned.error(), now);
  }
  let_go();
}

std::expected<void, int> Supervisor::take_signals() {
  // A caller that ignores SIGCHLD would have the kernel reap our children for us: no exit
  // status, no SIGCHLD. Ours goes back to the default; the child still gets what the caller
  // gave (inherited_).
  if (inherited_.ignored.contains(SIGCHLD)) {
    if (auto reset = sys::set_disposition(SIGCHLD); !reset) {
      voice_->start_failed("SIGCHLD", reset.error());
      return std::unexpected(sys::kExitInitFailed);
    }
  }
  // Block first, before anything else (a log line to a closed stderr raises SIGPIPE), and
  // spawn later: a signal that arrives while the child starts waits in the signalfd and is
  // forwarded once the child has exec'd.
  const sys::SignalSet handled = handled_signals();
  if (auto mask = sys::set_signal_mask(handled); !mask) {
    voice_->start_failed("signals", mask.error());
    return std::unexpected(sys::kExitInitFailed);
  }
  auto signals = sys::SignalFd::open(handled);
  if (!signals) {
    voice_->start_failed("signals", signals.error());
    return std::unexpected(sys::kExitInitFailed);
  }
  signals_ = std::move(*signals);
  return {};
}

void Supervisor::become_reaper() {
  if (self_ == 1) {
    scope_ = Scope::kNamespace;
    voice_->reaper(ReaperOutcome::kPid1, self_, 0);
    return;
  }
  // Orphans below us are then reparented to us, not to the real init: reaping and the drain
  // work the same as when we are PID 1.
  scope_ = Scope::kDescendants;
  int already = 0;
  if (::prctl(PR_GET_CHILD_SUBREAPER, &already, 0, 0, 0) == 0 && already != 0) {
    voice_->reaper(ReaperOutcome::kAlready, self_, 0);
  } else if (!options_.become_subreaper) {
    voice_->reaper(ReaperOutcome::kNotAsked, self_, 0);
  } else if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    voice_->reaper(ReaperOutcome::kFailed, self_, errno);
  } else {
    voice_->reaper(ReaperOutcome::kRegistered, self_, 0);
  }
}

std::expected<void, int> Supervisor::arm_parent_death() {
  if (options_.pdeathsig == 0) {
    return {};
  }
  const pid_t parent = ::getppid();
  if (::prctl(PR_SET_PDEATHSIG, options_.pdeathsig, 0, 0, 0) != 0) {
    voice_->start_failed("prctl(PR_SET_PDEATHSIG)", sys::SysError{errno, "prctl"});
    return std::unexpected(sys::kExitInitFailed);
  }
  // The parent may have died before prctl took effect; then act as if the signal came.
  if (::getppid() != parent) {
    (void)::raise(options_.pdeathsig);
  }
  return {};
}

void Supervisor::hand_over_terminal(sys::SpawnRequest& request) {
  if (options_.new_session) {
    // dumb-init's way: give up the terminal so the child's new session can take it (tried
    // whether there is one or not, as dumb-init does). If we led the session, the kernel then
    // sends our group SIGHUP and SIGCONT: those are not the child's to receive.
    const bool leader = ::getsid(0) == self_;
    const int released = ::ioctl(STDIN_FILENO, TIOCNOTTY) == 0 ? 0 : errno;
    if (released == 0 && leader) {
      ignore_hangup_ = 1;
      ignore_continue_ = 1;
    }
    voice_->terminal_released(released, leader);
    request.controlling_tty = STDIN_FILENO;
    return;
  }
  if (options_.own_process_group && owns_foreground_terminal()) {
    request.foreground_tty = STDIN_FILENO;
  }
}

std::expected<void, int> Supervisor::spawn_main_child() {
  sys::SpawnRequest request;
  request.argv = options_.command;
  request.new_session = options_.new_session;
  request.new_process_group = !options_.new_session && options_.own_process_group;
  if (!options_.reset_signals) {
    request.mask = inherited_.blocked;
    request.ignored = inherited_.ignored;
  }
  request.set_listen_pid = listen_pid_is(self_);
  hand_over_terminal(request);
  const std::string& command = options_.command.front();
  auto spawned = sys::spawn_child(request);
  if (!spawned) {
    const auto& failure = spawned.error();
    if (failure.step == sys::SpawnStep::kExec) {
      const int err = failure.error.code;
      voice_->exec_failed(command, err, err == ENOENT ? sys::missing_interpreter(command) : "");
      return std::unexpected(exec_failure_code(err));
    }
    voice_->start_failed(("cannot start '" + command + "'").c_str(), failure.error);
    return std::unexpected(sys::kExitInitFailed);
  }
  child_pid_ = spawned->pid;
  if (auto fd = sys::PidFd::open(child_pid_)) {
    child_fd_ = std::move(*fd);
  } else {
    voice_->fallback("no pidfd for the child: forwarding with kill()", fd.error());
  }
  voice_->spawned(child_pid_, command, spawned->controlling_tty_error);
  return {};
}

int Supervisor::exec_failure_code(int err) const {
  switch (options_.exec_failure) {
    case ExecFailureCodes::kFixed:
      return options_.exec_failure_exit;
    case ExecFailureCodes::kTini:
      return err == ENOENT ? sys::kExitNotFound : err == EACCES ? sys::kExitCannotRun : 1;
    case ExecFailureCodes::kShell:
      break;
  }
  return sys::exit_code_for_exec_errno(err);
}

void Supervisor::let_go() {
  // Hold no directory (it can then be unmounted) and no file of the caller's: a pipe the
  // child closes reaches EOF at its reader only once every copy of it is closed. The child
  // keeps its own copies.
  if (::chdir("/") != 0) {
    voice_->problem("chdir(\"/\")", sys::SysError{errno, "chdir"});
  }
  if (const int err = log_.open_private(); err != 0) {
    voice_->fallback(
        "log: no description of its own for stdout or stderr (lines are written only "
        "when the pipe has room)",
        sys::SysError{err, "open /proc/self/fd"});
  }
  std::vector<int> keep = {signals_.fd(), child_fd_.fd(), log_.private_fd(1), log_.private_fd(2)};
  if (services_ != nullptr) {
    services_->own_fds(keep);
  }
  if (auto closed = sys::close_descriptors_but(keep); !closed) {
    voice_->problem("closing inherited descriptors", closed.error());
  }
}

// ---- run --------------------------------------------------------------------------------

int Supervisor::run() {
  reap_children();  // the child may have exited before the loop started
  settle();
  while (!exit_code_) {
    child_signal_ = false;
    child_fd_ready_ = false;
    if (wait_for_work()) {
      read_signals();
    }
    if (child_signal_ || child_fd_ready_) {
      reap_children();
    }
    if (child_fd_ready_) {
      check_child_vanished();
    }
    on_deadlines(sys::monotonic_now_ms());
    settle();
  }
  const int status = *exit_code_;
  const int remapped = options_.exit_code_map[static_cast<std::size_t>(status & 0xff)];
  voice_->exiting(status, remapped);
  return remapped;
}

bool Supervisor::wait_for_work() {
  // The one place pidone sleeps: no timeout unless a deadline is pending, no periodic wakeup.
  // The child's pidfd is watched beside the signalfd, so its exit is seen even if no SIGCHLD
  // ever comes; and the services' readiness pipes.
  wait_set_.clear();
  wait_set_.push_back(pollfd{signals_.fd(), POLLIN, 0});
  if (child_fd_.valid()) {
    wait_set_.push_back(pollfd{child_fd_.fd(), POLLIN, 0});
  }
  if (services_ != nullptr) {
    services_->watch(wait_set_);
  }
  const int rc = ::poll(wait_set_.data(), wait_set_.size(),
                        sys::poll_timeout_ms(next_deadline(), sys::monotonic_now_ms()));
  if (rc < 0) {
    if (errno != EINTR) {
      voice_->problem("poll", sys::SysError{errno, "poll"});
    }
    return false;
  }
  std::size_t next = 1;
  if (child_fd_.valid()) {
    child_fd_ready_ = (wait_set_[next++].revents & POLLIN) != 0;
  }
  for (; next < wait_set_.size(); ++next) {
    if (wait_set_[next].revents != 0) {
      services_->readable(wait_set_[next]);
    }
  }
  return (wait_set_[0].revents & POLLIN) != 0;
}

std::optional<sys::Millis> Supervisor::next_deadline() const {
  std::optional<sys::Millis> next = drain_.next_deadline();
  auto consider = [&next](std::optional<sys::Millis> deadline) {
    if (deadline && (!next || *deadline < *next)) {
      next = deadline;
    }
  };
  if (services_ != nullptr) {
    consider(services_->next_deadline());
    consider(ready_deadline_);
  }
  return next;
}

void Supervisor::on_deadlines(sys::Millis now) {
  if (const auto deadline = drain_.next_deadline(); deadline && now >= *deadline) {
    drain_.deadline_reached(now);
  }
  if (services_ == nullptr) {
    return;
  }
  services_->deadline_reached(now);
  start_command_when_ready(now);
  if (command_pending_ && ready_deadline_ && now >= *ready_deadline_) {
    voice_->services_not_ready(services_->first_unready(), options_.ready_timeout_ms);
    command_pending_ = false;
    ready_deadline_.reset();
    drain_.child_exited(1, now);
  }
}

void Supervisor::read_signals() {
  batch_.clear();
  if (auto read = signals_.read_batch(batch_); !read) {
    voice_->problem("reading signals", read.error());
  }
  for (const auto& info : batch_) {
    handle_signal(info);
  }
}

void Supervisor::handle_signal(const signalfd_siginfo& info) {
  const auto sig = static_cast<int>(info.ssi_signo);
  // Our own writes to a closed stderr raise SIGPIPE at us; that one is not the child's.
  if (sig == SIGPIPE && static_cast<pid_t>(info.ssi_pid) == self_) {
    return;
  }
  voice_->signal_received(sig);
  if (sig == SIGCHLD) {
    child_signal_ = true;
    return;
  }
  if ((sig == SIGHUP && ignore_hangup_ > 0) || (sig == SIGCONT && ignore_continue_ > 0)) {
    --(sig == SIGHUP ? ignore_hangup_ : ignore_continue_);
    voice_->handoff_ignored(sig);
    return;
  }
  if (drain_.phase() != Drain::Phase::kRunning) {
    return;  // the rest already had SIGTERM (docs/drain.md)
  }
  if (options_.pause && services_ == nullptr) {
    // catatonit -P: there is no child; SIGINT and SIGTERM end the pause, the rest do nothing.
    if (sig == SIGINT || sig == SIGTERM) {
      drain_.child_exited(0, sys::monotonic_now_ms());
    }
    return;
  }
  if (services_ != nullptr && (!has_command() || command_pending_)) {
    // Services without a command (or before it starts): a stop signal stops them all, and
    // the rest go to every service's run.
    if (is_stop_signal(sig)) {
      command_pending_ = false;
      ready_deadline_.reset();
      drain_.child_exited(has_command() ? 128 + sig : 0, sys::monotonic_now_ms());
    } else if (const int sent = options_.signal_map[static_cast<std::size_t>(sig)]; sent != 0) {
      services_->forward(sent);
    }
    return;
  }
  if (is_stop_signal(sig)) {
    drain_.stop_signal(sys::monotonic_now_ms());
  }
  forward_to_child(sig, info);
  // dumb-init suspends itself after passing a job-control signal on: a shell above then sees
  // the job stopped. (As PID 1 the kernel ignores this SIGSTOP, as it does for dumb-init.)
  if (options_.suspend_with_child && is_suspend_signal(sig)) {
    voice_->suspending();
    (void)::raise(SIGSTOP);
  }
}

void Supervisor::forward_to_child(int sig, const signalfd_siginfo& info) {
  const int target_sig = options_.signal_map[static_cast<std::size_t>(sig)];
  if (target_sig != 0) {
    // A queued signal keeps its value, rewritten or not: a sigqueue() sender is understood.
    siginfo_t queued{};
    const siginfo_t* with_value = nullptr;
    if (info.ssi_code == SI_QUEUE) {
      queued.si_signo = target_sig;
      queued.si_code = SI_QUEUE;
      queued.si_pid = self_;
      queued.si_uid = ::getuid();
      static_assert(sizeof(queued.si_value) == sizeof(info.ssi_ptr));
      std::memcpy(&queued.si_value, &info.ssi_ptr, sizeof(queued.si_value));
      with_value = &queued;
    }
    send_to_child(target_sig, with_value);
  }
  voice_->forwarded(sig, target_sig, child_pid_, options_.signal_target == SignalTarget::kGroup);
}

void Supervisor::send_to_child(int sig, const siginfo_t* queued) {
  // Only ever a real child: kill(0) is our own process group and kill(-1) everyone we may
  // signal. Without a child (pause mode) there is nothing to send to.
  if (child_pid_ <= 1 || child_exited_) {
    return;
  }
  if (options_.signal_target == SignalTarget::kGroup) {
    // A value travels to each member it can be queued to; without a list (no /proc of this
    // namespace) kill(-group) reaches them all, without the value (docs/usage.md).
    const auto members =
        queued != nullptr ? members_of_group(scope_, child_pid_) : std::vector<proc::ProcStat>{};
    if (!members.empty()) {
      for (const auto& member : members) {
        if (auto fd = sys::PidFd::open(member.pid)) {
          (void)fd->send_signal(sig, queued);
        }
      }
      return;
    }
    if (::kill(-child_pid_, sig) != 0 && errno != ESRCH) {
      voice_->problem("signalling the child's process group", sys::SysError{errno, "kill"});
    }
    return;
  }
  if (child_fd_.valid()) {
    if (auto sent = child_fd_.send_signal(sig, queued); !sent && sent.error().code != ESRCH) {
      voice_->problem("signalling the child", sent.error());
    }
    return;
  }
  // No pidfd: the child is not reaped yet, so its PID cannot have been reused. A queued value
  // goes through rt_sigqueueinfo.
  const int rc = queued != nullptr
                     ? static_cast<int>(::syscall(SYS_rt_sigqueueinfo, child_pid_, sig, queued))
                     : ::kill(child_pid_, sig);
  if (rc != 0 && errno != ESRCH) {
    voice_->problem("signalling the child", sys::SysError{errno, "kill"});
  }
}

void Supervisor::reap_children() {
  for (;;) {
    auto reaped = sys::reap_one();
    if (!reaped) {
      voice_->problem("reaping", reaped.error());
      return;
    }
    if (reaped->outcome != sys::ReapOutcome::kReaped) {
      const bool none_left = reaped->outcome == sys::ReapOutcome::kNoChildren;
      voice_->reap_pass_done(none_left);
      if (none_left) {
        drain_.no_children_left();
      }
      return;
    }
    const sys::ChildExit& exit = reaped->exit;
    const bool main_child = exit.pid == child_pid_ && !child_exited_;
    if (!main_child && services_ != nullptr && services_->reaped(exit, sys::monotonic_now_ms())) {
      continue;
    }
    voice_->reaped(exit, main_child);
    if (main_child) {
      child_exited_ = true;
      child_fd_ = sys::PidFd();
      drain_.child_exited(exit.exit_code(), sys::monotonic_now_ms());
    }
  }
}

// The pidfd said the child is gone, and no reap found it: someone reaped it before us (a
// caller's SA_NOCLDWAIT, had it survived exec). Its status is lost; pidone must still end.
void Supervisor::check_child_vanished() {
  if (child_exited_ || !child_fd_.valid()) {
    return;
  }
  siginfo_t info{};
  if (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(child_fd_.fd()), &info,
               WEXITED | WNOHANG | WNOWAIT) == 0 ||
      errno != ECHILD) {
    return;  // still ours to reap: the next pass does
  }
  voice_->child_vanished(child_pid_);
  child_exited_ = true;
  child_fd_ = sys::PidFd();
  drain_.child_exited(sys::kExitInitFailed, sys::monotonic_now_ms());
}

// Carries out what the Drain asks for until it asks for nothing more. After signalling the
// rest, a reap pass tells it whether anyone is left (nobody: ECHILD ends the drain).
void Supervisor::settle() {
  for (;;) {
    if (services_ != nullptr && drain_.phase() == Drain::Phase::kServices &&
        services_->all_at_rest()) {
      drain_.services_at_rest(sys::monotonic_now_ms());
    }
    const DrainActions actions = drain_.take_actions();
    if (!actions.any()) {
      return;
    }
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
    voice_->stop_timeout_expired(child_pid_, options_.stop_timeout_ms.value_or(0));
    send_to_child(SIGKILL, nullptr);
  }
  if (services_ != nullptr && (actions.stop_services || actions.kill_services)) {
    if (actions.stop_services) {
      services_->stop();
    } else {
      services_->kill();
    }
    services_->settle(sys::monotonic_now_ms());
  }
  if (actions.term_group && child_pid_ > 1) {
    // dumb-init's way when not PID 1: its SIGTERM goes through the rewrites too.
    const int sig = options_.signal_map[SIGTERM];
    if (sig != 0) {
      (void)::kill(-child_pid_, sig);
    }
    voice_->term_group(child_pid_, sig);
  }
  for (const int sig : {SIGTERM, SIGKILL}) {
    if ((sig == SIGTERM && !actions.term_rest) || (sig == SIGKILL && !actions.kill_rest)) {
      continue;
    }
    DrainReport report = signal_remaining(scope_, sig, child_pid_);
    voice_->drained(DrainNote{sig, report.signalled, actions.kill_round, report.unlisted,
                              std::move(report.who)});
    if (report.unlisted) {
      drain_.rest_unlisted();
    }
  }
}

}  // namespace pidone

#include "sys/spawn.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <array>

#include "sys/retry.h"
#include "sys/signal_set.h"
#include "sys/unique_fd.h"
#include "sys/wait_status.h"

namespace pidone::sys {
namespace {

// The child's steps, sent as an index: the parent turns it back into a name.
enum class Step : int { kSetsid, kSetpgid, kTcsetpgrp, kResetSignals, kUnblock, kExec };
constexpr std::array<const char*, 6> kStepNames = {"setsid",       "setpgid",        "tcsetpgrp",
                                                   "rt_sigaction", "rt_sigprocmask", "execvp"};

struct ChildReport {
  int step;
  int err;
};

// Runs in the forked child: async-signal-safe calls only, never returns.
[[noreturn]] void run_child(const SpawnRequest& request, char* const* argv, int report_fd) {
  auto fail = [&](Step step, int err) {
    const ChildReport report{static_cast<int>(step), err};
    (void)!::write(report_fd, &report, sizeof(report));
    ::_exit(step == Step::kExec ? exit_code_for_exec_errno(err) : kExitInitFailed);
  };
  if (request.new_session) {
    if (::setsid() < 0) {
      fail(Step::kSetsid, errno);
    }
    // As dumb-init: the new session takes the terminal (best effort, as dumb-init's is).
    if (request.controlling_tty >= 0) {
      (void)::ioctl(request.controlling_tty, TIOCSCTTY, 0);
    }
  } else if (request.new_process_group) {
    if (::setpgid(0, 0) != 0) {
      fail(Step::kSetpgid, errno);
    }
  }
  // SIGTTOU is still blocked here, so a background group may take the terminal. ENOTTY and
  // ENXIO mean there is no terminal to take after all; tini tolerates the same two.
  if (request.foreground_tty >= 0 && ::tcsetpgrp(request.foreground_tty, ::getpgrp()) != 0 &&
      errno != ENOTTY && errno != ENXIO) {
    fail(Step::kTcsetpgrp, errno);
  }
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    // SIGKILL and SIGSTOP refuse with EINVAL; they are always SIG_DFL anyway.
    if (!reset_disposition(sig) && errno != EINVAL) {
      fail(Step::kResetSignals, errno);
    }
  }
  if (!set_signal_mask(SignalSet())) {
    fail(Step::kUnblock, errno);
  }
  ::execvp(argv[0], argv);
  fail(Step::kExec, errno);
  ::_exit(kExitInitFailed);  // not reached
}

}  // namespace

std::expected<pid_t, SpawnError> spawn_child(const SpawnRequest& request) {
  auto parent_error = [](const char* operation) {
    return std::unexpected(SpawnError{SpawnFailure::kParent, SysError{errno, operation}});
  };
  if (request.argv.empty()) {
    errno = EINVAL;
    return parent_error("spawn");
  }
  // Built before fork: the child must not allocate.
  std::vector<char*> argv;
  argv.reserve(request.argv.size() + 1);
  for (const auto& arg : request.argv) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);

  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
    return parent_error("pipe2");
  }
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);

  const pid_t pid = ::fork();
  if (pid < 0) {
    return parent_error("fork");
  }
  if (pid == 0) {
    run_child(request, argv.data(), write_end.get());
  }
  write_end.reset();

  ChildReport report{};
  const ssize_t n = retry_on_eintr([&] { return ::read(read_end.get(), &report, sizeof(report)); });
  if (n == 0) {
    return pid;  // the pipe closed on exec: the program runs
  }
  // The child failed before or at exec and has exited; reap it so it leaves no zombie.
  int status = 0;
  (void)retry_on_eintr([&] { return ::waitpid(pid, &status, 0); });
  if (n != static_cast<ssize_t>(sizeof(report)) || report.step < 0 ||
      report.step >= static_cast<int>(kStepNames.size())) {
    errno = EPROTO;
    return parent_error("read spawn report");
  }
  return std::unexpected(
      SpawnError{SpawnFailure::kChild,
                 SysError{report.err, kStepNames[static_cast<std::size_t>(report.step)]}});
}

}  // namespace pidone::sys

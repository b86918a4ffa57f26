#include "nsrun/launch.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "proc/process_table.h"

extern char** environ;

namespace pidone::nsrun {
namespace {

ExitTimeoutReporter exit_timeout_reporter = nullptr;

// Runs in the cloned child: no allocation, then exec.
[[noreturn]] void exec_child(const LaunchSpec& spec, char* const* argv, char* const* envp,
                             int out_fd, int err_fd, int pty_slave, int exec_barrier) {
  if (!spec.cgroup_procs.empty()) {
    // "0" means the writer itself (its own PID would be 1 here, read in its own namespace).
    const int fd = ::open(spec.cgroup_procs.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ::write(fd, "0", 1) != 1) {
      ::_exit(123);
    }
    ::close(fd);
  }
  if (spec.pid_namespace) {
    // A private mount tree and a /proc of the new namespace, as unshare --mount-proc does.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
      ::_exit(121);
    }
    if (spec.private_run &&
        ::mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) {
      ::_exit(121);
    }
  }
  // As runc does for a container's init: a new session, so the init leads its group.
  if (spec.pid_namespace || pty_slave >= 0) {
    ::setsid();
  }
  if (pty_slave >= 0) {
    (void)::ioctl(pty_slave, TIOCSCTTY, 0);
    ::dup2(pty_slave, 0);
    ::dup2(pty_slave, 1);
    ::dup2(pty_slave, 2);
  } else {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (spec.stdin_null && null_fd >= 0) {
      ::dup2(null_fd, 0);
    }
    ::dup2(out_fd, 1);
    ::dup2(spec.merge_stderr ? out_fd : err_fd, 2);
  }
  // A defined start whatever the caller of the test ignored (a CI runner may ignore even the
  // real-time signals glibc keeps for itself): exactly spec.ignored, every other default.
  for (int sig = 1; sig <= SIGRTMAX; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) {
      (void)sys::set_disposition(sig, spec.ignored.contains(sig));  // best effort
    }
  }
  (void)sys::set_signal_mask(spec.blocked);
  // Every other descriptor of the test stays out of the program; the barrier (close-on-exec)
  // tells the parent when execve has happened.
  const auto barrier = static_cast<unsigned>(exec_barrier);
  if (barrier > 3U) {
    ::syscall(SYS_close_range, 3U, barrier - 1U, 0U);
  }
  ::syscall(SYS_close_range, barrier + 1U, ~0U, 0U);
  ::execve(argv[0], argv, envp);
  ::_exit(122);
}

}  // namespace

std::optional<std::string> pid_namespace_unavailable() {
  static const std::optional<std::string> reason = []() -> std::optional<std::string> {
    const long pid =
        ::syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
    if (pid < 0) {
      return std::string("cannot create a PID namespace (clone CLONE_NEWPID: ") +
             std::strerror(errno) + "); run the tests as root";
    }
    if (pid == 0) {
      ::_exit(0);
    }
    int status = 0;
    ::waitpid(static_cast<pid_t>(pid), &status, 0);
    return std::nullopt;
  }();
  return reason;
}

std::expected<Launched, std::string> Launched::start(const LaunchSpec& spec) {
  if (spec.pid_namespace) {
    if (auto reason = pid_namespace_unavailable()) {
      return std::unexpected(*reason);
    }
  }
  std::vector<std::string> env_strings;
  for (char** e = environ; !spec.clean_env && *e != nullptr; ++e) {
    env_strings.emplace_back(*e);
  }
  env_strings.insert(env_strings.end(), spec.extra_env.begin(), spec.extra_env.end());
  std::vector<char*> argv;
  std::vector<char*> envp;
  argv.reserve(spec.argv.size() + 1);
  envp.reserve(env_strings.size() + 1);
  for (const auto& a : spec.argv) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  for (const auto& e : env_strings) {
    envp.push_back(const_cast<char*>(e.c_str()));
  }
  envp.push_back(nullptr);

  std::array<int, 2> out{-1, -1};
  std::array<int, 2> err{-1, -1};
  int master = -1;
  int slave = -1;
  if (spec.pty) {
    if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) {
      return std::unexpected(std::string("openpty: ") + std::strerror(errno));
    }
    ::fcntl(master, F_SETFD, FD_CLOEXEC);
  } else if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0) {
    return std::unexpected(std::string("pipe2: ") + std::strerror(errno));
  }
  // Closed in the child by execve (or its exit): start() returns only then, so the program
  // runs, and a new namespace has its own /proc, before anyone looks at it.
  std::array<int, 2> barrier{-1, -1};
  if (::pipe2(barrier.data(), O_CLOEXEC) != 0) {
    return std::unexpected(std::string("pipe2: ") + std::strerror(errno));
  }
  const unsigned long flags = SIGCHLD | (spec.pid_namespace ? CLONE_NEWPID | CLONE_NEWNS : 0);
  const long pid = ::syscall(SYS_clone, flags, nullptr, nullptr, nullptr, nullptr);
  if (pid < 0) {
    const int error = errno;
    ::close(barrier[0]);
    ::close(barrier[1]);
    return std::unexpected(std::string("clone: ") + std::strerror(error));
  }
  if (pid == 0) {
    exec_child(spec, argv.data(), envp.data(), out[1], err[1], slave, barrier[1]);
  }
  ::close(barrier[1]);
  {
    // EOF (POLLHUP) once execve closed the barrier, or the child exited. Bounded: the child
    // only joins a cgroup, mounts /proc and execs; past 10 s start() returns anyway.
    pollfd done{barrier[0], POLLIN, 0};
    int ready = 0;
    while ((ready = ::poll(&done, 1, 10'000)) < 0 && errno == EINTR) {
    }
    char ignored = 0;
    if (ready > 0) {
      (void)!::read(barrier[0], &ignored, 1);  // 0: EOF, without blocking
    }
    ::close(barrier[0]);
  }
  Launched launched;
  launched.pid_ = static_cast<pid_t>(pid);
  launched.reaped_ = false;
  launched.own_namespace_ = spec.pid_namespace;
  if (spec.pty) {
    ::close(slave);
    launched.out_ = LineReader(sys::UniqueFd(master));
  } else {
    ::close(out[1]);
    ::close(err[1]);
    launched.out_ = LineReader(sys::UniqueFd(out[0]));
    launched.err_ = LineReader(sys::UniqueFd(err[0]));
  }
  return launched;
}

Launched::~Launched() {
  if (reaped_ || pid_ <= 0) {
    return;
  }
  // As PID 1 its death ends the namespace. As a plain child its descendants would outlive it:
  // kill them first and give pidone (still alive, still reaping) a bounded moment to reap them,
  // so nothing is orphaned to the host's init.
  const auto deadline = Clock::now() + 5s;
  auto alive_below = [this] {
    auto below = proc::descendants_of(proc::scan_processes(), pid_);
    std::erase_if(below, [](const proc::ProcStat& p) { return p.state == 'Z'; });
    return below;
  };
  for (auto left = own_namespace_ ? decltype(alive_below()){} : alive_below(); !left.empty();
       left = alive_below()) {
    for (const auto& process : left) {
      ::kill(process.pid, SIGKILL);
    }
    if (Clock::now() >= deadline) {
      break;
    }
    pollfd none{-1, 0, 0};
    (void)::poll(&none, 0, 5);  // a 5 ms pause between re-scans: there is no event to wait on
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

void Launched::send(int sig) const {
  ::kill(pid_, sig);
}

bool Launched::exited_within(Clock::duration timeout) const {
  if (reaped_) {
    return true;
  }
  // The pidfd becomes readable when the process exits: no polling loop, no sleep.
  const sys::UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
  if (!pidfd.valid()) {
    return false;
  }
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    pollfd ready{pidfd.get(), POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    const int rc = ::poll(&ready, 1, static_cast<int>(std::max<long long>(left, 0)));
    if (rc > 0) {
      return true;
    }
    if (rc == 0 || errno != EINTR) {
      return false;
    }
  }
}

void set_exit_timeout_reporter(ExitTimeoutReporter reporter) {
  exit_timeout_reporter = reporter;
}

std::optional<int> Launched::wait_exit(Clock::duration timeout) {
  if (reaped_) {
    return std::nullopt;
  }
  int status = 0;
  const bool exited = exited_within(timeout);
  if (exited && ::waitpid(pid_, &status, 0) == pid_) {
    reaped_ = true;
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  }
  if (!exited && timeout > Clock::duration::zero() && exit_timeout_reporter != nullptr) {
    exit_timeout_reporter(pid_, timeout);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  reaped_ = true;
  return std::nullopt;
}

std::string Launched::proc_root() const {
  return "/proc/" + std::to_string(pid_) + "/root/proc";
}

}  // namespace pidone::nsrun

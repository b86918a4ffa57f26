// Launch: starts a program (pidone, normally) as PID 1 of a new PID and mount
// namespace with its own /proc, or as a plain child. The test is its real parent, so
// wait_exit() returns PID 1's own status (util-linux unshare misreports death by SIGKILL).
// Used by the tests, the benchmark and the lab.
// The destructor SIGKILLs what is still running: as PID 1 that ends the whole namespace.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nsrun/lines.h"
#include "sys/signal_set.h"

namespace pidone::nsrun {

struct LaunchSpec {
  std::vector<std::string> argv;
  std::vector<std::string> extra_env;  // "NAME=value", added to the test's environment
  bool clean_env = false;              // extra_env only, without the test's environment
  bool pid_namespace = true;
  bool pty = false;           // stdin/out/err on a new pty that is the controlling tty
  bool stdin_null = true;     // without pty: stdin from /dev/null
  sys::SignalSet blocked;     // the launched program starts with these blocked
  sys::SignalSet ignored;     // ... and these set to SIG_IGN
  std::string cgroup_procs;   // if set: a cgroup.procs file to join before exec
  bool merge_stderr = false;  // stderr into the stdout pipe (err() then reads nothing)
  bool private_run = false;   // with pid_namespace: a tmpfs of its own on /run, so files an
                              // init keeps under /run/NAME/<its pid> do not meet another's
};

class Launched {
 public:
  // Error text says why (e.g. no permission for a PID namespace); tests skip on it.
  static std::expected<Launched, std::string> start(const LaunchSpec& spec);

  Launched(Launched&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)),
        reaped_(std::exchange(other.reaped_, true)),
        own_namespace_(other.own_namespace_),
        out_(std::move(other.out_)),
        err_(std::move(other.err_)) {}
  Launched& operator=(Launched&&) = delete;
  ~Launched();

  [[nodiscard]] pid_t pid() const { return pid_; }  // as seen from the test
  LineReader& out() { return out_; }                // stdout (the pty, with `pty`)
  LineReader& err() { return err_; }                // stderr (unused with `pty`)
  [[nodiscard]] int pty_master() const { return out_.fd(); }

  // Exit code (N, or 128+S), or nullopt if it did not exit in time (then it is SIGKILLed).
  std::optional<int> wait_exit(Clock::duration timeout = 20s);
  void send(int sig) const;

  // The namespace's /proc, seen from outside: /proc/PID/root/proc.
  [[nodiscard]] std::string proc_root() const;

 private:
  Launched() = default;
  // Whether it has exited within `timeout`, without reaping it or killing it: wait_exit's
  // wait, before it reaps, or reports and kills.
  [[nodiscard]] bool exited_within(Clock::duration timeout) const;
  pid_t pid_ = -1;
  bool reaped_ = true;
  bool own_namespace_ = false;  // PID 1 of a new namespace: its death ends everything below
  LineReader out_;
  LineReader err_;
};

// Called by wait_exit when its timeout (above zero) passes and the program still runs, before
// it is killed: the tests install one that prints what it and everything below it were doing,
// so a miss tells a lost signal from a slow machine. None by default (the lab's wait_exit(0s)
// and its deadlines are no failures).
using ExitTimeoutReporter = void (*)(pid_t pid, Clock::duration timeout);
void set_exit_timeout_reporter(ExitTimeoutReporter reporter);

// Whether this process may create PID namespaces (root, or unprivileged user namespaces).
[[nodiscard]] std::optional<std::string> pid_namespace_unavailable();

}  // namespace pidone::nsrun

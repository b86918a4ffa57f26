// Container and Runtime: what the lab does to a subject, whatever runs it.
//
// A Runtime starts a Workload as PID 1 of a new PID namespace and says where the programs are
// as the container sees them. Two exist: the default (NamespaceRuntime: clone + nsenter, as
// util-linux unshare/nsenter) and runc (RuncRuntime: an OCI bundle, the runtime under
// docker). Every command a runtime runs is recorded in the log it is given, for the report.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nsrun/lines.h"
#include "proc/stat_parser.h"
#include "sys/signal_set.h"

namespace pidone::lab {

using namespace std::chrono_literals;
using nsrun::Clock;

struct CommandResult {
  int exit_code = -1;  // N, 128+S, or -1 when it did not finish in time
  std::string output;  // stdout and stderr
};

struct Workload {
  std::vector<std::string> argv;  // paths as the container sees them (Runtime::program)
  std::optional<int> pids_limit;  // a pids cgroup with this pids.max
};

class Container {
 public:
  virtual ~Container() = default;

  [[nodiscard]] virtual pid_t host_pid() const = 0;
  virtual nsrun::LineReader& out() = 0;  // PID 1's stdout and stderr

  // A new process inside the container, as `docker exec` (joins its cgroup too).
  virtual CommandResult exec(const std::vector<std::string>& argv,
                             Clock::duration timeout = 10s) = 0;
  // `kill -SIG 1` from inside; returns kill's exit code.
  int kill_from_inside(int sig);
  // The signal from the parent namespace, as `docker kill` or the runtime sends it.
  virtual void kill_from_outside(int sig) = 0;

  [[nodiscard]] virtual bool running() const = 0;
  // PID 1's exit status (N or 128+S), or nullopt if it still runs after `timeout`.
  virtual std::optional<int> exit_within(Clock::duration timeout) = 0;
  // Ends the container (SIGKILL to PID 1 from outside), reaps PID 1 and cleans up.
  virtual int stop() = 0;
  // "pids.current/pids.max" of its pids cgroup, or "" without one.
  [[nodiscard]] virtual std::string pids_usage() const = 0;

  // SIGKILL etc. to the container's process `ns_pid` (its PID inside) from the host, as one
  // does when `docker exec` cannot fork. Returns false if no such process is in the container.
  bool kill_process_from_outside(pid_t ns_pid, int sig);

  // From the container's own /proc, and PID 1's status, seen from outside.
  [[nodiscard]] std::vector<proc::ProcStat> processes() const;
  [[nodiscard]] sys::SignalSet pid1_signal_set(const char* field) const;
  [[nodiscard]] std::string pid1_name() const;

 protected:
  explicit Container(std::vector<std::string>* log) : log_(log) {}
  void record(const std::string& line) const {
    if (log_ != nullptr) {
      log_->push_back(line);
    }
  }
  // `runtime_exec ARGV...` (e.g. `runc exec ID`, `podman exec NAME`): recorded, then run.
  CommandResult recorded_exec(std::vector<std::string> runtime_exec,
                              const std::vector<std::string>& argv, Clock::duration timeout) const;

 private:
  std::vector<std::string>* log_;
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  [[nodiscard]] virtual const char* name() const = 0;
  virtual std::expected<std::unique_ptr<Container>, std::string> start(
      const Workload& workload, std::vector<std::string>* log) = 0;
  // Where a lab program, pidone and tini are, as the container sees them.
  [[nodiscard]] virtual std::string program(const std::string& name) const = 0;
  [[nodiscard]] virtual std::string pidone() const = 0;
  [[nodiscard]] virtual std::string tini() const = 0;  // "" when not available
  // Whether a lab program exists (go-init is built only where Go is installed).
  [[nodiscard]] virtual bool has_program(const std::string& name) const = 0;
  // The program on the host, for what runs outside any container (basic-signals).
  [[nodiscard]] virtual std::string host_program(const std::string& name) const = 0;
};

// True only for a process that /proc shows as PID 1 of a namespace other than ours ("NSpid:
// <host pid> 1"): the guard in front of every nsenter and every `kill 1`.
[[nodiscard]] bool is_pid1_of_another_namespace(pid_t host_pid);

// Runs a command on the host (not in a namespace), capturing its output, bounded in time.
CommandResult run_command(const std::vector<std::string>& argv, Clock::duration timeout);

// "kill -TERM 1" style: "TERM" for SIGTERM.
std::string short_signal_name(int sig);

// "  PID  PPID STAT COMMAND" rows, at most `limit`, then a line that counts the rest.
std::string ps_table(std::vector<proc::ProcStat> table, std::size_t limit = 8);

// argv as one shell-quoted line, for the report.
std::string join_command(const std::vector<std::string>& argv);

}  // namespace pidone::lab

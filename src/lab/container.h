// Container: one lab subject as PID 1 of a new PID namespace (the default runtime), and the
// things the seed does to it: `docker exec` (here nsenter), `kill` from inside and outside,
// `ps`. Every command it runs is recorded, so the report can show it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "nsrun/launch.h"
#include "proc/stat_parser.h"
#include "sys/signal_set.h"

namespace pidone::lab {

using namespace std::chrono_literals;

struct CommandResult {
  int exit_code = -1;  // N, 128+S, or -1 when it did not finish in time
  std::string output;  // stdout and stderr
};

class Container {
 public:
  // Starts `argv` as PID 1 (as `unshare --pid --fork --mount-proc ARGV` would); `cgroup_procs`,
  // if set, is a cgroup.procs file the process joins before it execs.
  static std::expected<Container, std::string> start(std::vector<std::string> argv,
                                                     std::vector<std::string>* log,
                                                     const std::string& cgroup_procs = "");

  [[nodiscard]] pid_t host_pid() const { return launched_->pid(); }
  nsrun::LineReader& out() { return launched_->out(); }

  // nsenter -t PID -p -m ARGV: a new process inside the namespace, as `docker exec`.
  CommandResult exec(const std::vector<std::string>& argv, nsrun::Clock::duration timeout = 10s);
  // `kill -SIG 1` from inside; returns kill's exit code.
  int kill_from_inside(int sig);
  // kill(host PID, sig) from the parent namespace, as `docker kill` or the runtime does.
  void kill_from_outside(int sig);

  [[nodiscard]] bool running() const;
  // PID 1's exit status (N or 128+S), or nullopt if it is still running after `timeout`
  // (it is left running).
  std::optional<int> exit_within(nsrun::Clock::duration timeout);
  // Ends the namespace (SIGKILL to PID 1 from the parent namespace) and reaps PID 1.
  int stop();

  // The namespace's processes, from its own /proc.
  [[nodiscard]] std::vector<proc::ProcStat> processes() const;
  // PID 1's SigCgt, SigIgn, SigBlk, ... as a set.
  [[nodiscard]] sys::SignalSet pid1_signal_set(const char* field) const;
  [[nodiscard]] std::string pid1_name() const;

 private:
  Container() = default;
  void record(const std::string& line) const;
  std::optional<nsrun::Launched> launched_;
  std::optional<int> exit_code_;
  std::vector<std::string>* log_ = nullptr;
};

// True only for a process that /proc shows as PID 1 of a namespace other than ours ("NSpid:
// <host pid> 1"): the guard in front of every nsenter and every `kill 1`.
[[nodiscard]] bool is_pid1_of_another_namespace(pid_t host_pid);

// Runs a command on the host (not in a namespace), capturing its output, bounded in time.
CommandResult run_command(const std::vector<std::string>& argv, nsrun::Clock::duration timeout);

// "kill -TERM 1" style: "TERM" for SIGTERM.
std::string short_signal_name(int sig);

// "SIGINT SIGCHLD" for a set.
std::string describe_signals(sys::SignalSet set);

// "  PID  PPID STAT COMMAND" rows, at most `limit`, then a line that counts the rest.
std::string ps_table(std::vector<proc::ProcStat> table, std::size_t limit = 8);

}  // namespace pidone::lab

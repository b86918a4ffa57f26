#include "lab/container.h"

#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "pidone/signal_names.h"
#include "proc/process_table.h"

namespace pidone::lab {
namespace {

std::string join(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) {
      line += ' ';
    }
    const bool quote = arg.empty() || arg.find_first_of(" \t'\"$&;|<>") != std::string::npos;
    line += quote ? "'" + arg + "'" : arg;
  }
  return line;
}

std::string status_field(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(name + ":")) {
      line.erase(0, name.size() + 1);
      line.erase(0, line.find_first_not_of(" \t"));
      return line;
    }
  }
  return "";
}

}  // namespace

// A signal to PID 1 must never reach the machine's own init.
bool is_pid1_of_another_namespace(pid_t host_pid) {
  std::istringstream fields(status_field(host_pid, "NSpid"));
  std::vector<long> ids;
  for (long id = 0; fields >> id;) {
    ids.push_back(id);
  }
  return ids.size() >= 2 && ids.front() == host_pid && ids.back() == 1;
}

CommandResult run_command(const std::vector<std::string>& argv, nsrun::Clock::duration timeout) {
  nsrun::LaunchSpec spec;
  spec.pid_namespace = false;
  spec.argv = argv;
  if (!spec.argv.empty() && spec.argv.front().find('/') == std::string::npos) {
    // execve needs a path: resolve through PATH as a shell would.
    spec.argv = {"/usr/bin/env"};
    spec.argv.insert(spec.argv.end(), argv.begin(), argv.end());
  }
  CommandResult result;
  auto launched = nsrun::Launched::start(spec);
  if (!launched) {
    result.output = launched.error();
    return result;
  }
  result.output = launched->out().read_rest(timeout);
  result.output += launched->err().read_rest(100ms);
  result.exit_code = launched->wait_exit(timeout).value_or(-1);
  return result;
}

std::string short_signal_name(int sig) {
  return signal_name(sig).substr(3);
}

std::string describe_signals(sys::SignalSet set) {
  std::string text;
  for (int sig = 1; sig <= sys::kMaxSignal; ++sig) {
    if (set.contains(sig)) {
      text += (text.empty() ? "" : " ") + signal_name(sig);
    }
  }
  return text.empty() ? "(none)" : text;
}

std::string ps_table(std::vector<proc::ProcStat> table, std::size_t limit) {
  std::sort(table.begin(), table.end(),
            [](const proc::ProcStat& a, const proc::ProcStat& b) { return a.pid < b.pid; });
  std::string text = "      PID  PPID STAT COMMAND\n";
  char row[160];
  for (std::size_t i = 0; i < table.size() && i < limit; ++i) {
    const auto& p = table[i];
    std::snprintf(row, sizeof(row), "    %5d %5d %-4c %s%s\n", p.pid, p.ppid, p.state,
                  p.comm.c_str(), p.state == 'Z' ? " <defunct>" : "");
    text += row;
  }
  if (table.size() > limit) {
    const auto zombies = std::count_if(table.begin() + static_cast<std::ptrdiff_t>(limit),
                                       table.end(), [](const auto& p) { return p.state == 'Z'; });
    text += "    ... and " + std::to_string(table.size() - limit) + " more (" +
            std::to_string(zombies) + " of them zombies)\n";
  }
  return text;
}

std::expected<Container, std::string> Container::start(std::vector<std::string> argv,
                                                       std::vector<std::string>* log,
                                                       const std::string& cgroup_procs) {
  nsrun::LaunchSpec spec;
  spec.argv = std::move(argv);
  spec.cgroup_procs = cgroup_procs;
  Container container;
  container.log_ = log;
  container.record("unshare --pid --fork --mount-proc " + join(spec.argv) +
                   (cgroup_procs.empty() ? "" : "   # in the cgroup " + cgroup_procs));
  auto launched = nsrun::Launched::start(spec);
  if (!launched) {
    return std::unexpected(launched.error());
  }
  container.launched_.emplace(std::move(*launched));
  return container;
}

void Container::record(const std::string& line) const {
  if (log_ != nullptr) {
    log_->push_back(line);
  }
}

CommandResult Container::exec(const std::vector<std::string>& argv,
                              nsrun::Clock::duration timeout) {
  if (!running() || !is_pid1_of_another_namespace(host_pid())) {
    return CommandResult{-1, "not entered: the target is not PID 1 of a new namespace"};
  }
  std::vector<std::string> command = {"nsenter", "-t", std::to_string(host_pid()), "-p", "-m"};
  command.insert(command.end(), argv.begin(), argv.end());
  record(join(command));
  return run_command(command, timeout);
}

int Container::kill_from_inside(int sig) {
  return exec({"kill", "-" + short_signal_name(sig), "1"}).exit_code;
}

void Container::kill_from_outside(int sig) {
  if (!running()) {
    return;
  }
  record("kill -" + short_signal_name(sig) + " " + std::to_string(host_pid()) +
         "   # from the parent namespace");
  ::kill(host_pid(), sig);
}

bool Container::running() const {
  return !exit_code_.has_value();
}

std::optional<int> Container::exit_within(nsrun::Clock::duration timeout) {
  if (exit_code_) {
    return exit_code_;
  }
  // wait_exit kills what is still running at the deadline; poll its pidfd here instead.
  const auto deadline = nsrun::Clock::now() + timeout;
  while (nsrun::Clock::now() < deadline) {
    auto stat = proc::read_stat(host_pid());
    if (!stat || stat->state == 'Z') {
      exit_code_ = launched_->wait_exit(5s);
      return exit_code_;
    }
    pollfd none{-1, 0, 0};
    (void)::poll(&none, 0, 10);
  }
  return std::nullopt;
}

int Container::stop() {
  if (!exit_code_) {
    exit_code_ = launched_->wait_exit(0s).value_or(128 + SIGKILL);  // SIGKILLs, then reaps
  }
  return *exit_code_;
}

std::vector<proc::ProcStat> Container::processes() const {
  return running() ? proc::scan_processes(launched_->proc_root()) : std::vector<proc::ProcStat>{};
}

sys::SignalSet Container::pid1_signal_set(const char* field) const {
  const std::string hex = status_field(host_pid(), field);
  return sys::SignalSet(hex.empty() ? 0 : std::stoull(hex, nullptr, 16));
}

std::string Container::pid1_name() const {
  auto stat = proc::read_stat(host_pid());
  return stat ? stat->comm : "?";
}

}  // namespace pidone::lab

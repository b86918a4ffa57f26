#include "lab/container.h"

#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "nsrun/launch.h"
#include "proc/process_table.h"
#include "sys/signal_names.h"

namespace pidone::lab {

std::string join_command(const std::vector<std::string>& argv) {
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

namespace {

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
  return sys::signal_name(sig).substr(3);
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

CommandResult Container::recorded_exec(std::vector<std::string> runtime_exec,
                                       const std::vector<std::string>& argv,
                                       Clock::duration timeout) const {
  runtime_exec.insert(runtime_exec.end(), argv.begin(), argv.end());
  record(join_command(runtime_exec));
  return run_command(runtime_exec, timeout);
}

int Container::kill_from_inside(int sig) {
  return exec({"kill", "-" + short_signal_name(sig), "1"}).exit_code;
}

bool Container::kill_process_from_outside(pid_t ns_pid, int sig) {
  if (!running()) {
    return false;
  }
  // Only a process below this container's PID 1 whose innermost PID is ns_pid.
  for (const auto& process : proc::descendants_of(proc::scan_processes(), host_pid())) {
    std::istringstream fields(status_field(process.pid, "NSpid"));
    long last = 0;
    for (long id = 0; fields >> id;) {
      last = id;
    }
    if (last == ns_pid) {
      record("kill -" + short_signal_name(sig) + " " + std::to_string(process.pid) +
             "   # from the host: its PID " + std::to_string(ns_pid) + " in the container");
      return ::kill(process.pid, sig) == 0;
    }
  }
  return false;
}

std::vector<proc::ProcStat> Container::processes() const {
  if (!running()) {
    return {};
  }
  return proc::scan_processes("/proc/" + std::to_string(host_pid()) + "/root/proc");
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

#include "pidone/leftovers.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "proc/process_table.h"
#include "sys/pid_fd.h"

namespace pidone {
namespace {

// The others in the namespace (PID 1) or below pidone (a subreaper), zombies aside: a zombie
// needs reaping, not a signal. nullopt when /proc is not this namespace's: then it says
// nothing about ours (a bind mount of the host's, a tmpfs, or none at all).
std::optional<std::vector<proc::ProcStat>> list_others(Scope scope) {
  if (!proc::proc_matches_own_namespace()) {
    return std::nullopt;
  }
  const pid_t self = ::getpid();
  std::vector<proc::ProcStat> who = proc::scan_processes();
  if (scope == Scope::kDescendants) {
    who = proc::descendants_of(who, self);
  }
  std::erase_if(who, [self](const proc::ProcStat& p) { return p.pid == self || p.state == 'Z'; });
  return who;
}

// kill(-1) as PID 1: every process of the namespace but ourselves, in one call.
bool signal_everyone(int sig) {
  if (::kill(-1, sig) != 0) {
    return false;  // ESRCH: nobody left
  }
  if (sig == SIGTERM) {
    (void)::kill(-1, SIGCONT);
  }
  return true;
}

// The process must still be the one we listed (same start time). With a pidfd that check pins
// it for good; without one (a kernel before 5.3, a seccomp profile that refuses pidfd_open,
// no descriptor to spare) kill() is the best there is, right after the check.
bool signal_listed(const proc::ProcStat& process, int sig) {
  auto pidfd = sys::PidFd::open(process.pid);
  if (!pidfd && pidfd.error().code == ESRCH) {
    return false;  // gone already
  }
  const auto now = proc::read_stat(process.pid);
  if (!now || now->start_time != process.start_time) {
    return false;
  }
  auto send = [&](int s) {
    return pidfd ? pidfd->send_signal(s).has_value() : ::kill(process.pid, s) == 0;
  };
  if (!send(sig)) {
    return false;
  }
  if (sig == SIGTERM) {
    (void)send(SIGCONT);
  }
  return true;
}

}  // namespace

DrainReport signal_remaining(Scope scope, int sig, pid_t group) {
  DrainReport report;
  auto listed = list_others(scope);
  if (scope == Scope::kNamespace) {
    report.who = listed.value_or(std::vector<proc::ProcStat>{});
    if (signal_everyone(sig)) {
      report.signalled = report.who.empty() ? -1 : static_cast<int>(report.who.size());
    }
    return report;
  }
  if (!listed) {
    report.unlisted = true;
    if (group > 1 && ::kill(-group, sig) == 0) {
      report.signalled = -1;
      if (sig == SIGTERM) {
        (void)::kill(-group, SIGCONT);
      }
    }
    return report;
  }
  for (const auto& process : *listed) {
    if (signal_listed(process, sig)) {
      ++report.signalled;
      report.who.push_back(process);
    }
  }
  return report;
}

std::vector<proc::ProcStat> members_of_group(Scope scope, pid_t group) {
  auto listed = list_others(scope);
  if (!listed) {
    return {};
  }
  std::erase_if(*listed, [group](const proc::ProcStat& p) { return p.pgrp != group; });
  return std::move(*listed);
}

}  // namespace pidone

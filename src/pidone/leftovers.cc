#include "pidone/leftovers.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "proc/process_table.h"
#include "sys/pid_fd.h"

namespace pidone {
namespace {

std::vector<proc::ProcStat> others_in_namespace() {
  // /proc may belong to another namespace (a bind mount of the host's); then it says nothing
  // about ours and is not read.
  if (!proc::proc_matches_own_namespace()) {
    return {};
  }
  std::vector<proc::ProcStat> who = proc::scan_processes();
  std::erase_if(who, [self = ::getpid()](const proc::ProcStat& p) {
    return p.pid == self || p.state == 'Z';  // a zombie needs reaping, not a signal
  });
  return who;
}

}  // namespace

DrainReport signal_remaining(Scope scope, int sig) {
  DrainReport report;
  if (scope == Scope::kNamespace) {
    report.who = others_in_namespace();
    // kill(-1) as PID 1: every process of the namespace but ourselves, in one call.
    if (::kill(-1, sig) != 0) {
      report.signalled = 0;  // ESRCH: nobody left
    } else {
      report.signalled = report.who.empty() ? -1 : static_cast<int>(report.who.size());
    }
    return report;
  }
  const std::vector<proc::ProcStat> listed =
      proc::descendants_of(proc::scan_processes(), ::getpid());
  for (const auto& process : listed) {
    if (process.state == 'Z') {
      continue;
    }
    auto pidfd = sys::PidFd::open(process.pid);
    if (!pidfd && pidfd.error().code == ESRCH) {
      continue;  // gone already
    }
    // The process must still be the one we listed (same start time). With a pidfd that check
    // pins it for good; without one (a kernel before 5.3, or a seccomp profile that refuses
    // pidfd_open) kill() is the best there is, right after the check.
    const auto now = proc::read_stat(process.pid);
    if (!now || now->start_time != process.start_time) {
      continue;
    }
    const bool sent = pidfd ? pidfd->send_signal(sig).has_value() : ::kill(process.pid, sig) == 0;
    if (sent) {
      ++report.signalled;
      report.who.push_back(process);
    }
  }
  return report;
}

std::string describe_processes(const std::vector<proc::ProcStat>& who, std::size_t limit) {
  std::string text;
  for (std::size_t i = 0; i < who.size() && i < limit; ++i) {
    if (i > 0) {
      text += ", ";
    }
    text += std::to_string(who[i].pid) + " (" + who[i].comm + ")";
  }
  if (who.size() > limit) {
    text += " and " + std::to_string(who.size() - limit) + " more";
  }
  return text;
}

}  // namespace pidone

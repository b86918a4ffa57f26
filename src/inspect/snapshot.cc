#include "inspect/snapshot.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "proc/pids_cgroup.h"
#include "proc/process_table.h"
#include "proc/text_file.h"

namespace pidone::inspect {
namespace {

std::string pid_namespace_of(pid_t pid) {
  std::array<char, 64> target{};
  const std::string link = "/proc/" + std::to_string(pid) + "/ns/pid";
  const ssize_t n = ::readlink(link.c_str(), target.data(), target.size() - 1);
  return n > 0 ? std::string(target.data(), static_cast<std::size_t>(n)) : "";
}

double uptime_seconds(const std::string& proc_root) {
  std::istringstream in(proc::read_text_file(proc_root + "/uptime"));
  double up = 0;
  in >> up;
  return up;
}

}  // namespace

const Process* Snapshot::find(pid_t pid) const {
  for (const auto& p : processes) {
    if (p.stat.pid == pid) {
      return &p;
    }
  }
  return nullptr;
}

const Process* Snapshot::init() const {
  return find(1);
}

std::expected<Snapshot, std::string> read_snapshot(const std::string& proc_root,
                                                   pid_t init_host_pid) {
  Snapshot snapshot;
  snapshot.proc_root = proc_root;
  snapshot.init_host_pid = init_host_pid;
  DIR* dir = ::opendir(proc_root.c_str());
  if (dir == nullptr) {
    return std::unexpected("cannot read " + proc_root);
  }
  const double up = uptime_seconds(proc_root);
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::string base = proc_root;
    base += '/';
    base += name;
    auto stat = proc::parse_stat(proc::read_text_file(base + "/stat"));
    auto status = proc::parse_status(proc::read_text_file(base + "/status"));
    if (!stat || !status) {
      continue;  // gone while we read, or unreadable: skipped
    }
    Process process{std::move(*stat), std::move(*status), proc::read_text_file(base + "/wchan"), 0};
    process.age_seconds = std::max(0.0, up - static_cast<double>(process.stat.start_time) / ticks);
    snapshot.processes.push_back(std::move(process));
  }
  ::closedir(dir);
  std::sort(snapshot.processes.begin(), snapshot.processes.end(),
            [](const Process& a, const Process& b) { return a.stat.pid < b.stat.pid; });
  if (snapshot.init() == nullptr) {
    return std::unexpected(proc_root + " lists no PID 1");
  }
  if (auto counters = proc::read_pids_counters(proc::pids_cgroup_of(init_host_pid))) {
    snapshot.pids =
        PidsCapacity{counters->cgroup, counters->current, counters->max, counters->events_max};
  }
  return snapshot;
}

std::expected<Snapshot, std::string> snapshot_own_namespace() {
  if (!proc::proc_matches_own_namespace("/proc")) {
    return std::unexpected(
        "/proc does not belong to this PID namespace (mount one, or use --pid from the host)");
  }
  return read_snapshot("/proc", 1);
}

std::expected<Snapshot, std::string> snapshot_namespace_of(pid_t host_pid) {
  const std::string target_ns = pid_namespace_of(host_pid);
  if (target_ns.empty()) {
    return std::unexpected("no process " + std::to_string(host_pid) + " (or no permission)");
  }
  // Its namespace's init: the process there whose innermost PID is 1.
  pid_t init = 0;
  for (const auto& p : proc::scan_processes("/proc")) {
    if (pid_namespace_of(p.pid) != target_ns) {
      continue;
    }
    auto status =
        proc::parse_status(proc::read_text_file("/proc/" + std::to_string(p.pid) + "/status"));
    if (status && !status->nspid.empty() && status->nspid.back() == 1) {
      init = p.pid;
      break;
    }
  }
  if (init == 0) {
    return std::unexpected("no PID 1 found in the PID namespace of " + std::to_string(host_pid));
  }
  const std::string root = "/proc/" + std::to_string(init) + "/root/proc";
  auto snapshot = read_snapshot(root, init);
  if (!snapshot) {
    return std::unexpected("cannot read the container's /proc (" + root + "): " + snapshot.error());
  }
  return snapshot;
}

}  // namespace pidone::inspect

// Snapshot: everything pidone-inspect reads about one PID namespace, read once. Read only:
// nothing is signalled, written or entered.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "proc/stat_parser.h"
#include "proc/status_parser.h"

namespace pidone::inspect {

struct Process {
  proc::ProcStat stat;  // PIDs as seen inside the namespace
  proc::ProcStatus status;
  std::string wchan;       // where it sleeps in the kernel ("do_wait": blocked in wait())
  double age_seconds = 0;  // since it started
};

struct PidsCapacity {
  std::string cgroup;  // the cgroup folder read
  std::int64_t current = -1;
  std::int64_t max = -1;         // -1: "max" (no limit)
  std::int64_t events_max = -1;  // times a fork was refused at the limit
};

struct Snapshot {
  std::string proc_root;    // the /proc read: "/proc" inside, "/proc/H/root/proc" from the host
  pid_t init_host_pid = 0;  // PID 1 as the caller sees it (1 when inside)
  std::vector<Process> processes;  // sorted by PID
  std::optional<PidsCapacity> pids;

  [[nodiscard]] const Process* init() const;  // the process with PID 1
  [[nodiscard]] const Process* find(pid_t pid) const;
};

// Inside a container: this namespace's PID 1 and /proc.
std::expected<Snapshot, std::string> snapshot_own_namespace();
// From the host: the PID namespace of `host_pid` (any process of the container).
std::expected<Snapshot, std::string> snapshot_namespace_of(pid_t host_pid);

// Reads a snapshot of the namespace whose /proc is `proc_root`; PID 1 is `init_host_pid`
// as seen from the caller (for its cgroup).
std::expected<Snapshot, std::string> read_snapshot(const std::string& proc_root,
                                                   pid_t init_host_pid);

}  // namespace pidone::inspect

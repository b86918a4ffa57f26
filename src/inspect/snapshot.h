// Snapshot: everything pidone-inspect reads about one PID namespace, read once. Read only:
// nothing is signalled, written, traced or entered.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "inspect/delivery.h"
#include "inspect/syscall_state.h"
#include "proc/stat_parser.h"
#include "proc/status_parser.h"

namespace pidone::inspect {

struct Process {
  proc::ProcStat stat;      // PIDs as seen inside the namespace (pid, ppid: 0 for a parent outside)
  proc::ProcStatus status;  // pid and ppid likewise
  std::string wchan;        // where it sleeps in the kernel ("do_wait": blocked in wait())
  double age_seconds = 0;   // since it started
  std::string dir;          // where it was read: "/proc/7" inside, "/proc/HOSTPID" from the host
};

// One thread of PID 1, read with its system call on both sides of its masks, so that a mask
// and a wait belong to the same moment.
struct Thread {
  pid_t tid = 0;  // as seen inside the namespace
  char state = '?';
  std::uint64_t sig_blk = 0;  // while it waits in rt_sigtimedwait: without the awaited set
  std::uint64_t sig_pnd = 0;  // pending for this thread
  std::string wchan;
  SyscallState syscall;
  SigWait wait = SigWait::kNone;
  std::uint64_t wait_set = 0;  // with SigWait::kKnownSet: the set, read from its memory
  bool settled = true;         // false: it kept changing while it was read
};

struct PidsCapacity {
  std::string cgroup;  // the cgroup folder read
  std::int64_t current = -1;
  std::int64_t max = -1;         // -1: "max" (no limit)
  std::int64_t events_max = -1;  // times a fork was refused at the limit
};

// One service of a pidone run with --services, from the status file pidone keeps
// (/run/pidone/1/services/NAME inside the container), checked against the process table.
struct ServiceStatus {
  std::string name;   // printable
  pid_t pid = 0;      // its run, as seen inside; 0 when none runs
  std::string state;  // up, down, finishing, restarting, failed, stopped ("?": unreadable)
  bool ready = false;
  int starts = 0;
  bool running = false;  // `pid` is alive and a child of PID 1: the file is not stale
};

struct Snapshot {
  std::string proc_root;  // the /proc read: "/proc", inside or from the host
  // PID 1's PID on the host: known with --pid, or inside the host's own (initial) namespace.
  std::optional<pid_t> init_host_pid;
  std::vector<Process> processes;    // sorted by PID
  std::vector<Thread> init_threads;  // PID 1's threads, its main thread first
  std::string init_exe;              // the file name of PID 1's executable; "" if unreadable
  // What PID 1's signalfds ask for; nullopt when its descriptors could not be read.
  std::optional<std::uint64_t> init_signalfd;
  pid_t self = 0;  // pidone-inspect's own PID in the namespace; 0 when it is not in it
  std::optional<PidsCapacity> pids;
  std::vector<ServiceStatus> services;  // empty unless PID 1 is pidone with --services

  [[nodiscard]] const Process* init() const;  // the process with PID 1
  [[nodiscard]] const Process* find(pid_t pid) const;
};

// Inside a container: this namespace's PID 1 and /proc (which must be the namespace's own).
std::expected<Snapshot, std::string> snapshot_own_namespace();
// From the host: the PID namespace of `host_pid` (any process of the container), read from
// the host's /proc. Its processes are those whose PID namespace is that one or lies below it,
// numbered as they are inside (NSpid); nothing from another namespace is reported.
std::expected<Snapshot, std::string> snapshot_namespace_of(pid_t host_pid);

// One thread's state read from its task folder ("/proc/7/task/7"), `depth` levels below the
// namespace of the /proc it is in (0: that namespace itself).
[[nodiscard]] Thread read_thread(const std::string& task_dir, std::size_t depth);

}  // namespace pidone::inspect

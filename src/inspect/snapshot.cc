#include "inspect/snapshot.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <map>
#include <string_view>

#include "proc/pids_cgroup.h"
#include "proc/process_table.h"
#include "proc/status_parser.h"
#include "proc/text_file.h"
#include "sys/retry.h"
#include "sys/unique_fd.h"
#include "text/printable.h"

namespace pidone::inspect {
namespace {

// The inode of the initial PID namespace, the host's (PROC_PID_INIT_INO, include/linux/proc_ns.h).
constexpr ino_t kInitialPidNamespace = 0xEFFFFFFCU;

// How many times a thread is re-read when its system call changed under the read.
constexpr int kReadAttempts = 5;

constexpr std::uint64_t kUncatchable =
    (std::uint64_t{1} << (SIGKILL - 1)) | (std::uint64_t{1} << (SIGSTOP - 1));

struct NamespaceId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const NamespaceId&) const = default;
};

std::optional<NamespaceId> namespace_of_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return std::nullopt;
  }
  return NamespaceId{st.st_dev, st.st_ino};
}

// Whether the PID namespace of process `dir` is `target` or lies `levels` below it.
bool namespace_within(const std::string& dir, std::size_t levels, const NamespaceId& target) {
  sys::UniqueFd ns(::open((dir + "/ns/pid").c_str(), O_RDONLY | O_CLOEXEC));
  for (std::size_t i = 0; ns.valid() && i < levels; ++i) {
    ns = sys::UniqueFd(::ioctl(ns.get(), NS_GET_PARENT));
  }
  struct stat st {};
  return ns.valid() && ::fstat(ns.get(), &st) == 0 && NamespaceId{st.st_dev, st.st_ino} == target;
}

// The names in `dir` but "." and "..", and only the all-digit ones with `numeric`; nullopt
// when `dir` cannot be opened.
std::optional<std::vector<std::string>> list_dir(const std::string& dir, bool numeric) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(d)) {
    const std::string name = entry->d_name;
    if (name.empty() || name == "." || name == "..") {
      continue;
    }
    if (!numeric || name.find_first_not_of("0123456789") == std::string::npos) {
      names.push_back(name);
    }
  }
  ::closedir(d);
  return names;
}

// As list_dir, empty when `dir` cannot be opened.
std::vector<std::string> entries_of(const std::string& dir, bool numeric = false) {
  return list_dir(dir, numeric).value_or(std::vector<std::string>{});
}

std::vector<std::string> numeric_entries(const std::string& dir) {
  return entries_of(dir, true);
}

double uptime_seconds(const std::string& proc_root) {
  // "12345.67 54321.00": the first number. (strtod, not a stream: no iostreams on musl.)
  const std::string text = proc::read_text_file(proc_root + "/uptime");
  return std::strtod(text.c_str(), nullptr);
}

std::string file_name_of_link(const std::string& link) {
  std::array<char, 4096> target{};
  const ssize_t n = ::readlink(link.c_str(), target.data(), target.size() - 1);
  if (n <= 0) {
    return "";
  }
  std::string path(target.data(), static_cast<std::size_t>(n));
  if (path.ends_with(" (deleted)")) {
    path.resize(path.size() - 10);
  }
  return path.substr(path.rfind('/') + 1);
}

// What the signalfds of the process in `process_dir` ask for, together: each one's "sigmask:"
// in /proc/PID/fdinfo (the kernel prints the set it reads, as /proc/PID/status prints masks).
// nullopt when its descriptors cannot be listed or a signalfd's set cannot be read: then
// nobody can say whether a blocked signal is read.
std::optional<std::uint64_t> signalfd_mask_of(const std::string& process_dir) {
  constexpr std::size_t kMostDescriptors = 1U << 16;  // bounded: a diagnostic, not a scan
  const auto fds = list_dir(process_dir + "/fd", true);
  if (!fds || fds->size() > kMostDescriptors) {
    return std::nullopt;
  }
  std::uint64_t mask = 0;
  for (const auto& fd : *fds) {
    std::array<char, 64> target{};
    const std::string link = process_dir + "/fd/" + fd;
    const ssize_t n = ::readlink(link.c_str(), target.data(), target.size() - 1);
    if (n <= 0 ||
        std::string_view(target.data(), static_cast<std::size_t>(n)) != "anon_inode:[signalfd]") {
      continue;  // not a signalfd, or closed meanwhile
    }
    // "sigmask:\t0000000000004002": read as /proc/PID/status's masks are.
    const std::string info = proc::read_text_file(process_dir + "/fdinfo/" + fd);
    const auto at = info.find("sigmask:");
    if (at == std::string::npos) {
      return std::nullopt;
    }
    const std::string_view rest = std::string_view(info).substr(at + 8);
    const auto set = proc::parse_signal_mask(rest.substr(0, rest.find('\n')));
    if (!set) {
      return std::nullopt;
    }
    mask |= *set;
  }
  return mask;
}

// The sigset a thread waits on, from its memory: /proc/.../mem needs the same permission as
// /proc/.../syscall, which gave the address.
std::optional<std::uint64_t> read_wait_set(const std::string& task_dir, const SyscallState& call) {
  if (call.args[3] != sizeof(std::uint64_t)) {
    return std::nullopt;  // the kernel accepts no other size on x86_64 and aarch64
  }
  sys::UniqueFd mem(::open((task_dir + "/mem").c_str(), O_RDONLY | O_CLOEXEC));
  std::uint64_t set = 0;
  const auto address = static_cast<off_t>(call.args[0]);
  if (!mem.valid() || address <= 0) {
    return std::nullopt;
  }
  const ssize_t n =
      sys::retry_on_eintr([&] { return ::pread(mem.get(), &set, sizeof(set), address); });
  if (n != static_cast<ssize_t>(sizeof(set))) {
    return std::nullopt;
  }
  return set & ~kUncatchable;  // the kernel takes SIGKILL and SIGSTOP out of any wait
}

// One read of a thread; `settled` says whether its system call was the same before and after.
Thread read_thread_once(const std::string& task_dir, std::size_t depth) {
  Thread thread;
  const std::string before = proc::read_text_file(task_dir + "/syscall");
  auto status = proc::parse_status(proc::read_text_file(task_dir + "/status"));
  thread.wchan = proc::read_text_file(task_dir + "/wchan");
  thread.syscall = parse_syscall(before);
  std::optional<std::uint64_t> set;
  if (is_sigtimedwait(thread.syscall, native_arch())) {
    set = read_wait_set(task_dir, thread.syscall);
  }
  const std::string after = proc::read_text_file(task_dir + "/syscall");
  thread.settled = before == after;
  if (status) {
    thread.tid = depth < status->nspid.size() ? status->nspid[depth] : status->pid;
    thread.state = status->state;
    thread.sig_blk = status->sig_blk;
    thread.sig_pnd = status->sig_pnd;
  } else {
    thread.settled = false;
  }
  const bool in_sigtimedwait = is_sigtimedwait(thread.syscall, native_arch()) ||
                               (thread.syscall.kind == SyscallState::Kind::kUnknown &&
                                thread.wchan.find("sigtimedwait") != std::string::npos);
  if (!in_sigtimedwait) {
    return thread;
  }
  // While it waits the kernel unblocks the whole set: a "waited for" signal that SigBlk still
  // shows blocked means the memory no longer holds the set the wait began with (or the masks
  // were read between two waits). Then the set is not trusted.
  if (set && (*set & thread.sig_blk) == 0) {
    thread.wait = SigWait::kKnownSet;
    thread.wait_set = *set;
  } else {
    thread.wait = SigWait::kUnknownSet;
    thread.settled = thread.settled && !set;
  }
  return thread;
}

// A process of the namespace: where to read it, and its PID inside.
struct Member {
  std::string dir;
  pid_t pid = 0;
  // From the host: its NSpid when it was found a member. Read again with the rest, it must be
  // the same, or the PID was reused (perhaps by another namespace's process) in between.
  std::vector<pid_t> nspid;
};

// Reads the processes `members`, numbering parents as inside (0 for a parent outside).

void read_processes(Snapshot& snapshot, const std::vector<Member>& members,
                    const std::map<pid_t, pid_t>& inside_pid_of) {
  const double up = uptime_seconds(snapshot.proc_root);
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (const auto& member : members) {
    auto stat = proc::parse_stat(proc::read_text_file(member.dir + "/stat"));
    auto status = proc::parse_status(proc::read_text_file(member.dir + "/status"));
    if (!stat || !status) {
      continue;  // gone while we read, or unreadable: skipped
    }
    if (!member.nspid.empty() && status->nspid != member.nspid) {
      continue;  // not the process found a member: gone, and its PID reused
    }
    Process process{std::move(*stat), std::move(*status),
                    proc::read_text_file(member.dir + "/wchan"), 0, member.dir};
    const auto parent = inside_pid_of.find(process.stat.ppid);
    const pid_t ppid = parent != inside_pid_of.end() ? parent->second : 0;
    process.stat.pid = member.pid;
    process.status.pid = member.pid;
    process.stat.ppid = ppid;
    process.status.ppid = ppid;
    process.age_seconds = std::max(0.0, up - static_cast<double>(process.stat.start_time) / ticks);
    snapshot.processes.push_back(std::move(process));
  }
  std::sort(snapshot.processes.begin(), snapshot.processes.end(),
            [](const Process& a, const Process& b) { return a.stat.pid < b.stat.pid; });
}

void read_init_details(Snapshot& snapshot, std::size_t depth) {
  const Process* init = snapshot.init();
  snapshot.init_exe = file_name_of_link(init->dir + "/exe");
  snapshot.init_signalfd = signalfd_mask_of(init->dir);
  const std::string tasks = init->dir + "/task";
  const std::string main_tid = init->dir.substr(init->dir.rfind('/') + 1);
  for (const auto& tid : numeric_entries(tasks)) {
    std::string task_dir = tasks;
    task_dir += '/';
    task_dir += tid;
    Thread thread = read_thread(task_dir, depth);
    if (tid == main_tid) {
      snapshot.init_threads.insert(snapshot.init_threads.begin(), std::move(thread));
    } else {
      snapshot.init_threads.push_back(std::move(thread));
    }
  }
  std::sort(snapshot.init_threads.begin() + (snapshot.init_threads.empty() ? 0 : 1),
            snapshot.init_threads.end(),
            [](const Thread& a, const Thread& b) { return a.tid < b.tid; });
}

void read_pids_capacity(Snapshot& snapshot) {
  const Process* init = snapshot.init();
  const std::string pid_text = init->dir.substr(init->dir.rfind('/') + 1);
  const auto host_view_pid = static_cast<pid_t>(std::stol(pid_text));
  if (auto counters =
          proc::read_pids_counters(proc::pids_cgroup_of(host_view_pid, snapshot.proc_root))) {
    snapshot.pids =
        PidsCapacity{counters->cgroup, counters->current, counters->max, counters->events_max};
  }
}

// What pidone with --services publishes: "pid=12 state=up ready=1 starts=3" per service. A
// file is only a claim: its pid must be a live child of PID 1 to be shown as running.
void read_services(Snapshot& snapshot) {
  const Process* init = snapshot.init();
  const std::string dir = init->dir + "/root/run/pidone/1/services";
  for (const auto& name : entries_of(dir)) {
    if (name.ends_with(".new")) {
      continue;
    }
    ServiceStatus service;
    service.name = text::printable(name);
    service.state = "?";
    const std::string text = proc::read_text_file(dir + "/" + name);
    std::size_t at = 0;
    while (at < text.size()) {
      const auto end = text.find_first_of(" \n", at);
      const std::string_view field(text.data() + at,
                                   (end == std::string::npos ? text.size() : end) - at);
      at = end == std::string::npos ? text.size() : end + 1;
      const auto eq = field.find('=');
      if (eq == std::string_view::npos) {
        continue;
      }
      const std::string_view key = field.substr(0, eq);
      const std::string_view value = field.substr(eq + 1);
      int number = 0;
      const bool numeric =
          std::from_chars(value.data(), value.data() + value.size(), number).ec == std::errc();
      if (key == "pid" && numeric) {
        service.pid = number;
      } else if (key == "starts" && numeric) {
        service.starts = number;
      } else if (key == "ready") {
        service.ready = value == "1";
      } else if (key == "state") {
        for (const char* known : {"up", "down", "finishing", "restarting", "failed", "stopped"}) {
          if (value == known) {
            service.state = known;
          }
        }
      }
    }
    const Process* run = service.pid > 0 ? snapshot.find(service.pid) : nullptr;
    service.running = run != nullptr && run->stat.ppid == 1 && run->stat.state != 'Z';
    snapshot.services.push_back(std::move(service));
  }
  std::sort(snapshot.services.begin(), snapshot.services.end(),
            [](const ServiceStatus& a, const ServiceStatus& b) { return a.name < b.name; });
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

Thread read_thread(const std::string& task_dir, std::size_t depth) {
  Thread thread;
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    thread = read_thread_once(task_dir, depth);
    if (thread.settled) {
      break;
    }
  }
  return thread;
}

std::expected<Snapshot, std::string> snapshot_own_namespace() {
  if (!proc::proc_matches_own_namespace("/proc")) {
    return std::unexpected(
        "/proc does not belong to this PID namespace (mount one, or use --pid from the host)");
  }
  Snapshot snapshot;
  snapshot.proc_root = "/proc";
  snapshot.self = ::getpid();
  if (auto own = namespace_of_file("/proc/self/ns/pid"); own && own->ino == kInitialPidNamespace) {
    snapshot.init_host_pid = 1;  // the host's own namespace: its PID 1 is the host's
  }
  std::vector<Member> members;
  std::map<pid_t, pid_t> same;
  for (const auto& name : numeric_entries("/proc")) {
    const auto pid = static_cast<pid_t>(std::stol(name));
    members.push_back({"/proc/" + name, pid, {}});
    same[pid] = pid;
  }
  read_processes(snapshot, members, same);
  if (snapshot.init() == nullptr) {
    return std::unexpected("/proc lists no PID 1");
  }
  read_init_details(snapshot, 0);
  read_pids_capacity(snapshot);
  read_services(snapshot);
  return snapshot;
}

std::expected<Snapshot, std::string> snapshot_namespace_of(pid_t host_pid) {
  // The host's /proc is the one source trusted: a container's own /proc (reachable through
  // /proc/PID/root/proc) may be missing, or be another namespace's, or not be a /proc at all.
  if (!proc::proc_matches_own_namespace("/proc")) {
    return std::unexpected("/proc does not belong to this PID namespace: run on the host");
  }
  const std::string target_dir = "/proc/" + std::to_string(host_pid);
  const auto target = namespace_of_file(target_dir + "/ns/pid");
  auto target_status = proc::parse_status(proc::read_text_file(target_dir + "/status"));
  if (!target || !target_status || target_status->nspid.empty()) {
    return std::unexpected("no process " + std::to_string(host_pid) + " (or no permission)");
  }
  // NSpid lists a process's PID in each namespace from this /proc's down to its own; the
  // target namespace is `depth` levels below ours.
  const std::size_t depth = target_status->nspid.size() - 1;
  std::vector<Member> members;
  std::map<pid_t, pid_t> inside_pid_of;  // host PID -> PID inside
  for (const auto& name : numeric_entries("/proc")) {
    const std::string dir = "/proc/" + name;
    auto status = proc::parse_status(proc::read_text_file(dir + "/status"));
    if (!status || status->nspid.size() <= depth) {
      continue;  // gone, or in a namespace above the target's
    }
    // Our own namespace holds every process this /proc shows; below it, a namespace at the
    // target's level may be the target's sibling, so each is checked.
    const std::size_t below = status->nspid.size() - 1 - depth;
    const bool member = depth == 0 || (below == 0 ? namespace_of_file(dir + "/ns/pid") == target
                                                  : namespace_within(dir, below, *target));
    if (member) {
      members.push_back({dir, status->nspid[depth], status->nspid});
      inside_pid_of[status->pid] = status->nspid[depth];
    }
  }
  Snapshot snapshot;
  snapshot.proc_root = "/proc";
  if (const auto self = inside_pid_of.find(::getpid()); self != inside_pid_of.end()) {
    snapshot.self = self->second;
  }
  read_processes(snapshot, members, inside_pid_of);
  const Process* init = snapshot.init();
  if (init == nullptr) {
    return std::unexpected("no PID 1 found in the PID namespace of " + std::to_string(host_pid));
  }
  snapshot.init_host_pid = init->status.nspid.empty() ? 0 : init->status.nspid.front();
  read_init_details(snapshot, depth);
  read_pids_capacity(snapshot);
  read_services(snapshot);
  return snapshot;
}

}  // namespace pidone::inspect

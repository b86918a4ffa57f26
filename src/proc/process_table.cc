#include "proc/process_table.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "sys/retry.h"
#include "sys/unique_fd.h"

namespace pidone::proc {
namespace {

// /proc/PID/stat is under 1 KiB unless the command is pathological; 4 KiB covers it.
bool read_small_file(const std::string& path, std::string& out) {
  sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return false;
  }
  std::array<char, 4096> buffer;
  const ssize_t n =
      sys::retry_on_eintr([&] { return ::read(fd.get(), buffer.data(), buffer.size()); });
  if (n <= 0) {
    return false;
  }
  out.assign(buffer.data(), static_cast<std::size_t>(n));
  return true;
}

bool is_pid_name(const char* name) {
  if (*name == '\0') {
    return false;
  }
  for (const char* c = name; *c != '\0'; ++c) {
    if (*c < '0' || *c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::expected<ProcStat, std::string> read_stat(pid_t pid, const std::string& proc_root) {
  std::string text;
  if (!read_small_file(proc_root + "/" + std::to_string(pid) + "/stat", text)) {
    return std::unexpected("unreadable");
  }
  return parse_stat(text);
}

std::vector<ProcStat> scan_processes(const std::string& proc_root) {
  std::vector<ProcStat> table;
  DIR* dir = ::opendir(proc_root.c_str());
  if (dir == nullptr) {
    return table;
  }
  std::string text;
  while (const dirent* entry = ::readdir(dir)) {
    if (!is_pid_name(entry->d_name)) {
      continue;
    }
    if (!read_small_file(proc_root + "/" + entry->d_name + "/stat", text)) {
      continue;  // exited while we looked
    }
    if (auto stat = parse_stat(text)) {
      table.push_back(std::move(*stat));
    }
  }
  ::closedir(dir);
  return table;
}

std::vector<ProcStat> descendants_of(const std::vector<ProcStat>& table, pid_t ancestor) {
  // Processes sorted by parent: the children of P are one equal_range away.
  std::vector<const ProcStat*> by_parent;
  by_parent.reserve(table.size());
  for (const auto& process : table) {
    by_parent.push_back(&process);
  }
  const auto parent_less = [](const ProcStat* a, const ProcStat* b) { return a->ppid < b->ppid; };
  std::sort(by_parent.begin(), by_parent.end(), parent_less);

  std::vector<ProcStat> found;
  std::vector<pid_t> frontier{ancestor};
  // Each step adds one process, so a malformed table (a cycle through duplicated PIDs) stops
  // once every entry could have been listed.
  while (!frontier.empty() && found.size() < table.size()) {
    ProcStat key;
    key.ppid = frontier.back();
    frontier.pop_back();
    const auto [first, last] =
        std::equal_range(by_parent.begin(), by_parent.end(), &key, parent_less);
    for (auto it = first; it != last && found.size() < table.size(); ++it) {
      if ((*it)->pid == ancestor || (*it)->pid == (*it)->ppid) {
        continue;
      }
      found.push_back(**it);
      frontier.push_back((*it)->pid);
    }
  }
  return found;
}

bool proc_matches_own_namespace(const std::string& proc_root) {
  std::array<char, 32> target{};
  const ssize_t n = ::readlink((proc_root + "/self").c_str(), target.data(), target.size() - 1);
  if (n <= 0) {
    return false;
  }
  pid_t pid = 0;
  const auto [ptr, ec] = std::from_chars(target.data(), target.data() + n, pid);
  return ec == std::errc() && ptr == target.data() + n && pid == ::getpid();
}

}  // namespace pidone::proc

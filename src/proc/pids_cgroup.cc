#include "proc/pids_cgroup.h"

#include <sys/stat.h>

#include <charconv>

#include "proc/text_file.h"

namespace pidone::proc {
namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string_view first_line(std::string_view text) {
  const auto newline = text.find('\n');
  return newline == std::string_view::npos ? text : text.substr(0, newline);
}

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::expected<std::int64_t, std::string> parse_pids_max(std::string_view text) {
  text = first_line(text);
  if (text == "max") {
    return -1;
  }
  if (auto value = to_int(text)) {
    return *value;
  }
  return std::unexpected("bad pids.max '" + std::string(text) + "'");
}

std::expected<std::int64_t, std::string> parse_pids_events(std::string_view text) {
  while (!text.empty()) {
    const std::string_view line = first_line(text);
    if (line.starts_with("max ")) {
      if (auto value = to_int(line.substr(4))) {
        return *value;
      }
      return std::unexpected("bad pids.events line '" + std::string(line) + "'");
    }
    text.remove_prefix(std::min(text.size(), line.size() + 1));
  }
  return std::unexpected("no 'max' line in pids.events");
}

std::string pids_cgroup_of(pid_t pid, const std::string& proc_root) {
  const std::string text = read_text_file(proc_root + "/" + std::to_string(pid) + "/cgroup");
  std::string v2;
  for (std::string_view rest = text; !rest.empty();) {
    const std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    const auto v1 = line.find(":pids:");
    if (v1 != std::string::npos) {
      const std::string path = "/sys/fs/cgroup/pids" + std::string(line.substr(v1 + 6));
      // A container sees its own subtree mounted at the hierarchy's root.
      return exists(path + "/pids.current") ? path : "/sys/fs/cgroup/pids";
    }
    if (line.starts_with("0::")) {
      v2 = "/sys/fs/cgroup" + std::string(line.substr(3));
      if (!exists(v2 + "/pids.current")) {
        v2 = exists("/sys/fs/cgroup/pids.current") ? "/sys/fs/cgroup" : "";
      }
    }
  }
  return v2;
}

std::optional<PidsCounters> read_pids_counters(const std::string& cgroup) {
  if (cgroup.empty() || !exists(cgroup + "/pids.current")) {
    return std::nullopt;
  }
  PidsCounters counters;
  counters.cgroup = cgroup;
  if (auto current = to_int(first_line(read_text_file(cgroup + "/pids.current")))) {
    counters.current = *current;
  }
  if (auto max = parse_pids_max(read_text_file(cgroup + "/pids.max"))) {
    counters.max = *max;
  }
  if (auto events = parse_pids_events(read_text_file(cgroup + "/pids.events"))) {
    counters.events_max = *events;
  }
  return counters;
}

}  // namespace pidone::proc

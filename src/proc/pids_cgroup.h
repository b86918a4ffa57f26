// Reading a process's pids cgroup, v1 (the pids controller's hierarchy) or v2 (unified).
// Read only.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace pidone::proc {

struct PidsCounters {
  std::string cgroup;  // the folder read
  std::int64_t current = -1;
  std::int64_t max = -1;         // -1: "max", no limit
  std::int64_t events_max = -1;  // forks refused at the limit (pids.events "max N"); -1: unknown
};

// The pids cgroup folder of `pid` (read from PROC_ROOT/PID/cgroup), or "" when there is none.
// Inside a container whose cgroup tree is mounted at its own root, the mount's root is used.
[[nodiscard]] std::string pids_cgroup_of(pid_t pid, const std::string& proc_root = "/proc");

// pids.current, pids.max and pids.events of a folder; nullopt when pids.current is missing.
[[nodiscard]] std::optional<PidsCounters> read_pids_counters(const std::string& cgroup);

// Pure parsers: "max" -> -1, "20" -> 20; "max 3" line of pids.events -> 3.
[[nodiscard]] std::expected<std::int64_t, std::string> parse_pids_max(std::string_view text);
[[nodiscard]] std::expected<std::int64_t, std::string> parse_pids_events(std::string_view text);

}  // namespace pidone::proc

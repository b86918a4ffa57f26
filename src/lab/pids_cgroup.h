// PidsCgroup: a throwaway pids cgroup with a low pids.max, removed when it goes out of scope.
// cgroup v1 (/sys/fs/cgroup/pids) when the machine has it, else cgroup v2 (a child of the
// root with the pids controller enabled).
#pragma once

#include <sys/types.h>

#include <expected>
#include <string>

namespace pidone::lab {

class PidsCgroup {
 public:
  // Error: a one-line reason (no pids controller, no permission).
  static std::expected<PidsCgroup, std::string> create(int max);
  PidsCgroup(PidsCgroup&& other) noexcept;
  PidsCgroup& operator=(PidsCgroup&&) = delete;
  ~PidsCgroup();

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string procs_file() const { return path_ + "/cgroup.procs"; }
  // "20/20" (pids.current/pids.max)
  [[nodiscard]] std::string usage() const;

 private:
  explicit PidsCgroup(std::string path) : path_(std::move(path)) {}
  std::string path_;  // empty once moved from
};

// "pids.current/pids.max" of a cgroup folder ("20/20", "3/max").
[[nodiscard]] std::string pids_usage_at(const std::string& cgroup);

}  // namespace pidone::lab

#include "lab/pids_cgroup.h"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "proc/pids_cgroup.h"

namespace pidone::lab {
namespace {

bool write_file(const std::string& path, const std::string& value) {
  std::ofstream out(path);
  out << value;
  out.flush();
  return static_cast<bool>(out);
}

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::expected<PidsCgroup, std::string> PidsCgroup::create(int max) {
  const std::string name = "pidone-lab-" + std::to_string(::getpid());
  std::string path;
  if (exists("/sys/fs/cgroup/pids/cgroup.procs")) {
    path = "/sys/fs/cgroup/pids/" + name;  // cgroup v1
  } else if (read_line("/sys/fs/cgroup/cgroup.controllers").find("pids") != std::string::npos) {
    // cgroup v2: enable the controller for the root's children (harmless if already on).
    (void)write_file("/sys/fs/cgroup/cgroup.subtree_control", "+pids");
    path = "/sys/fs/cgroup/" + name;
  } else {
    return std::unexpected("no pids cgroup controller on this machine (v1 or v2)");
  }
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return std::unexpected("mkdir " + path + ": " + std::strerror(errno) + " (needs root)");
  }
  PidsCgroup cgroup(path);
  if (!write_file(path + "/pids.max", std::to_string(max))) {
    return std::unexpected("cannot write " + path + "/pids.max");
  }
  return cgroup;
}

PidsCgroup::PidsCgroup(PidsCgroup&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

PidsCgroup::~PidsCgroup() {
  if (path_.empty()) {
    return;
  }
  // rmdir succeeds once the last process has left; the caller has ended them, but the kernel
  // may still be tearing them down: retry for up to 5 s.
  for (int attempt = 0; attempt < 500; ++attempt) {
    if (::rmdir(path_.c_str()) == 0 || errno == ENOENT) {
      return;
    }
    pollfd none{-1, 0, 0};
    (void)::poll(&none, 0, 10);
  }
}

std::string PidsCgroup::usage() const {
  return pids_usage_at(path_);
}

std::string pids_usage_at(const std::string& cgroup) {
  const auto counters = proc::read_pids_counters(cgroup);
  if (!counters) {
    return "";
  }
  return std::to_string(counters->current) + "/" +
         (counters->max < 0 ? std::string("max") : std::to_string(counters->max));
}

}  // namespace pidone::lab

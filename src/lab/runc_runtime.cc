#include "lab/runc_runtime.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lab/pids_cgroup.h"
#include "lab/rootfs.h"
#include "nsrun/launch.h"
#include "proc/pids_cgroup.h"
#include "proc/process_table.h"
#include "proc/text_file.h"
#include "text/json.h"

namespace fs = std::filesystem;

namespace pidone::lab {
namespace {

using text::json_list;
using text::json_string;

// An OCI runtime config: the container's own PID, mount, IPC and UTS namespaces, a read-only
// rootfs, /proc, and Docker's default capabilities.
std::string oci_config(const Workload& workload, const std::string& rootfs,
                       const std::string& cgroup) {
  const std::string caps =
      json_list({"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                 "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                 "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"});
  std::string resources;
  if (workload.pids_limit) {
    resources =
        ", \"resources\": {\"pids\": {\"limit\": " + std::to_string(*workload.pids_limit) + "}}";
  }
  return "{\n"
         "  \"ociVersion\": \"1.0.2\",\n"
         "  \"process\": {\n"
         "    \"terminal\": false, \"user\": {\"uid\": 0, \"gid\": 0},\n"
         "    \"args\": " +
         json_list(workload.argv) +
         ",\n"
         "    \"env\": [\"PATH=/bin:/lab\", \"TERM=xterm\"], \"cwd\": \"/\",\n"
         "    \"capabilities\": {\"bounding\": " +
         caps + ", \"effective\": " + caps + ", \"permitted\": " + caps +
         "},\n"
         "    \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}],\n"
         "    \"noNewPrivileges\": true\n"
         "  },\n"
         "  \"root\": {\"path\": " +
         json_string(rootfs) +
         ", \"readonly\": true},\n"
         "  \"hostname\": \"pidone-lab\",\n"
         "  \"mounts\": [\n"
         "    {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},\n"
         "    {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
         "     \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},\n"
         "    {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}\n"
         "  ],\n"
         "  \"linux\": {\n"
         "    \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"mount\"}, {\"type\": \"ipc\"},\n"
         "                   {\"type\": \"uts\"}],\n"
         "    \"cgroupsPath\": " +
         json_string(cgroup) + resources +
         "\n"
         "  }\n"
         "}\n";
}

class RuncContainer : public Container {
 public:
  RuncContainer(std::string id, std::string bundle, nsrun::Launched runc, pid_t pid,
                std::vector<std::string>* log)
      : Container(log),
        id_(std::move(id)),
        bundle_(std::move(bundle)),
        runc_(std::move(runc)),
        pid_(pid) {
    pids_cgroup_ = proc::pids_cgroup_of(pid_);  // found now: it is gone with the container
  }
  ~RuncContainer() override { RuncContainer::stop(); }  // no virtual dispatch here

  [[nodiscard]] pid_t host_pid() const override { return pid_; }
  nsrun::LineReader& out() override { return runc_.out(); }

  CommandResult exec(const std::vector<std::string>& argv, Clock::duration timeout) override {
    return recorded_exec({"runc", "exec", id_}, argv, timeout);
  }

  void kill_from_outside(int sig) override {
    if (!running()) {
      return;
    }
    const std::vector<std::string> command = {"runc", "kill", id_, short_signal_name(sig)};
    record(join_command(command) + "   # from the host, as docker kill / docker stop");
    (void)run_command(command, 10s);
  }

  [[nodiscard]] bool running() const override { return !exit_code_.has_value(); }

  std::optional<int> exit_within(Clock::duration timeout) override {
    const auto deadline = Clock::now() + timeout;
    while (!exit_code_) {
      int status = 0;
      const pid_t rc = ::waitpid(pid_, &status, WNOHANG);
      if (rc == pid_) {
        exit_code_ = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
      } else if (rc < 0) {
        exit_code_ = -1;  // not our child after all: gone, status unknown
      } else if (Clock::now() >= deadline) {
        return std::nullopt;
      } else {
        pollfd none{-1, 0, 0};
        (void)::poll(&none, 0, 10);
      }
    }
    return exit_code_;
  }

  int stop() override {
    if (!stopped_) {
      stopped_ = true;
      if (!exit_code_) {
        (void)run_command({"runc", "kill", id_, "KILL"}, 10s);
        (void)exit_within(10s);
      }
      (void)run_command({"runc", "delete", "-f", id_}, 10s);
      std::error_code ignored;
      fs::remove_all(bundle_, ignored);
    }
    return exit_code_.value_or(-1);
  }

  [[nodiscard]] std::string pids_usage() const override {
    return pids_cgroup_.empty() ? "" : pids_usage_at(pids_cgroup_);
  }

 private:
  std::string id_;
  std::string bundle_;
  nsrun::Launched runc_;  // `runc run -d`, exited; its pipe is the container's stdout
  pid_t pid_;
  std::string pids_cgroup_;
  std::optional<int> exit_code_;
  bool stopped_ = false;
};

}  // namespace

std::expected<std::unique_ptr<RuncRuntime>, std::string> RuncRuntime::create(
    std::string programs, const std::string& pidone, const std::string& tini) {
  if (run_command({"runc", "--version"}, 10s).exit_code != 0) {
    return std::unexpected("runc is not installed (apt-get install runc)");
  }
  if (::access("/bin/busybox", X_OK) != 0) {
    return std::unexpected("busybox is not installed (apt-get install busybox-static)");
  }
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    return std::unexpected("cannot become a child subreaper");
  }
  const std::string base = "/tmp/pidone-lab-runc-" + std::to_string(::getpid());
  std::unique_ptr<RuncRuntime> runtime(new RuncRuntime(std::move(programs), base));
  if (auto built = runtime->build_rootfs(pidone, tini); !built) {
    return std::unexpected(built.error());
  }
  return runtime;
}

std::expected<std::unique_ptr<Container>, std::string> RuncRuntime::start(
    const Workload& workload, std::vector<std::string>* log) {
  const std::string id = next_name();
  const std::string bundle = base() + "/" + id;
  std::error_code error;
  fs::create_directories(bundle, error);
  {
    std::ofstream config(bundle + "/config.json");
    config << oci_config(workload, base() + "/rootfs", "/pidone-lab/" + id);
  }
  nsrun::LaunchSpec spec;
  spec.pid_namespace = false;
  spec.merge_stderr = true;
  spec.argv = {"/usr/bin/env",  "runc", "run",  "-d", "--pid-file",
               bundle + "/pid", "-b",   bundle, id};
  if (log != nullptr) {
    std::string limit =
        workload.pids_limit ? ", pids.limit " + std::to_string(*workload.pids_limit) : "";
    log->push_back("runc run -d -b BUNDLE " + id + "   # config.json: args " +
                   json_list(workload.argv) + limit);
  }
  auto runc = nsrun::Launched::start(spec);
  if (!runc) {
    return std::unexpected("runc: " + runc.error());
  }
  const auto code = runc->wait_exit(30s);
  const std::string pid_text = proc::read_text_file(bundle + "/pid");
  if (code != 0 || pid_text.empty()) {
    (void)run_command({"runc", "delete", "-f", id}, 10s);
    return std::unexpected("runc run failed (exit " + std::to_string(code.value_or(-1)) +
                           "): " + runc->out().read_rest(1s));
  }
  const auto pid = static_cast<pid_t>(std::stol(pid_text));
  return std::make_unique<RuncContainer>(id, bundle, std::move(*runc), pid, log);
}

}  // namespace pidone::lab

#include "lab/podman_runtime.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "lab/pids_cgroup.h"
#include "lab/rootfs.h"
#include "nsrun/launch.h"
#include "proc/pids_cgroup.h"
#include "text/json.h"

namespace fs = std::filesystem;

namespace pidone::lab {
namespace {

using text::json_list;
using text::json_string;

// A long-running helper command (`podman logs -f`, `podman wait`), its output read as lines.
std::optional<nsrun::Launched> follow(const std::vector<std::string>& argv) {
  nsrun::LaunchSpec spec;
  spec.pid_namespace = false;
  spec.merge_stderr = true;
  spec.argv = {"/usr/bin/env"};
  spec.argv.insert(spec.argv.end(), argv.begin(), argv.end());
  auto launched = nsrun::Launched::start(spec);
  if (!launched) {
    return std::nullopt;
  }
  return std::move(*launched);
}

class PodmanContainer : public Container {
 public:
  PodmanContainer(std::vector<std::string> cli, std::string name, pid_t pid, nsrun::Launched logs,
                  nsrun::Launched waiter, std::vector<std::string>* log)
      : Container(log),
        cli_(std::move(cli)),
        name_(std::move(name)),
        pid_(pid),
        logs_(std::move(logs)),
        waiter_(std::move(waiter)),
        pids_cgroup_(proc::pids_cgroup_of(pid)) {}
  ~PodmanContainer() override { PodmanContainer::stop(); }  // no virtual dispatch here

  [[nodiscard]] pid_t host_pid() const override { return pid_; }
  nsrun::LineReader& out() override { return logs_.out(); }

  CommandResult exec(const std::vector<std::string>& argv, Clock::duration timeout) override {
    return recorded_exec(with_cli({"exec", name_}), argv, timeout);
  }

  void kill_from_outside(int sig) override {
    if (!running()) {
      return;
    }
    const auto command = with_cli({"kill", "--signal", short_signal_name(sig), name_});
    record(join_command(command) + (sig == SIGTERM ? "   # what `stop` sends first" : ""));
    (void)run_command(command, 20s);
  }

  [[nodiscard]] bool running() const override { return !exit_code_.has_value(); }

  std::optional<int> exit_within(Clock::duration timeout) override {
    if (!exit_code_) {
      // `podman wait` prints the exit code when the container has exited.
      if (auto line = waiter_.out().next_line(Clock::now() + timeout)) {
        exit_code_ = std::atoi(line->c_str());
      } else {
        return std::nullopt;
      }
    }
    return exit_code_;
  }

  int stop() override {
    if (!stopped_) {
      stopped_ = true;
      if (!exit_code_) {
        (void)run_command(with_cli({"kill", "--signal", "KILL", name_}), 20s);
        (void)exit_within(20s);
      }
      (void)run_command(with_cli({"rm", "-f", name_}), 30s);
    }
    return exit_code_.value_or(-1);
  }

  [[nodiscard]] std::string pids_usage() const override {
    return pids_cgroup_.empty() ? "" : pids_usage_at(pids_cgroup_);
  }

 private:
  [[nodiscard]] std::vector<std::string> with_cli(std::vector<std::string> args) const {
    std::vector<std::string> command = cli_;
    command.insert(command.end(), args.begin(), args.end());
    return command;
  }

  std::vector<std::string> cli_;  // "podman --runtime runc" or "docker"
  std::string name_;
  pid_t pid_;
  nsrun::Launched logs_;    // podman logs -f
  nsrun::Launched waiter_;  // podman wait
  std::string pids_cgroup_;
  std::optional<int> exit_code_;
  bool stopped_ = false;
};

}  // namespace

std::vector<std::string> PodmanRuntime::command(std::vector<std::string> args) const {
  std::vector<std::string> full = {cli_};
  if (cli_ == "podman") {
    full.insert(full.end(), {"--runtime", "runc"});
  }
  full.insert(full.end(), args.begin(), args.end());
  return full;
}

std::expected<std::unique_ptr<PodmanRuntime>, std::string> PodmanRuntime::create(
    const std::string& cli, std::string programs, const std::string& pidone,
    const std::string& tini) {
  const std::string base = "/tmp/pidone-lab-" + cli + "-" + std::to_string(::getpid());
  std::unique_ptr<PodmanRuntime> runtime(new PodmanRuntime(cli, std::move(programs), base));
  const CommandResult version = run_command(runtime->command({"version"}), 30s);
  if (version.exit_code != 0) {
    return std::unexpected(cli + " is not usable here (`" + cli + " version` failed" +
                           (cli == "docker" ? ": no docker engine?" : "") + ")");
  }
  if (auto built = runtime->build_rootfs(pidone, tini); !built) {
    return std::unexpected(built.error());
  }
  {
    // The seed's `make image`, for all its experiments at once.
    std::ofstream containerfile(base + "/Containerfile");
    containerfile << "FROM scratch\nCOPY rootfs/ /\nCMD [\"/lab/c-init-nosig\"]\n";
  }
  runtime->image_ = "localhost/pidone-lab:" + std::to_string(::getpid());
  const CommandResult build = run_command(
      runtime->command({"build", "-q", "-t", runtime->image_, "-f", base + "/Containerfile", base}),
      300s);
  if (build.exit_code != 0) {
    return std::unexpected(cli + " build failed: " + build.output);
  }
  return runtime;
}

PodmanRuntime::~PodmanRuntime() {
  if (!image_.empty()) {
    (void)run_command(command({"rmi", "-f", image_}), 60s);
  }
}

std::expected<std::unique_ptr<Container>, std::string> PodmanRuntime::start(
    const Workload& workload, std::vector<std::string>* log) {
  const std::string name = next_name();
  std::vector<std::string> run =
      command({"run", "-d", "--name", name, "--network", "none", "--ulimit", "nofile=1024:1024",
               "--ulimit", "nproc=4096:4096"});
  if (workload.pids_limit) {
    run.insert(run.end(), {"--pids-limit", std::to_string(*workload.pids_limit)});
  }
  run.push_back(image_);
  run.insert(run.end(), workload.argv.begin(), workload.argv.end());
  if (log != nullptr) {
    log->push_back(join_command(run));
  }
  const CommandResult started = run_command(run, 60s);
  if (started.exit_code != 0) {
    (void)run_command(command({"rm", "-f", name}), 30s);
    return std::unexpected(cli_ + " run failed: " + started.output);
  }
  const CommandResult inspect =
      run_command(command({"inspect", "--format", "{{.State.Pid}}", name}), 30s);
  const pid_t pid = static_cast<pid_t>(std::atol(inspect.output.c_str()));
  auto logs = follow(command({"logs", "-f", name}));
  auto waiter = follow(command({"wait", name}));
  if (pid <= 0 || !logs || !waiter) {
    (void)run_command(command({"rm", "-f", name}), 30s);
    return std::unexpected(cli_ + ": cannot follow container " + name);
  }
  return std::make_unique<PodmanContainer>(command({}), name, pid, std::move(*logs),
                                           std::move(*waiter), log);
}

}  // namespace pidone::lab

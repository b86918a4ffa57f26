#include "lab/namespace_runtime.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "lab/pids_cgroup.h"
#include "nsrun/launch.h"
#include "proc/process_table.h"

namespace pidone::lab {
namespace {

class NamespaceContainer : public Container {
 public:
  NamespaceContainer(nsrun::Launched launched, std::optional<PidsCgroup> cgroup,
                     std::vector<std::string>* log)
      : Container(log), launched_(std::move(launched)), cgroup_(std::move(cgroup)) {}
  ~NamespaceContainer() override { NamespaceContainer::stop(); }  // no virtual dispatch here

  [[nodiscard]] pid_t host_pid() const override { return launched_.pid(); }
  nsrun::LineReader& out() override { return launched_.out(); }

  CommandResult exec(const std::vector<std::string>& argv, Clock::duration timeout) override {
    if (!running() || !is_pid1_of_another_namespace(host_pid())) {
      return CommandResult{-1, "not entered: the target is not PID 1 of a new namespace"};
    }
    std::vector<std::string> command = {"nsenter", "-t", std::to_string(host_pid()), "-p", "-m"};
    command.insert(command.end(), argv.begin(), argv.end());
    if (cgroup_) {
      // As `docker exec`: the new process joins the container's cgroup, then forks into it.
      command = {"/bin/sh", "-c",
                 "echo $$ > " + cgroup_->procs_file() + " && exec " + join_command(command)};
    }
    record(join_command(command));
    return run_command(command, timeout);
  }

  void kill_from_outside(int sig) override {
    if (!running()) {
      return;
    }
    record("kill -" + short_signal_name(sig) + " " + std::to_string(host_pid()) +
           "   # from the parent namespace");
    ::kill(host_pid(), sig);
  }

  [[nodiscard]] bool running() const override { return !exit_code_.has_value(); }

  std::optional<int> exit_within(Clock::duration timeout) override {
    if (exit_code_) {
      return exit_code_;
    }
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      auto stat = proc::read_stat(host_pid());
      if (!stat || stat->state == 'Z') {
        exit_code_ = launched_.wait_exit(5s);
        return exit_code_;
      }
      pollfd none{-1, 0, 0};
      (void)::poll(&none, 0, 10);
    }
    return std::nullopt;
  }

  int stop() override {
    if (!exit_code_) {
      // wait_exit with no time left SIGKILLs PID 1 (ending the namespace), then reaps it.
      exit_code_ = launched_.wait_exit(0s).value_or(128 + SIGKILL);
    }
    cgroup_.reset();  // removes the cgroup once its processes are gone
    return *exit_code_;
  }

  [[nodiscard]] std::string pids_usage() const override { return cgroup_ ? cgroup_->usage() : ""; }

 private:
  nsrun::Launched launched_;
  std::optional<PidsCgroup> cgroup_;
  std::optional<int> exit_code_;
};

}  // namespace

NamespaceRuntime::NamespaceRuntime(std::string programs, std::string pidone, std::string tini)
    : programs_(std::move(programs)), pidone_(std::move(pidone)), tini_(std::move(tini)) {}

std::string NamespaceRuntime::program(const std::string& name) const {
  return programs_ + "/" + name;
}

bool NamespaceRuntime::has_program(const std::string& name) const {
  return ::access(program(name).c_str(), X_OK) == 0;
}

std::expected<std::unique_ptr<Container>, std::string> NamespaceRuntime::start(
    const Workload& workload, std::vector<std::string>* log) {
  std::optional<PidsCgroup> cgroup;
  nsrun::LaunchSpec spec;
  spec.argv = workload.argv;
  std::string note;
  if (workload.pids_limit) {
    auto made = PidsCgroup::create(*workload.pids_limit);
    if (!made) {
      return std::unexpected(made.error());
    }
    cgroup.emplace(std::move(*made));
    spec.cgroup_procs = cgroup->procs_file();
    if (log != nullptr) {
      log->push_back("mkdir " + cgroup->path() + "; echo " + std::to_string(*workload.pids_limit) +
                     " > " + cgroup->path() + "/pids.max");
    }
    note = "   # in the cgroup " + cgroup->path();
  }
  if (log != nullptr) {
    log->push_back("unshare --pid --fork --mount-proc " + join_command(spec.argv) + note);
  }
  auto launched = nsrun::Launched::start(spec);
  if (!launched) {
    return std::unexpected(launched.error());
  }
  return std::make_unique<NamespaceContainer>(std::move(*launched), std::move(cgroup), log);
}

}  // namespace pidone::lab

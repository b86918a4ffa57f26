// The podman (or docker) runtime: the seed's own workflow. An image FROM scratch with the
// lab's rootfs is built (`podman build`, as the seed's `make image`), and each subject is
// `podman run -d`, `podman exec`, `podman kill` / `stop`, `podman rm`. The container's output
// comes from `podman logs -f`, its exit status from `podman wait`.
//
// podman runs with `--runtime runc` (crun fails on hybrid cgroup layouts) and ulimits no
// higher than the host's. docker takes the same commands where an engine runs.
#pragma once

#include "lab/rootfs.h"

namespace pidone::lab {

class PodmanRuntime : public RootfsRuntime {
 public:
  // `cli`: "podman" or "docker". Error: a one-line reason (not installed, no engine, the image
  // would not build).
  static std::expected<std::unique_ptr<PodmanRuntime>, std::string> create(
      const std::string& cli, std::string programs, const std::string& pidone,
      const std::string& tini);
  ~PodmanRuntime() override;

  [[nodiscard]] const char* name() const override { return cli_.c_str(); }
  std::expected<std::unique_ptr<Container>, std::string> start(
      const Workload& workload, std::vector<std::string>* log) override;

 private:
  PodmanRuntime(std::string cli, std::string programs, std::string base)
      : RootfsRuntime(std::move(programs), std::move(base)), cli_(std::move(cli)) {}
  // The CLI and its global options: `podman --runtime runc`, or `docker`.
  [[nodiscard]] std::vector<std::string> command(std::vector<std::string> args) const;

  std::string cli_;
  std::string image_;  // localhost/pidone-lab:PID
};

}  // namespace pidone::lab

// The runc runtime: each subject runs in an OCI bundle with runc, the runtime under docker
// (`runc run -d`, `runc exec`, `runc kill`, `runc delete`). The rootfs holds busybox (sh, ps,
// kill), bash with its libraries, the lab programs in /lab, pidone and tini.
//
// The lab makes itself a child subreaper: when `runc run -d` exits, the container's init is
// reparented to the lab, which can then wait for it and read its exact exit status, as
// containerd's shim does.
#pragma once

#include "lab/container.h"

namespace pidone::lab {

class RuncRuntime : public Runtime {
 public:
  // Error: a one-line reason (runc or busybox missing, the rootfs could not be built).
  static std::expected<std::unique_ptr<RuncRuntime>, std::string> create(std::string programs,
                                                                         std::string pidone,
                                                                         std::string tini);
  ~RuncRuntime() override;

  [[nodiscard]] const char* name() const override { return "runc"; }
  std::expected<std::unique_ptr<Container>, std::string> start(
      const Workload& workload, std::vector<std::string>* log) override;
  [[nodiscard]] std::string program(const std::string& name) const override {
    return "/lab/" + name;
  }
  [[nodiscard]] std::string pidone() const override { return "/pidone"; }
  [[nodiscard]] std::string tini() const override { return has_tini_ ? "/tini" : ""; }
  [[nodiscard]] bool has_program(const std::string& name) const override;
  [[nodiscard]] std::string host_program(const std::string& name) const override {
    return programs_ + "/" + name;
  }

 private:
  RuncRuntime(std::string programs, std::string base)
      : programs_(std::move(programs)), base_(std::move(base)) {}

  std::string programs_;  // lab programs on the host
  std::string base_;      // scratch folder: rootfs/ and one bundle per container
  bool has_tini_ = false;
  int started_ = 0;
};

}  // namespace pidone::lab

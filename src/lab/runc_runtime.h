// The runc runtime: each subject runs in an OCI bundle with runc, the runtime under docker
// (`runc run -d`, `runc exec`, `runc kill`, `runc delete`). The rootfs holds busybox (sh, ps,
// kill), bash with its libraries, the lab programs in /lab, pidone and tini.
//
// The lab makes itself a child subreaper: when `runc run -d` exits, the container's init is
// reparented to the lab, which can then wait for it and read its exact exit status, as
// containerd's shim does.
#pragma once

#include "lab/rootfs.h"

namespace pidone::lab {

class RuncRuntime : public RootfsRuntime {
 public:
  // Error: a one-line reason (runc or busybox missing, the rootfs could not be built).
  static std::expected<std::unique_ptr<RuncRuntime>, std::string> create(std::string programs,
                                                                         const std::string& pidone,
                                                                         const std::string& tini);
  [[nodiscard]] const char* name() const override { return "runc"; }
  std::expected<std::unique_ptr<Container>, std::string> start(
      const Workload& workload, std::vector<std::string>* log) override;

 private:
  RuncRuntime(std::string programs, std::string base)
      : RootfsRuntime(std::move(programs), std::move(base)) {}
};

}  // namespace pidone::lab

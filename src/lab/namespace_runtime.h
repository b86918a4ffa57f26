// The default runtime: PID namespaces made directly (clone, as util-linux unshare
// --pid --fork --mount-proc; the lab is PID 1's parent, so it reads PID 1's exact exit status),
// and util-linux nsenter for every step inside.
#pragma once

#include "lab/container.h"

namespace pidone::lab {

class NamespaceRuntime : public Runtime {
 public:
  // `programs`: the folder of lab programs; `pidone`, `tini`: paths ("" for no tini).
  NamespaceRuntime(std::string programs, std::string pidone, std::string tini);

  [[nodiscard]] const char* name() const override { return "namespaces"; }
  std::expected<std::unique_ptr<Container>, std::string> start(
      const Workload& workload, std::vector<std::string>* log) override;
  [[nodiscard]] std::string program(const std::string& name) const override;
  [[nodiscard]] std::string pidone() const override { return pidone_; }
  [[nodiscard]] std::string tini() const override { return tini_; }
  [[nodiscard]] bool has_program(const std::string& name) const override;
  [[nodiscard]] std::string host_program(const std::string& name) const override {
    return program(name);
  }

 private:
  std::string programs_;
  std::string pidone_;
  std::string tini_;
};

}  // namespace pidone::lab

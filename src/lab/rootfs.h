// The root filesystem the OCI runtimes (runc, podman) run the lab in: busybox (sh, ps, kill),
// bash with its libraries, the lab programs in /lab, pidone at /pidone and tini at /tini.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

#include "lab/container.h"

namespace pidone::lab {

struct Rootfs {
  bool has_tini = false;
};

// Builds it at `path` (created). Error: a one-line reason.
std::expected<Rootfs, std::string> build_rootfs(const std::string& path,
                                                const std::string& programs,
                                                const std::string& pidone, const std::string& tini);

// A runtime whose containers run that rootfs (runc, podman): the programs are at /lab, pidone
// at /pidone and tini at /tini. Its scratch folder holds rootfs/ and goes with it.
class RootfsRuntime : public Runtime {
 public:
  ~RootfsRuntime() override;

  [[nodiscard]] std::string program(const std::string& name) const override {
    return "/lab/" + name;
  }
  [[nodiscard]] std::string pidone() const override { return "/pidone"; }
  [[nodiscard]] std::string tini() const override { return has_tini_ ? "/tini" : ""; }
  [[nodiscard]] bool has_program(const std::string& name) const override;
  [[nodiscard]] std::string host_program(const std::string& name) const override {
    return programs_ + "/" + name;
  }

 protected:
  RootfsRuntime(std::string programs, std::string base)
      : programs_(std::move(programs)), base_(std::move(base)) {}
  // Builds base/rootfs. Error: a one-line reason.
  std::expected<void, std::string> build_rootfs(const std::string& pidone, const std::string& tini);
  // A fresh container name: pidone-lab-PID-N.
  std::string next_name();
  [[nodiscard]] const std::string& base() const { return base_; }

 private:
  std::string programs_;  // lab programs on the host
  std::string base_;      // the scratch folder
  bool has_tini_ = false;
  int started_ = 0;
};

}  // namespace pidone::lab

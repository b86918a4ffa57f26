// The root filesystem the OCI runtimes (runc, podman) run the lab in: busybox (sh, ps, kill),
// bash with its libraries, the lab programs in /lab, pidone at /pidone and tini at /tini.
#pragma once

#include <expected>
#include <string>
#include <vector>

namespace pidone::lab {

struct Rootfs {
  bool has_tini = false;
};

// Builds it at `path` (created). Error: a one-line reason.
std::expected<Rootfs, std::string> build_rootfs(const std::string& path,
                                                const std::string& programs,
                                                const std::string& pidone, const std::string& tini);

}  // namespace pidone::lab

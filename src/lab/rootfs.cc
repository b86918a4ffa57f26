#include "lab/rootfs.h"

#include <unistd.h>

#include <filesystem>
#include <regex>
#include <vector>

#include "lab/container.h"
#include "lab/report.h"

namespace fs = std::filesystem;

namespace pidone::lab {
namespace {

// Copies a host binary into the rootfs at `dest`, with the shared libraries ldd lists (at the
// same paths), so a dynamically linked program runs there too.
bool copy_with_libraries(const std::string& source, const fs::path& rootfs,
                         const std::string& dest) {
  std::error_code error;
  fs::create_directories((rootfs / dest.substr(1)).parent_path(), error);
  fs::copy_file(source, rootfs / dest.substr(1), fs::copy_options::overwrite_existing, error);
  if (error) {
    return false;
  }
  const CommandResult ldd = run_command({"ldd", source}, 10s);
  static const std::regex library(R"((/[^ \t\n]+) \(0x)");
  for (std::sregex_iterator it(ldd.output.begin(), ldd.output.end(), library), end; it != end;
       ++it) {
    const std::string lib = (*it)[1].str();
    fs::create_directories((rootfs / lib.substr(1)).parent_path(), error);
    fs::copy_file(fs::canonical(lib, error), rootfs / lib.substr(1),
                  fs::copy_options::skip_existing, error);
  }
  return true;
}

}  // namespace

std::expected<Rootfs, std::string> build_rootfs(const std::string& path,
                                                const std::string& programs,
                                                const std::string& pidone,
                                                const std::string& tini) {
  const fs::path rootfs(path);
  std::error_code error;
  for (const char* dir : {"bin", "lab", "proc", "dev", "tmp", "sys", "etc"}) {
    fs::create_directories(rootfs / dir, error);
  }
  if (error) {
    return std::unexpected("cannot create " + rootfs.string() + ": " + error.message());
  }
  bool ok = copy_with_libraries("/bin/busybox", rootfs, "/bin/busybox");
  for (const char* applet : {"sh", "ps", "kill", "sleep", "true", "cat", "echo", "ls"}) {
    fs::create_symlink("busybox", rootfs / "bin" / applet, error);
  }
  ok = ok && copy_with_libraries("/bin/bash", rootfs, "/bin/bash");
  for (const auto& entry : fs::directory_iterator(programs, error)) {
    if (entry.is_regular_file() && ::access(entry.path().c_str(), X_OK) == 0) {
      ok = ok &&
           copy_with_libraries(entry.path(), rootfs, "/lab/" + entry.path().filename().string());
    }
  }
  ok = ok && copy_with_libraries(pidone, rootfs, "/pidone");
  if (!ok) {
    return std::unexpected("cannot copy the programs into " + rootfs.string());
  }
  Rootfs result;
  result.has_tini = !tini.empty() && copy_with_libraries(tini, rootfs, "/tini");
  return result;
}

RootfsRuntime::~RootfsRuntime() {
  std::error_code ignored;
  fs::remove_all(base_, ignored);
}

bool RootfsRuntime::has_program(const std::string& name) const {
  return fs::exists(fs::path(base_) / "rootfs/lab" / name);
}

std::expected<void, std::string> RootfsRuntime::build_rootfs(const std::string& pidone,
                                                             const std::string& tini) {
  auto built = lab::build_rootfs(base_ + "/rootfs", programs_, pidone, tini);
  if (!built) {
    return std::unexpected(built.error());
  }
  has_tini_ = built->has_tini;
  return {};
}

std::string RootfsRuntime::next_name() {
  return "pidone-lab-" + std::to_string(::getpid()) + "-" + std::to_string(++started_);
}

}  // namespace pidone::lab

// pidone-inspect: explains a live container's PID 1, zombies and pids limit. Read only.
//   pidone-inspect [--pid HOSTPID] [--json] [--all]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "inspect/analysis.h"
#include "inspect/snapshot.h"
#include "sys/exit_codes.h"
#include "text/printable.h"

namespace {

constexpr int kExitWarnings = 1;
using pidone::sys::kExitUsage;

void usage(FILE* to) {
  std::fputs(
      "Usage: pidone-inspect [--pid HOSTPID] [--json] [--all]\n"
      "\n"
      "Explains the PID namespace of a container: which signals PID 1 will receive from\n"
      "inside (docker exec ... kill) and from outside (docker kill), which processes are\n"
      "zombies and who must reap them, and how close the pids cgroup is to its limit.\n"
      "\n"
      "  --pid HOSTPID  from the host: the namespace of this process (any of the container's)\n"
      "                 (default: this process's own namespace, run inside the container)\n"
      "  --json         the same as one JSON document (docs/inspect.md)\n"
      "  --all          add a table of every process with its signal masks\n"
      "  -h, --help     show this help and exit\n"
      "  -V, --version  show the version and exit\n"
      "\n"
      "Exit status: 0 no problem found, 1 warnings, 2 usage error or nothing to inspect.\n"
      "It only reads /proc and the cgroup files: it signals, writes and enters nothing.\n",
      to);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pidone::inspect;
  bool json = false;
  bool all = false;
  long pid = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      usage(stdout);
      return 0;
    } else if (arg == "-V" || arg == "--version") {
      std::printf("pidone-inspect %s\n", PIDONE_VERSION);
      return 0;
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--all") {
      all = true;
    } else if (arg == "--pid" || arg.starts_with("--pid=")) {
      std::string value;
      if (arg == "--pid") {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "pidone-inspect: --pid needs a value (see --help)\n");
          return kExitUsage;
        }
        value = argv[++i];
      } else {
        value = arg.substr(6);
      }
      char* end = nullptr;
      pid = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || pid <= 0 || pid > 4194304) {
        std::fprintf(stderr, "pidone-inspect: invalid --pid '%s': a process ID (see --help)\n",
                     pidone::text::printable(value).c_str());
        return kExitUsage;
      }
    } else {
      std::fprintf(stderr, "pidone-inspect: unknown option '%s' (see --help)\n",
                   pidone::text::printable(arg).c_str());
      return kExitUsage;
    }
  }
  auto snapshot =
      pid > 0 ? snapshot_namespace_of(static_cast<pid_t>(pid)) : snapshot_own_namespace();
  if (!snapshot) {
    std::fprintf(stderr, "pidone-inspect: %s\n", snapshot.error().c_str());
    return kExitUsage;
  }
  const Analysis analysis = analyze(*snapshot);
  const std::string text =
      json ? render_json(analysis, *snapshot, all) : render_text(analysis, *snapshot, all);
  std::fputs(text.c_str(), stdout);
  return analysis.warnings() > 0 ? kExitWarnings : 0;
}

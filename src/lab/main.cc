// pidone-lab: the seed's experiments, run in real PID namespaces.
//   pidone-lab [--json] [--runtime namespaces|runc|podman|docker] [--programs DIR] [--pidone PATH]
//              [--zombies N] SCENARIO... | all
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "lab/namespace_runtime.h"
#include "lab/podman_runtime.h"
#include "lab/runc_runtime.h"
#include "lab/scenarios.h"
#include "nsrun/launch.h"
#include "sys/exit_codes.h"

namespace {

using pidone::sys::kExitUsage;

std::string self_dir() {
  char path[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) {
    return ".";
  }
  std::string dir(path, static_cast<std::size_t>(n));
  return dir.substr(0, dir.rfind('/'));
}

bool executable(const std::string& path) {
  return ::access(path.c_str(), X_OK) == 0;
}

// Installed: DIR/bin/pidone-lab with DIR/libexec/pidone-lab/*; in the build tree: build/lab/.
std::string find_programs() {
  const std::string dir = self_dir();
  for (const std::string& candidate : {dir + "/../libexec/pidone-lab", dir + "/lab", dir}) {
    if (executable(candidate + "/c-init-nosig")) {
      char resolved[PATH_MAX];
      return ::realpath(candidate.c_str(), resolved) != nullptr ? resolved : candidate;
    }
  }
  return dir + "/lab";
}

std::string find_pidone() {
  const std::string dir = self_dir();
  for (const std::string& candidate : {dir + "/pidone", dir + "/../pidone"}) {
    if (executable(candidate)) {
      char resolved[PATH_MAX];
      return ::realpath(candidate.c_str(), resolved) != nullptr ? resolved : candidate;
    }
  }
  return "pidone";
}

void usage(FILE* to) {
  std::fprintf(to,
               "Usage: pidone-lab [--json] [--runtime namespaces|runc|podman|docker]\n"
               "                  [--programs DIR] [--pidone PATH] [--zombies N]\n"
               "                  SCENARIO... | all\n\n"
               "Scenarios:\n");
  for (const auto& s : pidone::lab::scenarios()) {
    std::fprintf(to, "  %-14s %s\n", s.name, s.title);
  }
  std::fprintf(to,
               "\nEach runs the seed's programs as PID 1 of real PID namespaces (needs root),\n"
               "beside pidone, and checks what happened against what the seed says.\n"
               "Runtimes: namespaces (default; unshare/nsenter), runc (an OCI bundle with\n"
               "busybox, the runtime under docker), podman or docker (an image FROM scratch;\n"
               "run -d, exec, kill, rm, as the seed does).\n"
               "Exit status: 0 all passed, 1 a scenario failed, 2 usage error.\n");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pidone::lab;
  LabConfig config;
  std::string programs;
  std::string pidone;
  std::string runtime_name = "namespaces";
  bool json = false;
  std::vector<const Scenario*> chosen;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "pidone-lab: %s needs a value (see --help)\n", name);
        std::exit(kExitUsage);
      }
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      usage(stdout);
      return 0;
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--programs") {
      programs = value("--programs");
    } else if (arg == "--pidone") {
      pidone = value("--pidone");
    } else if (arg == "--runtime") {
      runtime_name = value("--runtime");
      if (runtime_name != "namespaces" && runtime_name != "runc" && runtime_name != "podman" &&
          runtime_name != "docker") {
        std::fprintf(stderr,
                     "pidone-lab: unknown runtime '%s': namespaces, runc, podman or docker\n",
                     runtime_name.c_str());
        return kExitUsage;
      }
    } else if (arg == "--zombies") {
      config.zombies = std::atoi(value("--zombies"));
      if (config.zombies < 1 || config.zombies > 100000) {
        std::fprintf(stderr, "pidone-lab: --zombies takes 1 to 100000 (see --help)\n");
        return kExitUsage;
      }
    } else if (arg == "all") {
      for (const auto& s : scenarios()) {
        chosen.push_back(&s);
      }
    } else {
      const Scenario* found = nullptr;
      for (const auto& s : scenarios()) {
        if (arg == s.name) {
          found = &s;
        }
      }
      if (found == nullptr) {
        std::fprintf(stderr, "pidone-lab: unknown scenario or option '%s' (see --help)\n",
                     arg.c_str());
        return kExitUsage;
      }
      chosen.push_back(found);
    }
  }
  if (chosen.empty()) {
    std::fprintf(stderr, "pidone-lab: no scenario given (see --help)\n");
    return kExitUsage;
  }
  if (auto reason = pidone::nsrun::pid_namespace_unavailable()) {
    std::fprintf(stderr, "pidone-lab: %s\n", reason->c_str());
    return 1;
  }
  if (programs.empty()) {
    programs = find_programs();
  }
  if (pidone.empty()) {
    pidone = find_pidone();
  }
  const std::string tini = executable("/usr/bin/tini") ? "/usr/bin/tini" : "";
  if (!executable(programs + "/c-init-nosig")) {
    std::fprintf(stderr, "pidone-lab: no lab programs in %s (use --programs DIR)\n",
                 programs.c_str());
    return kExitUsage;
  }
  std::unique_ptr<Runtime> runtime;
  if (runtime_name == "runc") {
    auto made = RuncRuntime::create(programs, pidone, tini);
    if (!made) {
      std::fprintf(stderr, "pidone-lab: runc runtime: %s\n", made.error().c_str());
      return 1;
    }
    runtime = std::move(*made);
  } else if (runtime_name == "podman" || runtime_name == "docker") {
    auto made = PodmanRuntime::create(runtime_name, programs, pidone, tini);
    if (!made) {
      std::fprintf(stderr, "pidone-lab: %s runtime: %s\n", runtime_name.c_str(),
                   made.error().c_str());
      return 1;
    }
    runtime = std::move(*made);
  } else {
    runtime = std::make_unique<NamespaceRuntime>(programs, pidone, tini);
  }
  config.runtime = runtime.get();

  std::vector<ScenarioResult> results;
  bool all_passed = true;
  for (const Scenario* s : chosen) {
    results.push_back(s->run(config));
    const ScenarioResult& r = results.back();
    all_passed = all_passed && (r.passed() || !r.skipped.empty());
    if (!json) {
      std::fputs(render_text(r).c_str(), stdout);
      std::fflush(stdout);
    }
  }
  if (json) {
    std::fputs(render_json(results).c_str(), stdout);
  } else {
    std::printf("%s\n", all_passed ? "all scenarios behaved as the seed says"
                                   : "some scenarios did not behave as the seed says");
  }
  return all_passed ? 0 : 1;
}

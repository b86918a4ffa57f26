#include "inspect/known_inits.h"

#include <array>
#include <string_view>

namespace pidone::inspect {
namespace {

struct Entry {
  std::string_view comm;
  InitKind kind;
  std::string_view note;
};

constexpr std::array<Entry, 16> kInits = {{
    {"pidone", InitKind::kForwardingInit,
     "forwards every signal, reaps every zombie and drains the rest with SIGTERM on exit"},
    {"tini", InitKind::kForwardingInit,
     "forwards signals and reaps; exits as soon as its child exits (the rest are SIGKILLed) "
     "and wakes once a second"},
    {"docker-init", InitKind::kForwardingInit,
     "Docker's --init (tini): forwards signals and reaps; the rest are SIGKILLed on exit"},
    {"dumb-init", InitKind::kForwardingInit,
     "forwards signals (to the child's process group by default) and reaps"},
    {"catatonit", InitKind::kForwardingInit,
     "podman's --init: forwards signals and reaps; the rest are SIGKILLed on exit"},
    {"s6-svscan", InitKind::kSupervisor, "s6's supervision tree root: handles signals, reaps"},
    {"runsvdir", InitKind::kSupervisor, "runit's supervision root: reaps its services"},
    {"systemd", InitKind::kSupervisor, "a full init system: handles signals and reaps"},
    {"supervisord", InitKind::kSupervisor,
     "Python's supervisor: reaps, but SIGTERM stops it only if it is configured to"},
    {"bash", InitKind::kShell, ""},
    {"sh", InitKind::kShell, ""},
    {"dash", InitKind::kShell, ""},
    {"ash", InitKind::kShell, ""},
    {"zsh", InitKind::kShell, ""},
    {"busybox", InitKind::kShell, ""},
    {"ksh", InitKind::kShell, ""},
}};

constexpr std::string_view kShellNote =
    "a shell forwards no signal to its children, reaps orphans only while it waits for a job, "
    "and without a trap ignores `kill 1`";

}  // namespace

KnownInit identify_init(const std::string& comm) {
  for (const auto& entry : kInits) {
    if (comm == entry.comm) {
      KnownInit init;
      init.kind = entry.kind;
      init.label = entry.kind == InitKind::kShell ? "a shell (" + comm + ")" : comm;
      init.note = std::string(entry.kind == InitKind::kShell ? kShellNote : entry.note);
      return init;
    }
  }
  KnownInit init;
  init.label = "an application (" + comm + ")";
  init.note =
      "an application as PID 1 gets only the signals it has handlers for, and reaps orphans "
      "only if it calls wait() for children it did not start";
  return init;
}

}  // namespace pidone::inspect

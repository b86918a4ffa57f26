#include "inspect/known_inits.h"

#include <array>
#include <string_view>

namespace pidone::inspect {
namespace {

struct Entry {
  std::string_view name;
  InitKind kind;
  std::string_view note;
  ShellReaping reaping = ShellReaping::kNotAShell;
};

constexpr std::string_view kTiniNote =
    "forwards signals and reaps; exits as soon as its child exits (the rest are SIGKILLed) and "
    "wakes once a second";

constexpr std::array<Entry, 20> kKnown = {{
    {"pidone", InitKind::kForwardingInit,
     "forwards every signal, reaps every zombie and drains the rest with SIGTERM on exit"},
    {"tini", InitKind::kForwardingInit, kTiniNote},
    {"tini-static", InitKind::kForwardingInit, kTiniNote},
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
    {"bash", InitKind::kShell, "bash reaps orphans from its SIGCHLD handler, whenever one exits",
     ShellReaping::kFromItsHandler},
    {"dash", InitKind::kShell,
     "dash reaps orphans only while it waits for a job (a foreground command, or `wait`)",
     ShellReaping::kWhileWaitingOnly},
    {"busybox", InitKind::kShell,
     "busybox sh reaps orphans only while it waits for a job (a foreground command, or `wait`)",
     ShellReaping::kWhileWaitingOnly},
    {"ash", InitKind::kShell,
     "ash reaps orphans only while it waits for a job (a foreground command, or `wait`)",
     ShellReaping::kWhileWaitingOnly},
    {"sh", InitKind::kShell, "a shell reaps orphans at least while it waits for a job",
     ShellReaping::kNotMeasured},
    {"zsh", InitKind::kShell, "a shell reaps orphans at least while it waits for a job",
     ShellReaping::kNotMeasured},
    {"ksh", InitKind::kShell, "a shell reaps orphans at least while it waits for a job",
     ShellReaping::kNotMeasured},
    {"mksh", InitKind::kShell, "a shell reaps orphans at least while it waits for a job",
     ShellReaping::kNotMeasured},
    {"ksh93", InitKind::kShell, "a shell reaps orphans at least while it waits for a job",
     ShellReaping::kNotMeasured},
    {"fish", InitKind::kShell, "a shell reaps orphans at least while it waits for a job",
     ShellReaping::kNotMeasured},
}};

constexpr std::string_view kShellSignals =
    "a shell forwards no signal to its children and without a trap ignores `kill 1`; ";

const Entry* find(std::string_view name) {
  for (const auto& entry : kKnown) {
    if (entry.name == name) {
      return &entry;
    }
  }
  return nullptr;
}

}  // namespace

KnownInit identify_init(const std::string& comm, const std::string& exe_name) {
  const Entry* by_comm = find(comm);
  const Entry* by_exe = exe_name == comm ? nullptr : find(exe_name);
  // A drop-in: the file run is a known init or shell under another known name (pidone as
  // tini, dash as sh). The file is the better witness of the two.
  const Entry* entry = by_comm;
  if (by_comm != nullptr && by_exe != nullptr && by_exe->kind == by_comm->kind) {
    entry = by_exe;
  }
  KnownInit init;
  if (entry == nullptr) {
    init.label = "an application";
    init.note =
        "an application as PID 1 gets only the signals it has handlers for, and reaps orphans "
        "only if it calls wait() for children it did not start";
    return init;
  }
  init.kind = entry->kind;
  init.name = std::string(entry->name);
  init.reaping = entry->reaping;
  const std::string as = entry == by_comm ? "" : " as " + comm;
  if (entry->kind == InitKind::kShell) {
    init.label = "a shell (" + init.name + as + ")";
    init.note = std::string(kShellSignals) + std::string(entry->note);
  } else {
    init.label = init.name + as;
    init.note = std::string(entry->note);
  }
  return init;
}

}  // namespace pidone::inspect

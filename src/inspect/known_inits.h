// What pidone-inspect knows about the programs commonly found as PID 1.
#pragma once

#include <string>

namespace pidone::inspect {

enum class InitKind {
  kForwardingInit,  // forwards signals and reaps: pidone, tini, dumb-init, catatonit, ...
  kSupervisor,      // a service supervisor: s6-svscan, runit, systemd, supervisord
  kShell,           // a shell: no forwarding, reaps only while it waits for a job
  kUnknown,         // an application as PID 1
};

struct KnownInit {
  InitKind kind = InitKind::kUnknown;
  std::string label;  // "pidone", "tini", "a shell (bash)", "an application (nginx)"
  std::string note;   // what it means for signals, zombies and stop
};

[[nodiscard]] KnownInit identify_init(const std::string& comm);

}  // namespace pidone::inspect

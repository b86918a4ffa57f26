// What pidone-inspect knows about the programs commonly found as PID 1, by name. A name is
// only a claim (any program can be called "tini"): the analysis checks it against the kernel's
// facts before it repeats it, and the verdicts never rest on it.
#pragma once

#include <string>

namespace pidone::inspect {

enum class InitKind {
  kForwardingInit,  // forwards signals and reaps: pidone, tini, dumb-init, catatonit, ...
  kSupervisor,      // a service supervisor: s6-svscan, runit, systemd, supervisord
  kShell,           // a shell: no forwarding; reaps at least while it waits for a job
  kUnknown,         // an application as PID 1
};

// When a shell reaps children it did not start (orphans handed to it as PID 1), as measured
// with each as PID 1 (tests/integration/inspect_test.cc, Inspect.ShellAsPid1*).
enum class ShellReaping {
  kNotAShell,
  kFromItsHandler,    // bash: its SIGCHLD handler calls waitpid(-1) whenever a child exits
  kWhileWaitingOnly,  // dash, busybox sh: only while it waits for a job (the handler notes it)
  kNotMeasured,       // zsh, ksh, or "sh" that could be any of them
};

struct KnownInit {
  InitKind kind = InitKind::kUnknown;
  std::string name;   // the name it is known by: its command, or its executable's for a drop-in
  std::string label;  // "pidone", "tini", "pidone as tini", "a shell (bash)", "an application"
  std::string note;   // what it means for signals, zombies and stop
  ShellReaping reaping = ShellReaping::kNotAShell;
};

// `comm` is the command name (/proc/PID/stat); `exe_name` the file name of /proc/PID/exe, ""
// when unreadable. A drop-in (pidone installed as tini) has the original's comm and pidone's
// exe; `sh` is dash or busybox or bash by its exe.
[[nodiscard]] KnownInit identify_init(const std::string& comm, const std::string& exe_name = "");

}  // namespace pidone::inspect

// The drop-in personalities. One binary answers to pidone, tini, docker-init, dumb-init and
// catatonit, taking the command line, environment and conventions of the name it is run as
// (argv[0]), while keeping pidone's behaviour underneath (no idle wakeups, the drain, a clean
// child). docs/compat.md lists every difference from the originals.
//
// Under every name the options start from the PIDONE_* variables (cli.h); the original's own
// options and variables are read as the original reads them, with its messages and its exit
// code for a usage error (1), and overlay them. A bad PIDONE_* value that nothing replaced is a
// usage error under every name: one line, in the original's error format under its name.
#pragma once

#include <span>
#include <string>

#include "pidone/cli.h"

namespace pidone {

// By the basename of argv[0]: tini, tini-static and docker-init are tini.
[[nodiscard]] Personality personality_from_argv0(const char* argv0);

// What main does with a command line.
struct Invocation {
  enum class Kind { kRun, kPrint, kUsageError } kind = Kind::kRun;
  Options options;   // kRun
  std::string text;  // kPrint: help, version or license; kUsageError: the message
  bool to_stderr = false;
  int exit_code = 0;  // kPrint and kUsageError
};

// Parses `args` (argv without argv[0]) as `personality` would. `argv0` is argv[0] as given
// (nullptr when argc is 0): the originals print it verbatim in some messages.
[[nodiscard]] Invocation parse_invocation(Personality personality, const char* argv0,
                                          std::span<const char* const> args, const EnvLookup& env);

}  // namespace pidone

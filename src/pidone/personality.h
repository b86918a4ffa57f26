// The drop-in personalities. One binary answers to pidone, tini, docker-init, dumb-init and
// catatonit, taking the command line, environment and conventions of the name it is run as
// (argv[0]), while keeping pidone's behaviour underneath (no idle wakeups, the drain, a clean
// child). docs/compat.md lists every difference from the originals.
#pragma once

#include <expected>
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

// Parses `args` (argv without argv[0]) as `personality` would.
[[nodiscard]] Invocation parse_invocation(Personality personality,
                                          std::span<const char* const> args, const EnvLookup& env);

}  // namespace pidone

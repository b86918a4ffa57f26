// pidone (or tini, docker-init, dumb-init, catatonit, by argv[0]): parse, start, run.
// Everything else lives in the library the tests link.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <span>

#include "pidone/log.h"
#include "pidone/personality.h"
#include "pidone/supervisor.h"

int main(int argc, char** argv) {
  using namespace pidone;
  // A usage message to a closed stderr must not end pidone by SIGPIPE. (The child's
  // dispositions are reset to the default before it runs.)
  (void)::signal(SIGPIPE, SIG_IGN);  // cannot fail for a valid signal
  const std::span<const char* const> args(const_cast<const char* const*>(argv) + 1,
                                          static_cast<std::size_t>(argc > 0 ? argc - 1 : 0));
  const char* argv0 = argc > 0 ? argv[0] : nullptr;
  Invocation invocation =
      parse_invocation(personality_from_argv0(argv0), argv0, args, process_environment());
  if (invocation.kind != Invocation::Kind::kRun) {
    (void)std::fputs(invocation.text.c_str(), invocation.to_stderr ? stderr : stdout);
    return invocation.exit_code;
  }
  const char* prefix = "pidone";
  switch (invocation.options.personality) {
    case Personality::kTini:
      prefix = "tini";
      break;
    case Personality::kDumbInit:
      prefix = "dumb-init";
      break;
    case Personality::kCatatonit:
      prefix = "catatonit";
      break;
    case Personality::kPidone:
      break;
  }
  const Log log(invocation.options.verbosity, prefix);
  Supervisor supervisor(std::move(invocation.options), log);
  if (auto started = supervisor.start(); !started) {
    return started.error();
  }
  return supervisor.run();
}

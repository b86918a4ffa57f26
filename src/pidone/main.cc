// pidone (or tini, docker-init, dumb-init, catatonit, by argv[0]): parse, start, run.
// Everything else lives in the library the tests link.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <span>

#include "pidone/log.h"
#include "pidone/personality.h"
#include "pidone/supervisor.h"
#include "sys/signal_set.h"

int main(int argc, char** argv) {
  using namespace pidone;
  // First, before anything changes it: the signal state the caller gave us, which the child
  // gets too (nohup pidone -- cmd leaves cmd immune to SIGHUP).
  const auto inherited = sys::inherited_signals();
  // A usage message to a closed stderr must not end pidone by SIGPIPE: blocked, it stays
  // pending and harmless (the supervisor blocks it anyway).
  if (inherited) {
    (void)sys::set_signal_mask(sys::SignalSet(inherited->blocked).add(SIGPIPE));
  }
  const std::span<const char* const> args(const_cast<const char* const*>(argv) + 1,
                                          static_cast<std::size_t>(argc > 0 ? argc - 1 : 0));
  const char* argv0 = argc > 0 ? argv[0] : nullptr;
  Invocation invocation =
      parse_invocation(personality_from_argv0(argv0), argv0, args, process_environment());
  if (invocation.kind != Invocation::Kind::kRun) {
    (void)std::fputs(invocation.text.c_str(), invocation.to_stderr ? stderr : stdout);
    return invocation.exit_code;
  }
  Log log(invocation.options.verbosity);
  if (!inherited) {
    log.line(2, "pidone: fatal: cannot read the signal state: " + inherited.error().to_string());
    return sys::kExitInitFailed;
  }
  Supervisor supervisor(std::move(invocation.options), log, *inherited);
  if (auto started = supervisor.start(); !started) {
    return started.error();
  }
  return supervisor.run();
}

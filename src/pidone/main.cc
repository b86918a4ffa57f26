// pidone: parse, start, run. Everything else lives in the library the tests link.
#include <unistd.h>

#include <cstdio>
#include <span>

#include "pidone/cli.h"
#include "pidone/log.h"
#include "pidone/supervisor.h"
#include "sys/wait_status.h"

int main(int argc, char** argv) {
  using namespace pidone;
  const std::span<const char* const> args(const_cast<const char* const*>(argv) + 1,
                                          static_cast<std::size_t>(argc > 0 ? argc - 1 : 0));
  auto parsed = parse_command_line(args, process_environment());
  if (!parsed) {
    std::fprintf(stderr, "pidone: %s (see 'pidone --help')\n", parsed.error().c_str());
    return sys::kExitUsage;
  }
  if (parsed->action == CliAction::kHelp) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  if (parsed->action == CliAction::kVersion) {
    std::printf("pidone %s\n", PIDONE_VERSION);
    return 0;
  }
  const Log log(parsed->options.verbosity);
  Supervisor supervisor(std::move(parsed->options), log);
  if (auto started = supervisor.start(); !started) {
    return started.error();
  }
  return supervisor.run();
}

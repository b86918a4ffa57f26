// basic-sig: the three dispositions of a signal, on SIGTERM sent to oneself. Ignored: nothing
// happens. Caught: the handler runs. Default: the process dies of it (exit status 143).
#include <signal.h>
#include <unistd.h>

#include <cstdio>

namespace {

void on_sigterm(int /*signo*/) {
  static const char kLine[] = "received SIGTERM\n";
  (void)!::write(STDOUT_FILENO, kLine, sizeof(kLine) - 1);
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  ::signal(SIGTERM, SIG_IGN);
  std::printf("Ignore SIGTERM\n");
  ::kill(::getpid(), SIGTERM);

  ::signal(SIGTERM, on_sigterm);
  std::printf("Catch SIGTERM\n");
  ::kill(::getpid(), SIGTERM);

  ::signal(SIGTERM, SIG_DFL);
  std::printf("Default SIGTERM\n");
  ::kill(::getpid(), SIGTERM);
  std::printf("not reached: the default action of SIGTERM ends the process\n");
  return 0;
}

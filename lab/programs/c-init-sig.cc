// c-init-sig: the seed's C init with a SIGTERM handler that prints and exits 0. Because it
// catches SIGTERM, `kill 1` works even as PID 1; `kill -9 1` still does not (SIGKILL cannot be
// caught, so from inside the namespace it is always dropped).
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace {

void on_sigterm(int /*signo*/) {
  static const char kLine[] = "received SIGTERM\n";
  (void)!::write(STDOUT_FILENO, kLine, sizeof(kLine) - 1);
  ::_exit(0);
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  ::signal(SIGTERM, on_sigterm);
  std::printf("Process is sleeping\n");
  for (;;) {
    ::sleep(100);
  }
}

// reg-sigkill: SIGKILL can be neither caught nor ignored; installing a handler fails (EINVAL).
#include <signal.h>

#include <cstdio>
#include <cstdlib>

namespace {

void on_sigkill(int /*signo*/) {
  std::_Exit(0);
}

}  // namespace

int main() {
  if (::signal(SIGKILL, on_sigkill) == SIG_ERR) {
    std::perror("SIG_ERR");
    return 0;
  }
  std::printf("a SIGKILL handler was installed (unexpected)\n");
  return 1;
}

// c-init-nosig: the seed's C init without signal handlers. As PID 1 it cannot be stopped by
// `kill 1` or `kill -9 1` from inside its namespace: the kernel drops signals whose handler
// is SIG_DFL when they are sent to a namespace's init.
#include <unistd.h>

#include <cstdio>

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("Process is sleeping\n");
  for (;;) {
    ::sleep(100);
  }
}

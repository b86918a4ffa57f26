// fwd-sig N: the seed's fwd_sig c-init-sig N. A SIGTERM handler that prints and exits 0, then
// N children that inherit it and sleep forever. As PID 1, SIGTERM makes it exit; the kernel
// then SIGKILLs the children, so their handlers never print. Each line names its PID.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace {

void on_sigterm(int /*signo*/) {
  char line[64];
  const int n = std::snprintf(line, sizeof(line), "received SIGTERM (pid %d)\n", ::getpid());
  (void)!::write(STDOUT_FILENO, line, static_cast<std::size_t>(n));
  ::_exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int total = argc > 1 ? std::atoi(argv[1]) : 1;
  ::signal(SIGTERM, on_sigterm);
  std::printf("To create %d processes\n", total);
  for (int i = 0; i < total; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::printf("Child => PPID: %d PID: %d\n", ::getppid(), ::getpid());
      for (;;) {
        ::sleep(100);
      }
    }
    if (pid > 0) {
      std::printf("Parent created child %d\n", i);
    } else {
      std::printf("Fork failed\n");
    }
  }
  std::printf("Parent is sleeping\n");
  for (;;) {
    ::sleep(100);
  }
}

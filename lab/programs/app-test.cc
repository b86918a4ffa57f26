// app-test N [--sleep S]: the seed's zombie maker. It forks N children that print their PPID
// and PID, sleep S seconds (60 in the seed) and exit; the parent never calls wait(), so every
// child it outlives stays a zombie, holding its PID. Built with APP_TEST_WAIT it is
// app-test-wait: the same parent, but it reaps its children.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int total = argc > 1 ? std::atoi(argv[1]) : 1;
  unsigned seconds = 60;
  if (argc > 3 && std::strcmp(argv[2], "--sleep") == 0) {
    seconds = static_cast<unsigned>(std::atoi(argv[3]));
  }
  std::printf("To create %d processes\n", total);
  int created = 0;
  for (int i = 0; i < total; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::printf("Child => PPID: %d PID: %d\n", ::getppid(), ::getpid());
      ::sleep(seconds);
      std::printf("Child process exits\n");
      std::exit(EXIT_SUCCESS);
    }
    if (pid < 0) {
      std::printf("Fork failed: %s\n", std::strerror(errno));
    } else {
      ++created;
    }
  }
  std::printf("Parent is sleeping (created %d)\n", created);
#ifdef APP_TEST_WAIT
  for (int i = 0; i < created; ++i) {
    int status = 0;
    ::wait(&status);
  }
  std::printf("Parent reaped %d children\n", created);
#endif
  for (;;) {
    ::sleep(100);
  }
}

// inspectkid: the PID 1s of the pidone-inspect matrix, each a way a program can stand towards
// SIGTERM. Every mode prints "ready <pid>" once its signal state is set up; the modes that wait
// in rt_sigtimedwait print it just before they call it, so a test that needs the wait itself
// watches the thread's wchan (do_sigtimedwait) after "ready".
//
//   inspectkid sigwait               blocks SIGTERM and waits for it with sigwaitinfo in the
//                                    main thread (tini's and dumb-init's shape)
//   inspectkid sigwait-thread        blocks SIGTERM in every thread; a second thread waits for
//                                    it with sigwaitinfo while the main thread sleeps in pause()
//   inspectkid sigwait-thread-only   the main thread leaves SIGTERM unblocked; a second thread
//                                    blocks it and waits for it. The kernel decides on the main
//                                    thread's mask: SIGTERM to PID 1 is dropped
//   inspectkid sigwait-unmapped      the main thread waits with rt_sigtimedwait on a set in a page
//                                    that a second thread unmaps once the wait has begun: the set
//                                    can no longer be read from /proc/PID/mem
//   inspectkid thread-default        the main thread blocks SIGTERM; a second thread leaves it
//                                    unblocked with the default action, so SIGTERM kills PID 1
//   inspectkid handler               a SIGTERM handler; pause() until it has run
//   inspectkid ignore                SIGTERM ignored; pause() forever
//   inspectkid block                 SIGTERM blocked and never read (no signalfd, no wait);
//                                    pause() forever: a SIGTERM stays pending
//   inspectkid name NAME             sets its command name (comm) to NAME, then pause() forever
//                                    with every disposition at its default, as `sleep` does
// After SIGTERM arrives the receiving modes print "received SIGTERM" and exit 0.
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

namespace {

void say(const std::string& line) {
  const std::string text = line + "\n";
  (void)!::write(STDOUT_FILENO, text.data(), text.size());
}

void say_ready() {
  say("ready " + std::to_string(::getpid()));
}

sigset_t only_term() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  return set;
}

[[noreturn]] void pause_forever() {
  for (;;) {
    ::pause();
  }
}

[[noreturn]] void wait_for_term_and_exit(const sigset_t& set) {
  for (;;) {
    siginfo_t info{};
    if (::sigwaitinfo(&set, &info) == SIGTERM) {
      say("received SIGTERM");
      std::_Exit(0);
    }
  }
}

int sigwait_in_main() {
  const sigset_t set = only_term();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  say_ready();
  wait_for_term_and_exit(set);
}

int sigwait_in_thread(bool block_in_main) {
  const sigset_t set = only_term();
  if (block_in_main) {
    ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  }
  std::thread waiter([set] {
    ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
    say_ready();
    wait_for_term_and_exit(set);
  });
  waiter.detach();
  pause_forever();
}

// Whether the thread `tid` of this process is blocked in rt_sigtimedwait on `set`.
bool waits_on(pid_t tid, const void* set) {
  std::ifstream file("/proc/self/task/" + std::to_string(tid) + "/syscall");
  long nr = -1;
  unsigned long address = 0;
  file >> nr >> std::hex >> address;
  return file && nr == SYS_rt_sigtimedwait && address == reinterpret_cast<unsigned long>(set);
}

int sigwait_on_unmapped_set() {
  const sigset_t term = only_term();
  ::pthread_sigmask(SIG_BLOCK, &term, nullptr);
  const long page = ::sysconf(_SC_PAGESIZE);
  void* memory = ::mmap(nullptr, static_cast<std::size_t>(page), PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    return 98;
  }
  auto* set = static_cast<sigset_t*>(memory);
  *set = term;
  const pid_t main_tid = ::gettid();
  std::thread unmapper([=] {
    // The kernel copied the set when the wait began; from then on the page can go.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!waits_on(main_tid, set)) {
      if (std::chrono::steady_clock::now() > deadline) {
        say("main thread never waited");
        std::_Exit(97);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::munmap(memory, static_cast<std::size_t>(page));
    say_ready();
  });
  unmapper.detach();
  for (;;) {
    siginfo_t info{};
    // Raw: glibc must not copy the set elsewhere.
    if (::syscall(SYS_rt_sigtimedwait, set, &info, nullptr, sizeof(std::uint64_t)) == SIGTERM) {
      say("received SIGTERM");
      std::_Exit(0);
    }
  }
}

int default_in_a_thread() {
  const sigset_t set = only_term();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread open_thread([set] {
    ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    say_ready();
    pause_forever();
  });
  open_thread.detach();
  pause_forever();
}

volatile sig_atomic_t got_term = 0;

void on_term(int) {
  got_term = 1;
}

int with_handler() {
  struct sigaction action {};
  action.sa_handler = on_term;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  say_ready();
  while (got_term == 0) {
    ::pause();
  }
  say("received SIGTERM");
  return 0;
}

int ignoring() {
  ::signal(SIGTERM, SIG_IGN);
  say_ready();
  pause_forever();
}

int blocking() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  say_ready();
  pause_forever();
}

int named(const char* name) {
  ::prctl(PR_SET_NAME, name, 0, 0, 0);
  say_ready();
  pause_forever();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "sigwait") {
    return sigwait_in_main();
  }
  if (mode == "sigwait-thread") {
    return sigwait_in_thread(true);
  }
  if (mode == "sigwait-thread-only") {
    return sigwait_in_thread(false);
  }
  if (mode == "sigwait-unmapped") {
    return sigwait_on_unmapped_set();
  }
  if (mode == "thread-default") {
    return default_in_a_thread();
  }
  if (mode == "handler") {
    return with_handler();
  }
  if (mode == "ignore") {
    return ignoring();
  }
  if (mode == "block") {
    return blocking();
  }
  if (mode == "name" && argc > 2) {
    return named(argv[2]);
  }
  std::fprintf(stderr,
               "usage: inspectkid sigwait|sigwait-thread|sigwait-thread-only|sigwait-unmapped|"
               "thread-default|handler|ignore|block|name NAME\n");
  return 2;
}

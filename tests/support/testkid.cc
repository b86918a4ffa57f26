// testkid: the child the integration tests run under pidone. Every mode announces itself with
// a "ready <pid>" line before it waits, so tests synchronise on output, never on time.
//
//   testkid signals [EXIT_SIG]       print "signal N code C value V" for each signal; exit 0
//                                    after EXIT_SIG (default TERM)
//   testkid state                    print the process's signal state, descriptors and groups
//   testkid exit N                   exit with N
//   testkid kill-self SIG            die of SIG
//   testkid tree N MODE [CODE]       fork N children that each print "child-up <pid>", then
//                                    print "ready <pid>"; MODE term: children print "child-got
//                                    SIG PID" per signal, exit 0 on SIGTERM; MODE ignore: children
//                                    ignore SIGTERM. With CODE the parent then exits with CODE,
//                                    orphaning them; without, it waits as `signals` does.
//   testkid orphans N [hold]         fork a parent of N children, which exits: all N are
//                                    orphaned and die at once; print "released N"; then wait
//                                    as `signals` does. With hold the parent prints "holding
//                                    PID" and waits until someone kills it.
//   testkid orphan-rounds R N        R rounds of `orphans N`, printing "round K" after each;
//                                    then waits as `signals` does.
//   testkid tree N report [CODE]     as `tree N term`, but each child prints "child-signal N
//                                    code C value V pid P" per signal (the queued value too)
//   testkid hold                     block every signal, print "ready <pid>", wait for SIGUSR2
//                                    alone (sigwaitinfo): a witness whose pending set
//                                    (/proc/PID/status ShdPnd) shows what was sent to it
//   testkid fault                    block every signal, then write to a page it may not write:
//                                    the kernel still kills it with SIGSEGV
//   testkid rename NAME              set its name (comm) to NAME, ignore SIGTERM, print "ready
//                                    <pid>", wait until killed
// With TESTKID_TAG=NAME in the environment every line starts with "NAME: " (several testkids
// as services of one pidone, writing to one pipe). With TESTKID_NOTIFY_FD=N, its "ready" or
// "state" line is followed by a newline on descriptor N, which is then closed: the readiness
// of an s6 notification-fd, said once testkid is really there.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sys/signal_fd.h"
#include "sys/signal_set.h"

namespace {

using pidone::sys::SignalFd;
using pidone::sys::SignalSet;

void say(const std::string& line) {
  const char* tag = std::getenv("TESTKID_TAG");
  const std::string text = (tag != nullptr ? std::string(tag) + ": " : std::string()) + line + "\n";
  (void)!::write(STDOUT_FILENO, text.data(), text.size());
  const char* notify = std::getenv("TESTKID_NOTIFY_FD");
  if (notify != nullptr && (line.starts_with("ready ") || line.starts_with("state "))) {
    const int fd = static_cast<int>(std::strtol(notify, nullptr, 10));
    (void)!::write(fd, "\n", 1);
    (void)::close(fd);
    ::unsetenv("TESTKID_NOTIFY_FD");
  }
}

SignalSet catchable() {
  SignalSet set = SignalSet::full();
  // The faults too: a kill() of one is read like any other, and a real fault would still be
  // delivered (the kernel forces it).
  return set.remove(SIGKILL).remove(SIGSTOP);
}

// Blocks every catchable signal; `announce` runs once they are blocked. Then each signal is
// passed to `report` until `exit_sig` arrives.
template <class Announce, class Report>
int catch_signals(int exit_sig, Announce announce, Report report) {
  const SignalSet set = catchable();
  (void)pidone::sys::set_signal_mask(set);
  auto fd = SignalFd::open(set);
  if (!fd) {
    std::fprintf(stderr, "testkid: %s\n", fd.error().to_string().c_str());
    return 99;
  }
  announce();
  std::vector<signalfd_siginfo> infos;
  for (;;) {
    infos.clear();
    (void)fd->read_batch(infos);  // blocks until a signal is pending
    for (const auto& info : infos) {
      report(info);
      if (static_cast<int>(info.ssi_signo) == exit_sig) {
        return 0;
      }
    }
  }
}

// "ready <pid>", then "signal N code C value V from P" per signal, until `exit_sig`.
int report_signals(int exit_sig) {
  return catch_signals(
      exit_sig, [] { say("ready " + std::to_string(::getpid())); },
      [](const signalfd_siginfo& info) {
        say("signal " + std::to_string(info.ssi_signo) + " code " + std::to_string(info.ssi_code) +
            " value " + std::to_string(info.ssi_int) + " from " + std::to_string(info.ssi_pid));
      });
}

std::string status_field(const std::string& name) {
  FILE* f = std::fopen("/proc/self/status", "r");
  std::array<char, 512> line;
  std::string value = "?";
  while (f != nullptr && std::fgets(line.data(), line.size(), f) != nullptr) {
    if (std::strncmp(line.data(), name.c_str(), name.size()) == 0 && line[name.size()] == ':') {
      value = line.data() + name.size() + 1;
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t\n") + 1);
    }
  }
  if (f != nullptr) {
    std::fclose(f);
  }
  return value;
}

int report_state() {
  std::string fds;
  for (int fd = 0; fd < 1024; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1) {
      fds += (fds.empty() ? "" : ",") + std::to_string(fd);
    }
  }
  const pid_t tpgid = ::tcgetpgrp(STDIN_FILENO);
  say("state pid=" + std::to_string(::getpid()) + " pgid=" + std::to_string(::getpgrp()) +
      " sid=" + std::to_string(::getsid(0)) + " tpgid=" + std::to_string(tpgid) +
      " sigblk=" + status_field("SigBlk") + " sigign=" + status_field("SigIgn") + " fds=" + fds);
  return 0;
}

int parse_int(const char* text) {
  return static_cast<int>(std::strtol(text, nullptr, 10));
}

int parse_sig(const char* text) {
  if (std::strcmp(text, "TERM") == 0) {
    return SIGTERM;
  }
  if (std::strcmp(text, "USR1") == 0) {
    return SIGUSR1;
  }
  return parse_int(text);
}

int tree(int count, const std::string& mode, const char* exit_code) {
  std::array<int, 2> ready{};
  if (::pipe(ready.data()) != 0) {
    return 98;
  }
  for (int i = 0; i < count; ++i) {
    const pid_t pid = ::fork();
    if (pid < 0) {
      return 97;
    }
    if (pid > 0) {
      continue;
    }
    ::close(ready[0]);
    if (mode == "ignore") {
      ::signal(SIGTERM, SIG_IGN);
      say("child-up " + std::to_string(::getpid()));
      (void)!::write(ready[1], "x", 1);
      ::close(ready[1]);
      for (;;) {
        ::pause();
      }
    }
    // MODE term: report every signal as "child-got SIG PID"; MODE report: as "child-signal N
    // code C value V pid P". Exit 0 on SIGTERM.
    const int ready_fd = ready[1];
    const bool values = mode == "report";
    ::_exit(catch_signals(
        SIGTERM,
        [ready_fd] {
          say("child-up " + std::to_string(::getpid()));
          (void)!::write(ready_fd, "x", 1);
          ::close(ready_fd);
        },
        [values](const signalfd_siginfo& info) {
          if (values) {
            say("child-signal " + std::to_string(info.ssi_signo) + " code " +
                std::to_string(info.ssi_code) + " value " + std::to_string(info.ssi_int) + " pid " +
                std::to_string(::getpid()));
            return;
          }
          say("child-got " + std::to_string(info.ssi_signo) + " " + std::to_string(::getpid()));
        }));
  }
  ::close(ready[1]);
  for (int got = 0; got < count;) {
    char byte = 0;
    if (::read(ready[0], &byte, 1) != 1) {
      return 96;
    }
    ++got;
  }
  if (exit_code != nullptr) {
    say("ready " + std::to_string(::getpid()));
    return parse_int(exit_code);
  }
  return report_signals(SIGTERM);
}

int orphans(int count, bool hold_parent) {
  const pid_t middle = ::fork();
  if (middle == 0) {
    std::array<int, 2> hold{};
    if (::pipe(hold.data()) != 0) {
      ::_exit(98);
    }
    int made = 0;
    for (; made < count; ++made) {
      const pid_t pid = ::fork();
      if (pid < 0) {
        std::fprintf(stderr, "testkid: fork failed after %d: %s\n", made, std::strerror(errno));
        break;
      }
      if (pid == 0) {
        ::close(hold[1]);
        char byte = 0;
        (void)!::read(hold[0], &byte, 1);  // EOF when the middle process exits
        ::_exit(0);
      }
    }
    if (hold_parent && made == count) {
      // The caller ends this process (SIGKILL) when it wants all N orphaned at one moment.
      say("holding " + std::to_string(::getpid()));
      for (;;) {
        ::pause();
      }
    }
    ::_exit(made == count ? 0 : 95);
  }
  int status = 0;
  ::waitpid(middle, &status, 0);
  if (!hold_parent && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
    return 94;
  }
  say("released " + std::to_string(count));
  return report_signals(SIGTERM);
}

// A witness: everything blocked, so what is sent to it stays pending where /proc shows it;
// only SIGUSR2 is taken (and ends it).
int hold() {
  (void)pidone::sys::set_signal_mask(catchable());
  say("ready " + std::to_string(::getpid()));
  sigset_t release;
  sigemptyset(&release);
  sigaddset(&release, SIGUSR2);
  for (;;) {
    if (::sigwaitinfo(&release, nullptr) == SIGUSR2) {
      return 0;
    }
  }
}

// A real fault with every signal blocked: the kernel unblocks SIGSEGV and delivers it with its
// default action. A PROT_NONE page rather than a null pointer: no sanitizer steps in first.
int fault() {
  (void)pidone::sys::set_signal_mask(catchable());
  void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    return 98;
  }
  say("faulting " + std::to_string(::getpid()));
  *static_cast<volatile int*>(page) = 1;
  return 92;  // not reached
}

int rename_and_wait(const char* name) {
  if (::prctl(PR_SET_NAME, name, 0, 0, 0) != 0) {
    return 98;
  }
  ::signal(SIGTERM, SIG_IGN);
  say("ready " + std::to_string(::getpid()));
  for (;;) {
    ::pause();
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "signals") {
    return report_signals(argc > 2 ? parse_sig(argv[2]) : SIGTERM);
  }
  if (mode == "state") {
    return report_state();
  }
  if (mode == "exit" && argc > 2) {
    return parse_int(argv[2]);
  }
  if (mode == "kill-self" && argc > 2) {
    const int sig = parse_int(argv[2]);
    ::signal(sig, SIG_DFL);
    (void)pidone::sys::set_signal_mask(SignalSet());
    ::kill(::getpid(), sig);
    return 93;
  }
  if (mode == "tree" && argc > 3) {
    return tree(parse_int(argv[2]), argv[3], argc > 4 ? argv[4] : nullptr);
  }
  if (mode == "orphan-rounds" && argc > 3) {
    // R rounds of N orphans each, one after the other; "round K" after each is released.
    const int rounds = parse_int(argv[2]);
    for (int round = 1; round <= rounds; ++round) {
      const pid_t middle = ::fork();
      if (middle == 0) {
        std::array<int, 2> hold{};
        if (::pipe(hold.data()) != 0) {
          ::_exit(98);
        }
        for (int i = 0; i < parse_int(argv[3]); ++i) {
          const pid_t pid = ::fork();
          if (pid == 0) {
            ::close(hold[1]);
            char byte = 0;
            (void)!::read(hold[0], &byte, 1);
            ::_exit(0);
          }
          if (pid < 0) {
            ::_exit(95);
          }
        }
        ::_exit(0);
      }
      int status = 0;
      ::waitpid(middle, &status, 0);
      say("round " + std::to_string(round));
    }
    return report_signals(SIGTERM);
  }
  if (mode == "hold") {
    return hold();
  }
  if (mode == "fault") {
    return fault();
  }
  if (mode == "rename" && argc > 2) {
    return rename_and_wait(argv[2]);
  }
  if (mode == "orphans" && argc > 2) {
    return orphans(parse_int(argv[2]), argc > 3 && std::string(argv[3]) == "hold");
  }
  std::fprintf(stderr, "testkid: unknown mode '%s'\n", mode.c_str());
  return 64;
}

// The child starts with what pidone's caller gave: its mask and ignored signals, never
// pidone's own, in a process group of its own, with no descriptor of pidone's; and a signal
// pidone holds before the child has exec'd is delivered after the exec.
#include <fcntl.h>

#include <fstream>

#include "fixture.h"
#include "pidone/log.h"
#include "pidone/supervisor.h"

namespace pidone::testing {
namespace {

TEST(ChildState, InheritsTheCallersMaskAndIgnoredSignalsAndOnlyStdio) {
  LaunchSpec spec = pidone_running({}, testkid({"state"}));
  // What the caller hands pidone, the child gets: nohup's ignored SIGHUP, a blocked signal.
  // pidone's own blocking (every signal) and its descriptors never leak.
  spec.blocked = sys::SignalSet().add(SIGUSR1).add(SIGTERM).add(SIGRTMIN);
  spec.ignored = sys::SignalSet().add(SIGINT).add(SIGPIPE).add(SIGHUP);
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  auto line = init.out().wait_for("state ");
  ASSERT_TRUE(line) << init.err().read_rest(1s);
  char expected[64];
  std::snprintf(expected, sizeof(expected), "sigblk=%016llx",
                static_cast<unsigned long long>(spec.blocked.bits()));
  EXPECT_NE(line->find(expected), std::string::npos) << *line;
  std::snprintf(expected, sizeof(expected), "sigign=%016llx",
                static_cast<unsigned long long>(spec.ignored.bits()));
  EXPECT_NE(line->find(expected), std::string::npos) << *line;
  EXPECT_NE(line->find("fds=0,1,2"), std::string::npos) << *line;
  EXPECT_EQ(line->find("fds=0,1,2,"), std::string::npos) << *line;
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(ChildState, PidonesOwnBlockingNeverLeaks) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"state"})));
  auto line = init.out().wait_for("state ");
  ASSERT_TRUE(line);
  EXPECT_NE(line->find("sigblk=0000000000000000"), std::string::npos) << *line;
  EXPECT_NE(line->find("sigign=0000000000000000"), std::string::npos) << *line;
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(ChildState, TheChildLeadsItsOwnGroupWithoutATerminal) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"state"})));
  auto line = init.out().wait_for("state ");
  ASSERT_TRUE(line);
  EXPECT_NE(line->find("pid=2 pgid=2 sid=1 "), std::string::npos) << *line;
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(ChildState, GroupTargetKeepsTheChildLeadingItsGroup) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({"--signal-target", "group"}, testkid({"state"})));
  auto line = init.out().wait_for("state ");
  ASSERT_TRUE(line);
  EXPECT_NE(line->find("pid=2 pgid=2 "), std::string::npos) << *line;
  EXPECT_EQ(init.wait_exit(), 0);
}

std::string read_comm(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string comm;
  std::getline(in, comm);
  return comm;
}

// A signal already pending when pidone starts the child must reach the program that was
// exec'd, never the forked copy before exec. SIGTSTP shows which one got it: the default
// action stops the receiver, and a stopped process still names its program in /proc.
TEST(ChildState, SignalPendingBeforeSpawnReachesTheExecdProgram) {
  std::array<int, 2> out{};
  ASSERT_EQ(::pipe2(out.data(), O_CLOEXEC), 0);
  const pid_t helper = ::fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) {
    // Its own group, in the test's session, with the test (another group) as parent: a group
    // that is not orphaned. The kernel silently discards a default-action SIGTSTP sent to a
    // process of an orphaned group (as ctest's can be), which would look like a lost signal.
    ::setpgid(0, 0);
    ::dup2(out[1], STDOUT_FILENO);
    Options options;
    options.command = {testkid_path(), "signals", std::to_string(SIGTSTP)};
    Log log(0);
    Supervisor supervisor(options, log, sys::InheritedSignals{});
    sys::SignalSet all = sys::SignalSet::full();
    (void)sys::set_signal_mask(all.remove(SIGSEGV).remove(SIGABRT));
    ::raise(SIGTSTP);  // pending in the would-be init before its child exists
    if (!supervisor.start()) {
      ::_exit(120);
    }
    ::_exit(supervisor.run());
  }
  ::close(out[1]);
  LineReader reader{sys::UniqueFd(out[0])};
  // Either the program reports it (it blocked signals in time) or it was stopped by it.
  pid_t child = 0;
  std::string stopped_comm;
  const bool delivered = eventually(
      [&] {
        if (child == 0) {
          std::ifstream children("/proc/" + std::to_string(helper) + "/task/" +
                                 std::to_string(helper) + "/children");
          children >> child;
        }
        if (reader.wait_for("signal 20 ", 5ms)) {
          return true;
        }
        if (child > 0) {
          auto stat = proc::read_stat(child);
          if (stat && stat->state == 'T') {
            stopped_comm = read_comm(child);
            return true;
          }
        }
        return false;
      },
      20s);
  EXPECT_TRUE(delivered) << reader.seen();
  if (!stopped_comm.empty()) {
    EXPECT_EQ(stopped_comm, "testkid") << "stopped before exec";
  }
  // End the child; the helper, a real supervisor, reaps it and exits. Killing the helper first
  // would orphan the child to the host's init.
  for (const auto& process : proc::descendants_of(proc::scan_processes(), helper)) {
    ::kill(process.pid, SIGKILL);  // not reaped yet by the helper: the PID is still this child's
  }
  int status = 0;
  if (!eventually([&] { return ::waitpid(helper, &status, WNOHANG) == helper; }, 10s)) {
    ::kill(helper, SIGKILL);
    ::waitpid(helper, &status, 0);
  }
}

}  // namespace
}  // namespace pidone::testing

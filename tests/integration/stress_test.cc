// Load and faults, with pidone as PID 1 of real namespaces. Each test is bounded in time and
// processes and leaves nothing behind (the namespace dies with its PID 1). The figures they
// print are in docs/reliability.md.
#include <fcntl.h>
#include <poll.h>

#include <cstdlib>
#include <fstream>

#include "fixture.h"
#include "lab/pids_cgroup.h"

namespace pidone::testing {
namespace {

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

int env_int(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::atoi(value) : fallback;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(Stress, HundredThousandOrphansOverTimeWithFlatMemory) {
  // PIDONE_STRESS_ORPHANS lowers it where processes are slow to make (the ASan build).
  const int total = env_int("PIDONE_STRESS_ORPHANS", 100000);
  const int per_round = 10000;
  const int rounds = std::max(1, total / per_round);
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"orphan-rounds", std::to_string(rounds),
                                                          std::to_string(per_round)})));
  ASSERT_TRUE(init.out().wait_for("round 1", 120s)) << init.err().read_rest(1s);
  const long rss_before = rss_kib(init.pid());
  const auto start = Clock::now();
  ASSERT_TRUE(init.out().wait_for("round " + std::to_string(rounds), 600s));
  ASSERT_TRUE(eventually(
      [&] {
        const auto table = processes_in(init);
        return table.size() == 2 && count_state(table, 'Z') == 0;
      },
      60s));
  const long rss_after = rss_kib(init.pid());
  std::printf(
      "figure: %d orphans in %d rounds reaped in %.1f s; pidone RSS %ld KiB before, "
      "%ld KiB after\n",
      rounds * per_round, rounds, seconds_since(start), rss_before, rss_after);
  EXPECT_LE(rss_after, rss_before + 256) << "pidone's memory grew while reaping";
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(Stress, SignalStormKeepsRealTimeOrderAndHonoursTheFinalSigterm) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  constexpr int kSignals = 100000;
  constexpr int kEveryRealTime = 5;  // one in five is a queued real-time signal with a value
  const int rt = SIGRTMIN + 2;
  const std::array<int, 5> standard = {SIGUSR1, SIGUSR2, SIGHUP, SIGWINCH, SIGALRM};
  const long rss_before = rss_kib(init.pid());
  const auto start = Clock::now();
  int queued = 0;
  for (int i = 0; i < kSignals; ++i) {
    if (i % kEveryRealTime == 0) {
      sigval value{};
      value.sival_int = queued;
      // The queue is bounded (RLIMIT_SIGPENDING): when it is full, let pidone catch up.
      while (::sigqueue(init.pid(), rt, value) != 0) {
        ASSERT_EQ(errno, EAGAIN);
        pollfd none{-1, 0, 0};
        (void)::poll(&none, 0, 1);
      }
      ++queued;
    } else {
      init.send(standard[static_cast<std::size_t>(i) % standard.size()]);
    }
  }
  // Standard signals are taken before real-time ones, so the end of the stream is marked with
  // a higher real-time signal, after every queued value; then the final SIGTERM.
  const int marker = SIGRTMIN + 10;
  init.send(marker);
  // Every queued value arrives, in order; standard signals may coalesce.
  int next = 0;
  int standard_seen = 0;
  bool out_of_order = false;
  while (auto line = init.out().next_line(Clock::now() + 60s)) {
    if (line->starts_with("signal " + std::to_string(rt) + " ")) {
      const int value = std::stoi(line->substr(line->find("value ") + 6));
      out_of_order = out_of_order || value != next;
      ++next;
    } else if (line->starts_with("signal " + std::to_string(marker) + " ")) {
      break;
    } else if (line->starts_with("signal ")) {
      ++standard_seen;
    }
  }
  init.send(SIGTERM);  // the last word, always honoured
  EXPECT_TRUE(init.out().wait_for("signal 15 ", 30s));
  EXPECT_EQ(init.wait_exit(60s), 0);
  std::printf(
      "figure: %d signals (%d queued real-time) through pidone in %.1f s; all %d "
      "values in order: %s; %d standard signals after coalescing; RSS %ld KiB before\n",
      kSignals, queued, seconds_since(start), queued, out_of_order ? "no" : "yes", standard_seen,
      rss_before);
  EXPECT_EQ(next, queued);
  EXPECT_FALSE(out_of_order);
}

TEST(Stress, ThousandStartupsEachHitBySignalAtOnce) {
  const int runs = env_int("PIDONE_STRESS_STARTUPS", 1000);
  int reported = 0;
  int killed_by_it = 0;
  const auto start = Clock::now();
  for (int i = 0; i < runs; ++i) {
    PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals"})));
    // As soon as pidone has blocked its signals (before that the kernel would drop a signal
    // to an init without a handler): usually before its child has even exec'd.
    ASSERT_TRUE(eventually([&] { return blocks_signal(init.pid(), SIGUSR1); }, 10s));
    init.send(SIGUSR1);
    // Delivered to the program: reported, or it died of it before it blocked signals itself.
    // Lost: neither, within the deadline (generous: a loaded machine running ASan builds can
    // take seconds over what is normally milliseconds; EOF or the line ends the wait at once).
    bool seen = false;
    const auto deadline = Clock::now() + 30s;
    while (auto line = init.out().next_line(deadline)) {
      if (line->starts_with("signal 10 ")) {
        seen = true;
        break;
      }
    }
    if (seen) {
      ++reported;
      init.send(SIGTERM);
      ASSERT_EQ(init.wait_exit(), 0);
    } else {
      // EOF came first (or the deadline): the program died of it and pidone is on its way
      // out. A shared machine may be slow to let it finish (ASan's leak check at exit): the
      // deadline is generous, and a run that misses it prints what every process was doing
      // (fixture.h's exit timeout reporter).
      ASSERT_EQ(init.wait_exit(30s), 128 + SIGUSR1)
          << "run " << i << ": the signal was lost; seen: " << init.out().seen();
      ++killed_by_it;
    }
  }
  std::printf(
      "figure: %d start-ups hit by SIGUSR1 at once in %.1f s: %d reported by the "
      "program, %d killed it before it installed its own handling, 0 lost\n",
      runs, seconds_since(start), reported, killed_by_it);
}

TEST(Faults, AStoppedChildIsNotAnExitedOne) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  const auto table = proc::descendants_of(proc::scan_processes(), init.pid());
  ASSERT_EQ(table.size(), 1U);
  ::kill(table.front().pid, SIGSTOP);
  ASSERT_TRUE(eventually(
      [&] {
        auto stat = proc::read_stat(table.front().pid);
        return stat && stat->state == 'T';
      },
      10s));
  ::kill(table.front().pid, SIGCONT);
  init.send(SIGUSR1);
  EXPECT_TRUE(init.out().wait_for("signal 10 "));  // still its child, still forwarded to
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(Faults, PidoneKilledFromOutsideLeavesNothing) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"tree", "3", "term"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  const auto below = proc::descendants_of(proc::scan_processes(), init.pid());
  ASSERT_EQ(below.size(), 4U);
  init.send(SIGKILL);  // from the parent namespace: forced
  EXPECT_EQ(init.wait_exit(), 128 + SIGKILL);
  for (const auto& p : below) {
    EXPECT_TRUE(eventually([&] { return !proc::read_stat(p.pid).has_value(); }, 10s))
        << "process " << p.pid << " outlived its namespace";
  }
}

TEST(Faults, LoggingToAClosedPipeDoesNotKillPidone) {
  // stderr is a pipe whose reader is gone: every log line fails with EPIPE (and raises
  // SIGPIPE at pidone, which must not reach the child or end pidone).
  std::array<int, 2> dead{};
  ASSERT_EQ(::pipe2(dead.data(), O_CLOEXEC), 0);
  ::close(dead[0]);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(dead[1], STDERR_FILENO);
    ::execl(pidone_path().c_str(), "pidone", "-vv", "--", testkid_path().c_str(), "exit", "5",
            nullptr);
    ::_exit(120);
  }
  ::close(dead[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status)) << "pidone died of signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 5);
}

TEST(Faults, AChildClosingItsStdioDoesNotAffectPidone) {
  PIDONE_LAUNCH_OR_SKIP(init,
                        pidone_running({"-vv"}, {"/bin/sh", "-c", "exec 0<&- 1>&- 2>&-; exit 4"}));
  EXPECT_EQ(init.wait_exit(), 4);
  // pidone's own stderr is untouched: its last log line is still there.
  EXPECT_NE(init.err().read_rest().find("exited with 4"), std::string::npos);
}

// A fork bomb beside a main child (testkid) that exits at once on SIGTERM: what is timed is
// the drain of the bomb. (bash blocks signals while it retries a failed fork, so a bash main
// child would itself take seconds to die.)
std::string bomb_then_testkid() {
  return "(while :; do (while :; do sleep 1; done) & done) & echo bombing; exec " + testkid_path() +
         " signals";
}

// Waits until the bomb has started, testkid is ready, and the bomb has filled the cgroup.
void wait_until_bomb_fills(Launched& init, const lab::PidsCgroup& cgroup) {
  ASSERT_TRUE(init.out().wait_for("bombing"));
  ASSERT_TRUE(init.out().wait_for("ready"));
  ASSERT_TRUE(eventually([&] { return cgroup.usage().starts_with("40/"); }, 20s)) << cgroup.usage();
}

TEST(Faults, ForkBombInAPidsCgroupIsDrainedWithinTheGrace) {
  auto cgroup = lab::PidsCgroup::create(40);
  if (!cgroup) {
    GTEST_SKIP() << cgroup.error();
  }
  LaunchSpec spec = pidone_running({"--grace", "500ms"}, {"/bin/bash", "-c", bomb_then_testkid()});
  spec.cgroup_procs = cgroup->procs_file();
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  wait_until_bomb_fills(init, *cgroup);
  if (HasFatalFailure()) {
    return;
  }
  const auto start = Clock::now();
  init.send(SIGTERM);  // the main child exits; the drain ends the bomb
  EXPECT_TRUE(init.wait_exit(20s).has_value());
  const double took = seconds_since(start);
  std::printf("figure: fork bomb at pids.max 40 ended by the drain in %.2f s (grace 0.5 s)\n",
              took);
  EXPECT_LT(took, 5.0);  // the grace and a margin for a loaded machine
}

// The same bomb with pidone as a subreaper (not PID 1): its drain finds descendants in /proc
// and signals them one by one, so a process forked between the scan and the SIGKILLs escapes
// a round. pidone must go on until none is left. PID 1 of the test's namespace is a shell
// that only runs pidone, so nothing can escape the test.
TEST(Faults, ForkBombUnderASubreaperIsDrainedWithinTheGrace) {
  auto cgroup = lab::PidsCgroup::create(40);
  if (!cgroup) {
    GTEST_SKIP() << cgroup.error();
  }
  LaunchSpec spec;
  spec.argv = {"/bin/sh", "-c",
               pidone_path() + " --grace 500ms -- /bin/bash -c '" + bomb_then_testkid() +
                   "'; echo pidone-exit=$?"};
  spec.cgroup_procs = cgroup->procs_file();
  spec.merge_stderr = true;  // pidone's log lines, in the failure message
  // Under ASan, LeakSanitizer cannot start its tracer in a full pids cgroup and testkid
  // would exit 1 for that.
  spec.extra_env = {"ASAN_OPTIONS=detect_leaks=0"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  wait_until_bomb_fills(init, *cgroup);
  if (HasFatalFailure()) {
    return;
  }
  pid_t pidone = 0;
  for (const auto& p : proc::scan_processes()) {
    if (p.ppid == init.pid() && p.comm == "pidone") {
      pidone = p.pid;
    }
  }
  ASSERT_GT(pidone, 0);
  const auto start = Clock::now();
  ASSERT_EQ(::kill(pidone, SIGTERM), 0);  // the main child exits; the drain ends the bomb
  EXPECT_TRUE(init.out().wait_for("pidone-exit=0", 20s)) << init.out().seen();  // testkid's 0
  const double took = seconds_since(start);
  std::printf(
      "figure: fork bomb at pids.max 40 under a subreaper drained in %.2f s (grace 0.5 s)\n", took);
  EXPECT_LT(took, 5.0);  // the grace and a margin for a loaded machine
}

}  // namespace
}  // namespace pidone::testing

// Hostile environments (issue 12): never hang, never lose the exit status. Each test runs the
// real binary as PID 1 of a new PID namespace (or as a subreaper under a shell that is PID 1)
// in an environment that once made pidone hang or lie: a caller that ignores SIGCHLD, a full
// stderr nobody reads, no /proc, a stopped leftover, a leftover with a forged name, a missing
// interpreter, four descriptors. Every wait has a deadline: a hang fails, it does not block.
// docs/reliability.md ("Hostile environments") sets pidone's behaviour beside tini's,
// dumb-init's and catatonit's.
#include <fcntl.h>
#include <sys/stat.h>

#include "fixture.h"

namespace pidone::testing {
namespace {

std::string where(const ::testing::TestParamInfo<bool>& info) {
  return info.param ? "AsPid1" : "AsASubreaper";
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int count_lines_with(const std::string& text, const std::string& needle) {
  int n = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    n += text.substr(start, end - start).find(needle) != std::string::npos ? 1 : 0;
    start = end + 1;
  }
  return n;
}

// ---- 1. The caller ignores SIGCHLD --------------------------------------------------------

class IgnoredSigchld : public ::testing::TestWithParam<bool> {};

// `trap '' CHLD; exec pidone -- sh -c 'exit 3'`: with SIGCHLD ignored the kernel would reap
// the child itself and its status would be lost; pidone sets its own back to the default.
TEST_P(IgnoredSigchld, TheExitCodeStillComesThrough) {
  LaunchSpec spec = pidone_running({}, {"/bin/sh", "-c", "exit 3"}, GetParam());
  spec.ignored = sys::SignalSet().add(SIGCHLD);
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  EXPECT_EQ(init.wait_exit(10s), 3)
      << "pidone hung or lost the status; stderr: " << init.err().read_rest(1s);
}

// ... and the child still gets SIGCHLD ignored, as its caller gave it.
TEST_P(IgnoredSigchld, TheChildStillSeesItIgnored) {
  LaunchSpec spec = pidone_running({}, testkid({"state"}), GetParam());
  spec.ignored = sys::SignalSet().add(SIGCHLD);
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  auto line = init.out().wait_for("state ", 10s);
  ASSERT_TRUE(line) << init.err().read_rest(1s);
  char expected[64];
  std::snprintf(expected, sizeof(expected), "sigign=%016llx", 1ULL << (SIGCHLD - 1));
  EXPECT_NE(line->find(expected), std::string::npos) << *line;
  EXPECT_EQ(init.wait_exit(10s), 0);
}

INSTANTIATE_TEST_SUITE_P(Hostile, IgnoredSigchld, ::testing::Bool(), where);

// ---- 2. stderr a full pipe nobody reads ---------------------------------------------------

class FullStderr : public ::testing::TestWithParam<bool> {};

// pidone's stderr is a FIFO whose reader (the test) never reads. The main child fills it to
// the last byte, leaves a sleep that ignores SIGTERM and exits 3: the drain's "grace period
// expired" warning (default level) cannot be written. It must be dropped, not waited for.
// Without /proc (a tmpfs over it) pidone cannot reopen stderr non-blocking and polls first.
TEST_P(FullStderr, TheDrainsWarningNeverBlocksPidone) {
  const bool with_proc = GetParam();
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string fifo = dir / "stderr";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const sys::UniqueFd reader(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  ASSERT_TRUE(reader.valid());
  const int capacity = ::fcntl(reader.get(), F_GETPIPE_SZ);
  ASSERT_GT(capacity, 0);
  const std::string child =
      "trap '' TERM; head -c " + std::to_string(capacity) + " /dev/zero >&2; sleep 100 & exit 3";
  LaunchSpec spec;
  spec.argv = {"/bin/sh", "-c",
               std::string(with_proc ? "" : "mount -t tmpfs none /proc || exit 90; ") + "exec 2>" +
                   sh_quote(fifo) + "; exec " + sh_quote(pidone_path()) +
                   " --grace 200ms -- /bin/sh -c " + sh_quote(child)};
  const auto start = Clock::now();
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  EXPECT_EQ(init.wait_exit(15s), 3) << "pidone blocked on its full stderr";
  const double took = seconds_since(start);
  EXPECT_LT(took, 5.0) << "the grace is 200ms";
  std::printf("figure: full stderr%s: exit after %.2f s (grace 0.2 s)\n",
              with_proc ? "" : " without /proc", took);
}

std::string proc_param(const ::testing::TestParamInfo<bool>& info) {
  return info.param ? "WithProc" : "WithoutProc";
}

INSTANTIATE_TEST_SUITE_P(Hostile, FullStderr, ::testing::Bool(), proc_param);

// ---- 3. The drain cannot list processes ---------------------------------------------------

// pidone as a subreaper with no /proc of its own (a tmpfs over it): PID 1 is a shell that runs
// pidone, prints its exit code, then becomes `testkid signals` so the test can look at what
// is left in the namespace before it ends.
LaunchSpec subreaper_without_proc(const std::string& child, const std::string& grace) {
  LaunchSpec spec;
  spec.argv = {"/bin/sh", "-c",
               "mount -t tmpfs none /proc || exit 90; " + sh_quote(pidone_path()) + " --grace " +
                   grace + " -- /bin/sh -c " + sh_quote(child) + "; echo pidone-exit=$?; exec " +
                   sh_quote(testkid_path()) + " signals"};
  return spec;
}

// The running (not zombie) processes of the namespace but its PID 1, from the host's /proc.
std::vector<proc::ProcStat> alive_below(pid_t pid1) {
  auto all = proc::descendants_of(proc::scan_processes(), pid1);
  std::erase_if(all, [](const proc::ProcStat& p) { return p.state == 'Z'; });
  return all;
}

// A leftover in the child's process group that ignores SIGTERM: pidone cannot list it, but
// can reach the group; it is SIGKILLed at the end of the grace, and pidone says so.
TEST(Hostile, WithoutProcTheDrainKillsTheChildsGroupWithinTheGrace) {
  const auto start = Clock::now();
  PIDONE_LAUNCH_OR_SKIP(init, subreaper_without_proc("trap '' TERM; sleep 100 & exit 3", "500ms"));
  auto line = init.out().wait_for("pidone-exit=", 15s);
  const double took = seconds_since(start);
  ASSERT_TRUE(line) << "pidone did not end; stderr: " << init.err().read_rest(1s);
  EXPECT_EQ(*line, "pidone-exit=3");
  EXPECT_LT(took, 0.5 + 3.0) << "the grace is 500ms";
  ASSERT_TRUE(init.out().wait_for("ready", 10s));  // PID 1 is testkid now
  EXPECT_TRUE(alive_below(init.pid()).empty()) << "the leftover survived the drain";
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
  const std::string err = init.err().read_rest(1s);
  EXPECT_GE(count_lines_with(err, "cannot list the remaining processes"), 1) << err;
  std::printf("figure: subreaper without /proc: leftover in the group killed, exit after %.2f s\n",
              took);
}

// A leftover in another session: nothing pidone can name reaches it. pidone still ends
// within the grace, with the child's status; the leftover is left to PID 1.
TEST(Hostile, WithoutProcALeftoverInAnotherSessionDoesNotHoldTheDrain) {
  const auto start = Clock::now();
  PIDONE_LAUNCH_OR_SKIP(init,
                        subreaper_without_proc("trap '' TERM; setsid sleep 100 & exit 3", "500ms"));
  auto line = init.out().wait_for("pidone-exit=", 15s);
  const double took = seconds_since(start);
  ASSERT_TRUE(line) << "pidone did not end; stderr: " << init.err().read_rest(1s);
  EXPECT_EQ(*line, "pidone-exit=3");
  EXPECT_LT(took, 0.5 + 3.0) << "the grace is 500ms";
  ASSERT_TRUE(init.out().wait_for("ready", 10s));  // PID 1 is testkid now
  EXPECT_EQ(alive_below(init.pid()).size(), 1U) << "the sleep in its own session";
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// ---- 4. A stopped leftover ----------------------------------------------------------------

class StoppedLeftover : public ::testing::TestWithParam<bool> {};

// A leftover that is stopped (SIGSTOP) when the main child exits runs no handler until it is
// continued: the drain sends SIGCONT after SIGTERM, so it exits on its own well before the
// SIGKILL that a 10 s grace would bring.
TEST_P(StoppedLeftover, IsContinuedAndRunsItsHandler) {
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_running({"--grace", "10s"}, testkid({"tree", "1", "term"}), GetParam()));
  ASSERT_TRUE(init.out().wait_for("ready")) << init.err().read_rest(1s);
  // The tree's child, a grandchild of pidone: found in the host's /proc.
  pid_t leftover = 0;
  for (const auto& p : proc::descendants_of(proc::scan_processes(), init.pid())) {
    if (p.ppid != init.pid()) {
      leftover = p.pid;
    }
  }
  ASSERT_GT(leftover, 0);
  ASSERT_EQ(::kill(leftover, SIGSTOP), 0);
  ASSERT_TRUE(eventually(
      [&] {
        auto stat = proc::read_stat(leftover);
        return stat && stat->state == 'T';
      },
      10s));
  const auto start = Clock::now();
  init.send(SIGTERM);  // forwarded to the main child, which exits 0: the drain starts
  EXPECT_EQ(init.wait_exit(30s), 0);
  const double took = seconds_since(start);
  EXPECT_LT(took, 5.0) << "the stopped leftover waited for the SIGKILL at the grace's end";
  init.out().read_rest(1s);
  EXPECT_NE(init.out().seen().find("child-got 15 "), std::string::npos) << init.out().seen();
}

INSTANTIATE_TEST_SUITE_P(Hostile, StoppedLeftover, ::testing::Bool(), where);

// ---- 6. Log forgery -----------------------------------------------------------------------

// A leftover names itself (15 bytes, comm's limit) with a newline, a fake pidone line and an
// escape sequence that would clear the screen. The drain's warning names it escaped.
TEST(Hostile, ALeftoversNameIsEscapedInTheDrainsWarning) {
  const std::string forged = "x\npidone:ok\x1b[2J";
  ASSERT_EQ(forged.size(), 15U);
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({"-v", "--grace", "200ms"},
                                             {"/bin/sh", "-c", "\"$0\" rename \"$1\" & wait",
                                              testkid_path(), forged}));
  ASSERT_TRUE(init.out().wait_for("ready")) << init.err().read_rest(1s);
  init.send(SIGTERM);  // the shell dies of it; the renamed leftover ignores SIGTERM
  EXPECT_EQ(init.wait_exit(), 128 + SIGTERM);
  const std::string err = init.err().read_rest(1s);
  EXPECT_EQ(err.find('\x1b'), std::string::npos) << "a raw ESC reached stderr:\n" << err;
  EXPECT_EQ(err.find("\npidone:ok"), std::string::npos) << "a forged line:\n" << err;
  EXPECT_NE(err.find("expired: killed"), std::string::npos) << err;
  EXPECT_NE(err.find("x\\npidone:ok\\x1b[2J"), std::string::npos) << err;
}

// ---- 7. A missing interpreter -------------------------------------------------------------

// A script whose #! interpreter is missing: 127 (as bash and dash give), and the message names
// the interpreter rather than the script that does exist.
TEST(Hostile, AScriptWhoseInterpreterIsMissingIs127AndNamesIt) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string script = dir / "script";
  {
    std::ofstream out(script);
    out << "#!/nonexistent/interpreter -x\necho never\n";
  }
  ASSERT_EQ(::chmod(script.c_str(), 0755), 0);
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, {script}));
  EXPECT_EQ(init.wait_exit(), 127);
  const std::string err = init.err().read_rest(1s);
  EXPECT_NE(err.find("/nonexistent/interpreter"), std::string::npos) << err;
  EXPECT_EQ(count_lines_with(err, "pidone"), 1) << err;
}

// The same for a dynamically linked program whose PT_INTERP is missing.
TEST(Hostile, AProgramWhoseElfInterpreterIsMissingIs127AndNamesIt) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, {PIDONE_TEST_MISSING_INTERPRETER}));
  EXPECT_EQ(init.wait_exit(), 127);
  const std::string err = init.err().read_rest(1s);
  EXPECT_NE(err.find("/nonexistent/ld-pidone.so"), std::string::npos) << err;
}

// ---- 10. RLIMIT_NOFILE of 4 ---------------------------------------------------------------

// tini runs with four descriptors; so must pidone: no pidfd then (kill() instead), and -v says
// which fallback it took.
TEST(Hostile, FourDescriptorsAreEnough) {
  LaunchSpec spec;
  spec.argv = {
      "/bin/sh", "-c",
      "ulimit -n 4 || exit 90; exec " + sh_quote(pidone_path()) + " -v -- /bin/sh -c 'exit 5'"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  EXPECT_EQ(init.wait_exit(10s), 5);
  const std::string err = init.err().read_rest(1s);
  EXPECT_NE(err.find("no pidfd for the child: forwarding with kill()"), std::string::npos) << err;
}

TEST(Hostile, FourDescriptorsStillForwardSignals) {
  LaunchSpec spec;
  spec.argv = {"/bin/sh", "-c",
               "ulimit -n 4 || exit 90; exec " + sh_quote(pidone_path()) + " -v -- " +
                   sh_quote(testkid_path()) + " signals"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(init.out().wait_for("ready")) << init.err().read_rest(1s);
  init.send(SIGUSR1);
  EXPECT_TRUE(init.out().wait_for("signal 10 ")) << init.out().seen();
  sigval value{};
  value.sival_int = 17;
  ASSERT_EQ(::sigqueue(init.pid(), SIGRTMIN + 1, value), 0);
  EXPECT_TRUE(init.out().wait_for("signal " + std::to_string(SIGRTMIN + 1) + " code " +
                                  std::to_string(SI_QUEUE) + " value 17 "))
      << init.out().seen();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// ---- 11. Wording --------------------------------------------------------------------------

// One leftover is never "1 processes", and no list is left empty.
TEST(Hostile, TheDrainsLinesNameOneProcessAndNoEmptyList) {
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_running({"-v", "--grace", "30s"}, {"/bin/sh", "-c", "sleep 100 & exit 0"}));
  EXPECT_EQ(init.wait_exit(30s), 0);
  const std::string err = init.err().read_rest(1s);
  EXPECT_NE(err.find("sent SIGTERM to "), std::string::npos) << err;
  EXPECT_EQ(err.find("1 processes"), std::string::npos) << err;
  EXPECT_EQ(err.find(": \n"), std::string::npos) << "an empty list:\n" << err;
}

// A grace given as 1h is said as 1h.
TEST(Hostile, TheDrainNamesTheGraceAsGiven) {
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_running({"-v", "--grace", "1h"}, {"/bin/sh", "-c", "sleep 100 & exit 0"}));
  EXPECT_EQ(init.wait_exit(30s), 0);
  const std::string err = init.err().read_rest(1s);
  EXPECT_NE(err.find("SIGKILL in 1h"), std::string::npos) << err;
  EXPECT_EQ(err.find("3600s"), std::string::npos) << err;
}

// As PID 1 without a /proc to list the leftovers by: what was killed is counted in words, and
// no empty list follows.
TEST(Hostile, WithoutProcTheKillLineHasNoEmptyList) {
  LaunchSpec spec;
  spec.argv = {"/bin/sh", "-c",
               "mount -t tmpfs none /proc || exit 90; exec " + sh_quote(pidone_path()) +
                   " -v --grace 200ms -- /bin/sh -c \"trap '' TERM; sleep 100 & exit 4\""};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  EXPECT_EQ(init.wait_exit(15s), 4);
  const std::string err = init.err().read_rest(1s);
  EXPECT_NE(err.find("expired: killed"), std::string::npos) << err;
  EXPECT_EQ(err.find("1 processes"), std::string::npos) << err;
  EXPECT_EQ(err.find(": \n"), std::string::npos) << "an empty list:\n" << err;
}

}  // namespace
}  // namespace pidone::testing

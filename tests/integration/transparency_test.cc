// Transparency (issue 11): what pidone's caller gives pidone, the child gets, and pidone keeps
// nothing of it. Each test runs the real binary as PID 1 of a new PID namespace, or as a
// subreaper where that is the point, and checks what the kernel did: the child's signal state
// and process group, pidone's working directory and descriptors, where a kill(0) lands.
// (ChildState.* in child_state_test.cc has the mask and ignored set seen by `testkid state`.)
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>

#include <filesystem>

#include "fixture.h"

namespace pidone::testing {
namespace {

// pidone as PID 1 (true) or as a plain child that registers as a subreaper (false).
std::string where(const ::testing::TestParamInfo<bool>& info) {
  return info.param ? "AsPid1" : "AsASubreaper";
}

std::string sh_path() {
  return "/bin/sh";
}

// The host PIDs of the processes below `pid` (zombies included), from the host's /proc.
std::vector<proc::ProcStat> below(pid_t pid) {
  return proc::descendants_of(proc::scan_processes(), pid);
}

// ---- 1. Inherited signal state ------------------------------------------------------------

// `nohup pidone -- cmd` leaves cmd immune to SIGHUP, as `nohup cmd` does: the child gets the
// ignored dispositions pidone inherited.
TEST(Transparency, NohupPidoneLeavesTheChildImmuneToSighup) {
  LaunchSpec spec;
  spec.argv = {"/usr/bin/nohup", pidone_path(), "--",
               sh_path(),        "-c",          "kill -HUP $$; echo survived"};
  if (::access(spec.argv[0].c_str(), X_OK) != 0) {
    GTEST_SKIP() << "nohup is not installed";
  }
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  EXPECT_TRUE(init.out().wait_for("survived")) << init.err().read_rest(1s);
  EXPECT_EQ(init.wait_exit(), 0);
}

// The control: without nohup the same command dies of its SIGHUP, and pidone says so.
TEST(Transparency, WithoutNohupTheChildDiesOfSighup) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, {sh_path(), "-c", "kill -HUP $$; echo survived"}));
  EXPECT_EQ(init.wait_exit(), 128 + SIGHUP);
  EXPECT_EQ(init.out().read_rest().find("survived"), std::string::npos);
}

// --reset-signals gives the child an empty mask and default dispositions whatever pidone
// inherited. Runs only once the option exists (pidone --help lists it).
TEST(Transparency, ResetSignalsGivesTheChildDefaults) {
  const ToolRun help = run_tool({pidone_path(), "--help"});
  if (help.out.find("--reset-signals") == std::string::npos) {
    GTEST_SKIP() << "pidone --help does not list --reset-signals (not there yet)";
  }
  LaunchSpec spec = pidone_running({"--reset-signals"}, testkid({"state"}));
  spec.blocked = sys::SignalSet().add(SIGUSR1).add(SIGRTMIN);
  spec.ignored = sys::SignalSet().add(SIGHUP).add(SIGINT);
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  auto line = init.out().wait_for("state ");
  ASSERT_TRUE(line) << init.err().read_rest(1s);
  EXPECT_NE(line->find("sigblk=0000000000000000 sigign=0000000000000000"), std::string::npos)
      << *line;
  EXPECT_EQ(init.wait_exit(), 0);
}

// ---- 2. Its own process group -------------------------------------------------------------

class OwnGroup : public ::testing::TestWithParam<bool> {};

// The child leads a group of its own, so `kill -- -$$` (dash spells it `kill -0 -$$`) and a
// `trap 'kill -- -$$' EXIT` reach its own group.
TEST_P(OwnGroup, TheChildCanSignalItsOwnGroup) {
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_running({}, {sh_path(), "-c", "kill -0 -$$ && echo group-ok"}, GetParam()));
  EXPECT_TRUE(init.out().wait_for("group-ok")) << init.err().read_rest(1s);
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST_P(OwnGroup, TheChildLeadsItsGroupAndPidoneStaysInItsOwn) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"state"}), GetParam()));
  auto line = init.out().wait_for("state ");
  ASSERT_TRUE(line) << init.err().read_rest(1s);
  const pid_t pid = static_cast<pid_t>(std::stol(line->substr(line->find("pid=") + 4)));
  EXPECT_NE(line->find(" pgid=" + std::to_string(pid) + " "), std::string::npos) << *line;
  if (!GetParam()) {
    EXPECT_EQ(::getpgid(init.pid()), ::getpgrp()) << "pidone itself left the caller's group";
  }
  EXPECT_EQ(init.wait_exit(), 0);
}

INSTANTIATE_TEST_SUITE_P(Transparency, OwnGroup, ::testing::Bool(), where);

// A process started by the test in a process group of its own, its stdout on a pipe; waited
// for with a deadline, SIGKILLed and reaped if still there at the end.
class Forked {
 public:
  // Runs `argv` in process group `group` (0: a new one led by the process itself).
  Forked(std::vector<std::string> argv, pid_t group) {
    std::vector<char*> args;
    for (auto& a : argv) {
      args.push_back(a.data());
    }
    args.push_back(nullptr);
    std::array<int, 2> out{};
    if (::pipe2(out.data(), O_CLOEXEC) != 0) {
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, group);
      ::dup2(out[1], STDOUT_FILENO);
      ::execv(args[0], args.data());
      ::_exit(122);
    }
    if (pid_ > 0) {
      ::setpgid(pid_, group == 0 ? pid_ : group);  // both sides: no race with the exec
    }
    ::close(out[1]);
    out_ = LineReader(sys::UniqueFd(out[0]));
  }
  Forked(const Forked&) = delete;
  Forked& operator=(const Forked&) = delete;
  ~Forked() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  [[nodiscard]] pid_t pid() const { return pid_; }
  LineReader& out() { return out_; }
  // Exit code (N or 128+S), or nullopt past the deadline.
  std::optional<int> wait_exit(Clock::duration timeout) {
    const bool done = eventually(
        [&] {
          int status = 0;
          if (::waitpid(pid_, &status, WNOHANG) != pid_) {
            return false;
          }
          code_ = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
          pid_ = -1;
          return true;
        },
        timeout);
    return done ? code_ : std::nullopt;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> code_;
  LineReader out_;
};

class KillZero : public ::testing::TestWithParam<bool> {};

// `kill 0` from the child reaches its own group only, never the processes beside pidone (the
// caller's group: a shell, a CI runner, another container's processes under plain unshare).
// The witness shares pidone's process group and blocks every signal: whatever reached it is
// still pending in its ShdPnd when pidone has exited. As PID 1 the namespace comes from
// `unshare --pid --fork`, which keeps the caller's group (Launched would make a new session).
TEST_P(KillZero, FromTheChildStaysInsideItsGroup) {
  const bool as_pid1 = GetParam();
  if (as_pid1) {
    if (auto reason = pid_namespace_unavailable()) {
      GTEST_SKIP() << *reason;
    }
    if (::access("/usr/bin/unshare", X_OK) != 0) {
      GTEST_SKIP() << "unshare is not installed (util-linux)";
    }
  }
  Forked witness(testkid({"hold"}), 0);
  ASSERT_GT(witness.pid(), 0);
  ASSERT_TRUE(witness.out().wait_for("ready")) << "the witness did not start";
  std::vector<std::string> argv;
  if (as_pid1) {
    argv = {"/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child"};
  }
  const std::vector<std::string> init = {pidone_path(), "--", sh_path(), "-c",
                                         "kill -WINCH 0 && echo sent"};
  argv.insert(argv.end(), init.begin(), init.end());
  Forked pidone(argv, witness.pid());
  ASSERT_GT(pidone.pid(), 0);
  EXPECT_TRUE(pidone.out().wait_for("sent")) << pidone.out().seen();
  EXPECT_EQ(pidone.wait_exit(20s), 0);
  // kill() returned in the child before it exited: what it sent is pending by now.
  const auto pending = status_hex(witness.pid(), "ShdPnd");
  ASSERT_TRUE(pending);
  EXPECT_EQ(*pending, 0U) << "the child's kill(0) reached a process outside its group (ShdPnd "
                          << std::hex << *pending << ")";
  ::kill(witness.pid(), SIGUSR2);
  EXPECT_EQ(witness.wait_exit(10s), 0);
}

INSTANTIATE_TEST_SUITE_P(Transparency, KillZero, ::testing::Bool(), where);

// ---- 3. No directory, no descriptors held -------------------------------------------------

std::string link_target(const std::string& path) {
  std::error_code error;
  auto target = std::filesystem::read_symlink(path, error);
  return error ? std::string() : target.string();
}

// pidone holds no directory once the child runs (the workdir can be unmounted); the child
// keeps the one it was started in.
TEST(Transparency, PidoneHoldsNoDirectoryTheChildKeepsItsOwn) {
  LaunchSpec spec;
  spec.argv = {sh_path(), "-c",
               "cd /tmp && exec " + sh_quote(pidone_path()) + " -- " + sh_quote(testkid_path()) +
                   " signals"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(init.out().wait_for("ready")) << init.err().read_rest(1s);
  const std::string cwd = "/proc/" + std::to_string(init.pid()) + "/cwd";
  EXPECT_TRUE(eventually([&] { return link_target(cwd) == "/"; }, 10s))
      << "pidone's working directory is " << link_target(cwd);
  const auto children = below(init.pid());
  ASSERT_EQ(children.size(), 1U);
  EXPECT_EQ(link_target("/proc/" + std::to_string(children.front().pid) + "/cwd"), "/tmp");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// An inherited descriptor 7: the child has it, pidone does not keep a copy.
TEST(Transparency, PidoneHoldsNoInheritedDescriptorTheChildKeepsIt) {
  LaunchSpec spec;
  spec.argv = {sh_path(), "-c",
               "exec 7</etc/passwd; exec " + sh_quote(pidone_path()) + " -- " +
                   sh_quote(testkid_path()) + " signals"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(init.out().wait_for("ready")) << init.err().read_rest(1s);
  const std::string fd7 = "/proc/" + std::to_string(init.pid()) + "/fd/7";
  EXPECT_TRUE(eventually([&] { return link_target(fd7).empty(); }, 10s))
      << "pidone still holds " << link_target(fd7);
  const auto children = below(init.pid());
  ASSERT_EQ(children.size(), 1U);
  EXPECT_EQ(link_target("/proc/" + std::to_string(children.front().pid) + "/fd/7"), "/etc/passwd");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// catatonit#12: the write end of a pipe is inherited; the child closes it and runs on. The
// reader sees EOF (POLLHUP) while pidone still runs: pidone held no copy.
TEST(Transparency, APipeTheChildClosesReachesEofWhilePidoneRuns) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Non-blocking, so the open does not wait for a writer; POLLHUP only once a writer came and
  // every copy of its end is closed.
  const sys::UniqueFd reader(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  ASSERT_TRUE(reader.valid());
  LaunchSpec spec;
  spec.argv = {sh_path(), "-c",
               "exec 7>" + sh_quote(fifo) + "; exec " + sh_quote(pidone_path()) + " -- " +
                   sh_quote(sh_path()) + " -c 'exec 7>&-; exec \"$0\" signals' " +
                   sh_quote(testkid_path())};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(init.out().wait_for("ready")) << init.err().read_rest(1s);
  pollfd hup{reader.get(), POLLIN, 0};
  const bool eof = eventually(
      [&] {
        hup.revents = 0;
        return ::poll(&hup, 1, 0) == 1 && (hup.revents & POLLHUP) != 0;
      },
      5s);
  EXPECT_TRUE(eof) << "the reader never saw EOF: someone still holds the write end";
  auto stat = proc::read_stat(init.pid());
  ASSERT_TRUE(stat) << "pidone is gone";
  EXPECT_NE(stat->state, 'Z');
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// ---- 4. Fault signals sent by kill() ------------------------------------------------------

// `kill -ABRT 1` from inside the namespace (docker exec ... kill, a sidecar): forwarded like
// any other signal, for each fault signal. From the parent namespace: ForwardEverySignal.*.
TEST(Transparency, FaultSignalsSentFromInsideReachTheChild) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals", std::to_string(SIGUSR2)})));
  ASSERT_TRUE(init.out().wait_for("ready")) << init.err().read_rest(1s);
  for (const int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS}) {
    EXPECT_EQ(send_from_inside(init.pid(), sig), 0);
    EXPECT_TRUE(init.out().wait_for("signal " + std::to_string(sig) + " ", 5s))
        << sys::signal_name(sig) << " from inside did not reach the child:\n"
        << init.out().seen();
  }
  init.send(SIGUSR2);
  EXPECT_EQ(init.wait_exit(), 0);
}

// The kernel fact pidone relies on to block SIGSEGV and the rest: a real fault still kills a
// process that blocks every signal (the kernel unblocks it and applies the default action).
TEST(Transparency, ARealFaultKillsAProcessThatBlocksEverySignal) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"fault"})));
  EXPECT_TRUE(init.out().wait_for("faulting")) << init.err().read_rest(1s);
  EXPECT_EQ(init.wait_exit(), 128 + SIGSEGV);
}

// ---- 5. Socket activation: LISTEN_PID -----------------------------------------------------

constexpr const char* kShowListenPid = "echo listen=$LISTEN_PID pid=$$";

TEST(Transparency, ListenPidNamingPidoneIsMadeTheChildsAsPid1) {
  LaunchSpec spec = pidone_running({}, {sh_path(), "-c", kShowListenPid});
  spec.extra_env = {"LISTEN_PID=1", "LISTEN_FDS=1"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  auto line = init.out().wait_for("listen=");
  ASSERT_TRUE(line) << init.err().read_rest(1s);
  EXPECT_EQ(*line, "listen=2 pid=2");
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(Transparency, ListenPidNamingPidoneIsMadeTheChildsAsASubreaper) {
  LaunchSpec spec;
  spec.pid_namespace = false;
  spec.argv = {sh_path(), "-c",
               "export LISTEN_PID=$$; exec " + sh_quote(pidone_path()) + " -- " + sh_path() +
                   " -c " + sh_quote(kShowListenPid)};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  auto line = init.out().wait_for("listen=");
  ASSERT_TRUE(line) << init.err().read_rest(1s);
  EXPECT_EQ(init.wait_exit(), 0);
  // listen=N pid=N with N the child's PID, not pidone's.
  const std::string listen = line->substr(7, line->find(' ') - 7);
  EXPECT_EQ(*line, "listen=" + listen + " pid=" + listen);
  EXPECT_NE(listen, std::to_string(init.pid()));
}

TEST(Transparency, AnotherListenPidIsPassedUnchanged) {
  LaunchSpec spec = pidone_running({}, {sh_path(), "-c", kShowListenPid});
  spec.extra_env = {"LISTEN_PID=4242"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  auto line = init.out().wait_for("listen=");
  ASSERT_TRUE(line) << init.err().read_rest(1s);
  EXPECT_EQ(*line, "listen=4242 pid=2");
  EXPECT_EQ(init.wait_exit(), 0);
}

}  // namespace
}  // namespace pidone::testing

// Drop-in compatibility, checked differentially: the Debian tini, dumb-init and catatonit and
// pidone under the same name run the same scenarios; exit status, what the child received
// and what was left must agree. Where pidone differs on purpose (docs/compat.md) the test says
// so and checks pidone's side.
#include <unistd.h>

#include <fstream>
#include <set>

#include "fixture.h"

namespace pidone::testing {
namespace {

struct Anchor {
  const char* name;      // the personality's name
  const char* original;  // the Debian package's binary
};

constexpr Anchor kTini{"tini", "/usr/bin/tini"};
constexpr Anchor kDumbInit{"dumb-init", "/usr/bin/dumb-init"};
constexpr Anchor kCatatonit{"catatonit", "/usr/bin/catatonit"};

// pidone under the personality's name: the build's symlink next to the pidone binary.
std::string ours(const Anchor& a) {
  const std::string path = pidone_path();
  return path.substr(0, path.rfind('/') + 1) + a.name;
}

using Outcome = ToolRun;

Outcome run(const std::string& binary, std::vector<std::string> args, bool pid_namespace,
            std::vector<std::string> env = {}) {
  args.insert(args.begin(), binary);
  return run_tool(std::move(args), pid_namespace, std::move(env), 10s);
}

#define SKIP_WITHOUT(anchor)                                                                    \
  if (::access((anchor).original, X_OK) != 0) {                                                 \
    GTEST_SKIP() << (anchor).original << " is not installed (apt-get install " << (anchor).name \
                 << ")";                                                                        \
  }

class Compat : public ::testing::TestWithParam<Anchor> {};

TEST_P(Compat, VersionAndHelpUseTheSameStreamAndShape) {
  const Anchor a = GetParam();
  SKIP_WITHOUT(a);
  const char* version = std::string(a.name) == "catatonit" ? "-V" : "--version";
  const Outcome theirs = run(a.original, {version}, false);
  const Outcome mine = run(ours(a), {version}, false);
  EXPECT_EQ(mine.code, theirs.code);
  const std::string their_text = theirs.out.empty() ? theirs.err : theirs.out;
  const std::string my_text = theirs.out.empty() ? mine.err : mine.out;
  // Same first words ("tini version 0.19.0"), then pidone says what it is.
  EXPECT_TRUE(my_text.starts_with(their_text.substr(0, their_text.find('\n'))))
      << their_text << " vs " << my_text;
  const char* help = std::string(a.name) == "dumb-init" ? "--help" : "-h";
  const Outcome their_help = run(a.original, {help}, false);
  const Outcome my_help = run(ours(a), {help}, false);
  EXPECT_EQ(my_help.code, their_help.code);
  EXPECT_EQ(my_help.out.empty(), their_help.out.empty()) << "help on another stream";
}

TEST_P(Compat, BadInputGivesTheSameExitCode) {
  const Anchor a = GetParam();
  SKIP_WITHOUT(a);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--no-such-option", "true"}, {"-Z", "true"}, {}}) {
    EXPECT_EQ(run(ours(a), args, false).code, run(a.original, args, false).code)
        << a.name << " " << (args.empty() ? "(no program)" : args.front());
  }
}

TEST_P(Compat, ExecFailuresGiveTheSameExitCode) {
  const Anchor a = GetParam();
  SKIP_WITHOUT(a);
  for (const char* program : {"/nonexistent-program", "/etc/passwd", "/"}) {
    EXPECT_EQ(run(ours(a), {"--", program}, true).code, run(a.original, {"--", program}, true).code)
        << a.name << " " << program;
  }
}

TEST_P(Compat, ExitCodesAndDeathBySignalAgree) {
  const Anchor a = GetParam();
  SKIP_WITHOUT(a);
  for (int code = 0; code < 256; ++code) {
    const std::vector<std::string> args = {"--", testkid_path(), "exit", std::to_string(code)};
    EXPECT_EQ(run(ours(a), args, true).code, run(a.original, args, true).code) << code;
  }
  for (int sig : {SIGHUP, SIGINT, SIGKILL, SIGUSR1, SIGSEGV, SIGTERM}) {
    const std::vector<std::string> args = {"--", testkid_path(), "kill-self", std::to_string(sig)};
    EXPECT_EQ(run(ours(a), args, true).code, run(a.original, args, true).code) << sig;
  }
}

// Which of a list of signals sent to PID 1 from the parent namespace the child saw, as a sorted
// set (the order depends on which were pending together). The end marker is a real-time
// signal: pending signals are taken lowest first, so every standard signal sent before it is
// seen (or dropped) before it.
std::string received(const std::string& binary, std::vector<std::string> options) {
  const int marker = SIGRTMIN + 5;
  std::vector<std::string> argv = {binary};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.insert(argv.end(), {"--", testkid_path(), "signals", std::to_string(marker)});
  LaunchSpec spec;
  spec.argv = argv;
  auto init = Launched::start(spec);
  if (!init || !init->out().wait_for("ready")) {
    return "did not start";
  }
  std::set<int> seen;
  for (int sig : {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM, SIGWINCH, SIGCONT}) {
    init->send(sig);
  }
  init->send(marker);
  while (auto line = init->out().next_line(Clock::now() + 10s)) {
    if (line->starts_with("signal ")) {
      const int number = std::stoi(line->substr(7, line->find(' ', 7) - 7));
      seen.insert(number);
      if (number == marker) {
        break;
      }
    }
  }
  (void)init->wait_exit(10s);
  std::string text;
  for (const int sig : seen) {
    text += std::to_string(sig) + " ";
  }
  return text;
}

TEST_P(Compat, TheChildReceivesTheSameSignals) {
  const Anchor a = GetParam();
  SKIP_WITHOUT(a);
  if (auto reason = pid_namespace_unavailable()) {
    GTEST_SKIP() << *reason;
  }
  EXPECT_EQ(received(ours(a), {}), received(a.original, {}));
  const char* group = std::string(a.name) == "dumb-init" ? "-c" : "-g";
  EXPECT_EQ(received(ours(a), {group}), received(a.original, {group}));
}

INSTANTIATE_TEST_SUITE_P(Anchors, Compat, ::testing::Values(kTini, kDumbInit, kCatatonit),
                         [](const auto& param_info) {
                           std::string name = param_info.param.name;
                           std::erase(name, '-');
                           return name;
                         });

TEST(CompatTini, RemapAndSubreaperWarningAndDockerInitName) {
  SKIP_WITHOUT(kTini);
  const std::vector<std::string> remap = {"-e", "3", "--", testkid_path(), "exit", "3"};
  EXPECT_EQ(run(ours(kTini), remap, true).code, 0);
  EXPECT_EQ(run(kTini.original, remap, true).code, 0);
  // Not PID 1 and no -s: the same warning, and no subreaper.
  const Outcome mine = run(ours(kTini), {"--", "true"}, false);
  const Outcome theirs = run(kTini.original, {"--", "true"}, false);
  for (const Outcome* r : {&mine, &theirs}) {
    EXPECT_NE(r->err.find("isn't registered as a child subreaper"), std::string::npos) << r->err;
  }
  EXPECT_EQ(run(ours(kTini), {"-s", "--", "true"}, false).err.find("subreaper"), std::string::npos);
  EXPECT_EQ(run(ours(kTini), {"--", "true"}, false, {"TINI_SUBREAPER=1"}).err.find("subreaper"),
            std::string::npos);
  // docker run --init runs `docker-init -- COMMAND ARGS...`.
  const std::string path = pidone_path();
  const std::string docker_init = path.substr(0, path.rfind('/') + 1) + "docker-init";
  EXPECT_EQ(run(docker_init, {"--", testkid_path(), "exit", "7"}, true).code, 7);
}

TEST(CompatDumbInit, SessionModesAndRewrite) {
  SKIP_WITHOUT(kDumbInit);
  auto state = [](const std::string& binary, std::vector<std::string> options,
                  std::vector<std::string> env = {}) {
    options.insert(options.end(), {"--", testkid_path(), "state"});
    const Outcome r = run(binary, options, true, std::move(env));
    const auto pos = r.out.find("state ");
    return pos == std::string::npos ? r.out : r.out.substr(pos, r.out.find(" tpgid") - pos);
  };
  // Default: the child leads a new session; -c or DUMB_INIT_SETSID=0: it does not.
  EXPECT_EQ(state(ours(kDumbInit), {}), state(kDumbInit.original, {}));
  EXPECT_NE(state(ours(kDumbInit), {}).find("pid=2 pgid=2 sid=2"), std::string::npos);
  EXPECT_EQ(state(ours(kDumbInit), {"-c"}), state(kDumbInit.original, {"-c"}));
  EXPECT_EQ(state(ours(kDumbInit), {}, {"DUMB_INIT_SETSID=0"}),
            state(kDumbInit.original, {}, {"DUMB_INIT_SETSID=0"}));
  // -r 15:10: SIGTERM arrives as SIGUSR1; -r 10:0 drops SIGUSR1.
  EXPECT_EQ(received(ours(kDumbInit), {"-r", "15:10", "-r", "1:0"}),
            received(kDumbInit.original, {"-r", "15:10", "-r", "1:0"}));
}

// On a terminal dumb-init gives the tty up (TIOCNOTTY) so the child's new session takes it;
// the SIGHUP and SIGCONT the kernel then sends dumb-init are not passed on.
TEST(CompatDumbInit, OnATerminalTheChildsSessionTakesIt) {
  SKIP_WITHOUT(kDumbInit);
  auto state_on_pty = [](const std::string& binary) {
    LaunchSpec spec;
    spec.pty = true;
    spec.argv = {binary, "--", testkid_path(), "state"};
    auto init = Launched::start(spec);
    if (!init) {
      return std::string("did not start");
    }
    auto line = init->out().wait_for("state ");
    (void)init->wait_exit();
    if (!line) {
      return std::string("no state line: ") + init->out().seen();
    }
    return line->substr(line->find("state "), line->find(" sigblk") - line->find("state "));
  };
  const std::string mine = state_on_pty(ours(kDumbInit));
  EXPECT_EQ(mine, state_on_pty(kDumbInit.original));
  EXPECT_NE(mine.find("pid=2 pgid=2 sid=2 tpgid=2"), std::string::npos) << mine;
}

// Not PID 1, in setsid mode: SIGTSTP becomes SIGSTOP for the child's group, then dumb-init
// stops itself, so a shell above sees the job stopped.
TEST(CompatDumbInit, StopsWithTheChildOnSigtstp) {
  SKIP_WITHOUT(kDumbInit);
  for (const std::string& binary : {ours(kDumbInit), std::string(kDumbInit.original)}) {
    LaunchSpec spec;
    spec.pid_namespace = false;
    spec.argv = {binary, "--", testkid_path(), "signals"};
    PIDONE_LAUNCH_OR_SKIP(init, spec);
    ASSERT_TRUE(init.out().wait_for("ready")) << binary;
    const pid_t child = pid_from_line(init.out().seen().substr(init.out().seen().find("ready")));
    init.send(SIGTSTP);
    auto stopped = [](pid_t pid) {
      return eventually(
          [pid] {
            auto stat = proc::read_stat(pid);
            return stat && stat->state == 'T';
          },
          10s);
    };
    EXPECT_TRUE(stopped(child)) << binary << ": the child was not stopped";
    EXPECT_TRUE(stopped(init.pid())) << binary << " did not stop itself";
    init.send(SIGCONT);
    ::kill(child, SIGCONT);
    init.send(SIGTERM);
    EXPECT_TRUE(init.wait_exit().has_value()) << binary;
  }
}

TEST(CompatCatatonit, PauseModeEndsOnSigterm) {
  SKIP_WITHOUT(kCatatonit);
  if (auto reason = pid_namespace_unavailable()) {
    GTEST_SKIP() << *reason;
  }
  for (const std::string& binary : {ours(kCatatonit), std::string(kCatatonit.original)}) {
    LaunchSpec spec;
    spec.argv = {binary, "-P"};
    PIDONE_LAUNCH_OR_SKIP(init, spec);
    // Paused: no handshake line exists, so wait until it has blocked SIGTERM (before that, a
    // SIGTERM to an init with no handler is dropped by the kernel), then stop it.
    ASSERT_TRUE(eventually([&] { return blocks_signal(init.pid(), SIGTERM); }, 10s));
    init.send(SIGTERM);
    EXPECT_EQ(init.wait_exit(), 0) << binary;
  }
}

// Regression: pause mode once forwarded SIGTERM to "child 0", i.e. kill(0, SIGTERM): its own
// process group, which outside a new session holds whoever started it. Here pidone runs in
// the test's own group with SIGTERM blocked in the test: none may be pending afterwards.
TEST(CompatCatatonit, PauseModeNeverSignalsItsOwnProcessGroup) {
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigset_t previous;
  ASSERT_EQ(::sigprocmask(SIG_BLOCK, &term, &previous), 0);
  LaunchSpec spec;
  spec.pid_namespace = false;  // no setsid: pidone shares this process group
  spec.argv = {ours(kCatatonit), "-P"};
  {
    PIDONE_LAUNCH_OR_SKIP(paused, spec);
    // Ready once it runs as catatonit (before exec it still has the test's mask) and has
    // blocked SIGTERM.
    ASSERT_TRUE(eventually(
        [&]() -> bool {
          auto stat = proc::read_stat(paused.pid());
          return stat && stat->comm == "catatonit" && blocks_signal(paused.pid(), SIGTERM);
        },
        10s));
    paused.send(SIGTERM);
    EXPECT_EQ(paused.wait_exit(), 0);
  }
  sigset_t pending;
  sigemptyset(&pending);
  ASSERT_EQ(::sigpending(&pending), 0);
  EXPECT_FALSE(sigismember(&pending, SIGTERM)) << "pidone signalled its own process group";
  const timespec none{0, 0};
  while (::sigtimedwait(&term, nullptr, &none) == SIGTERM) {
  }
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
}

// The one behaviour that differs on purpose, under every name: pidone drains the rest with
// SIGTERM when the main child exits; the originals exit and the kernel SIGKILLs the rest.
TEST_P(Compat, LeftoverProcessesGetSigtermOnlyUnderPidone) {
  const Anchor a = GetParam();
  SKIP_WITHOUT(a);
  auto orphan_lines = [](const std::string& binary) {
    const Outcome r = run(binary, {"--", testkid_path(), "tree", "2", "term", "0"}, true);
    int got_term = 0;
    for (std::size_t pos = 0; (pos = r.out.find("child-got 15", pos)) != std::string::npos; ++pos) {
      ++got_term;
    }
    return std::pair{r.code, got_term};
  };
  const auto mine = orphan_lines(ours(a));
  const auto theirs = orphan_lines(a.original);
  EXPECT_EQ(mine.first, theirs.first);
  EXPECT_EQ(mine.second, 2);  // both handlers ran: pidone waited for them
  if (std::string(a.name) != "dumb-init") {
    EXPECT_EQ(theirs.second, 0);  // tini and catatonit exit; the kernel SIGKILLs them
  }
  // dumb-init sends its group SIGTERM when the child exits but does not wait: how many
  // handlers finish before the kernel's SIGKILL is a race, so it is not asserted.
}

}  // namespace
}  // namespace pidone::testing

// The exit status: the child's code, 128+N for death by signal N, and --remap-exit.
#include "fixture.h"

namespace pidone::testing {
namespace {

class ExitCodeGrid : public ::testing::TestWithParam<int> {};

TEST_P(ExitCodeGrid, ChildCodeIsPropagatedAsPid1) {
  const int code = GetParam();
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"exit", std::to_string(code)})));
  EXPECT_EQ(init.wait_exit(), code);
}

// Every code, as tini's suite does.
INSTANTIATE_TEST_SUITE_P(All, ExitCodeGrid, ::testing::Range(0, 256));

class DeathBySignal : public ::testing::TestWithParam<int> {};

TEST_P(DeathBySignal, Is128PlusTheSignal) {
  const int sig = GetParam();
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"kill-self", std::to_string(sig)})));
  EXPECT_EQ(init.wait_exit(), 128 + sig);
}

INSTANTIATE_TEST_SUITE_P(Common, DeathBySignal,
                         ::testing::Values(SIGHUP, SIGINT, SIGQUIT, SIGABRT, SIGKILL, SIGUSR1,
                                           SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGBUS,
                                           SIGRTMIN, SIGRTMAX),
                         signal_param_name);

TEST(RemapExit, RewritesOneCodeOnly) {
  PIDONE_LAUNCH_OR_SKIP(a, pidone_running({"--remap-exit", "143:0"},
                                          testkid({"kill-self", std::to_string(SIGTERM)})));
  EXPECT_EQ(a.wait_exit(), 0);
  PIDONE_LAUNCH_OR_SKIP(b, pidone_running({"--remap-exit", "143:0"}, testkid({"exit", "3"})));
  EXPECT_EQ(b.wait_exit(), 3);
}

TEST(RemapExit, ReadFromTheEnvironment) {
  LaunchSpec spec = pidone_running({}, testkid({"exit", "7"}));
  spec.extra_env = {"PIDONE_REMAP_EXIT=1:2,7:70"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  EXPECT_EQ(init.wait_exit(), 70);
}

TEST(Subreaper, ExitCodeAndDeathBySignalAsAPlainChild) {
  PIDONE_LAUNCH_OR_SKIP(a, pidone_running({}, testkid({"exit", "42"}), false));
  EXPECT_EQ(a.wait_exit(), 42);
  PIDONE_LAUNCH_OR_SKIP(b, pidone_running({}, testkid({"kill-self", "9"}), false));
  EXPECT_EQ(b.wait_exit(), 137);
}

TEST(Subreaper, SaysSoAtVerboseLevel) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({"-v"}, testkid({"exit", "0"}), false));
  EXPECT_EQ(init.wait_exit(), 0);
  EXPECT_NE(init.err().read_rest().find("child subreaper"), std::string::npos);
}

}  // namespace
}  // namespace pidone::testing

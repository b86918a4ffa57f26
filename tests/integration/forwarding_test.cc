// Forwarding: every signal pidone can receive reaches the child, from outside and inside.
#include <signal.h>

#include "fixture.h"

namespace pidone::testing {
namespace {

bool forwardable(int sig) {
  switch (sig) {
    case SIGKILL:
    case SIGSTOP:
    case SIGCHLD:  // not ours to forward
      return false;
    default:
      return true;
  }
}

std::vector<int> forwardable_signals() {
  std::vector<int> all;
  for (int sig = 1; sig <= 64; ++sig) {
    if (forwardable(sig)) {
      all.push_back(sig);
    }
  }
  return all;
}

class ForwardEverySignal : public ::testing::TestWithParam<int> {};

TEST_P(ForwardEverySignal, FromTheParentNamespaceToTheChild) {
  const int sig = GetParam();
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals", std::to_string(sig)})));
  ASSERT_TRUE(init.out().wait_for("ready")) << init.out().seen();
  init.send(sig);
  EXPECT_TRUE(init.out().wait_for("signal " + std::to_string(sig) + " "))
      << "signal " << sig << " not forwarded; saw:\n"
      << init.out().seen();
  EXPECT_EQ(init.wait_exit(), 0);
}

// All 1..64 but SIGKILL, SIGSTOP and SIGCHLD: the fault signals (sent by kill(), as
// `docker kill -s ABRT` does), the real-time ones and glibc's reserved 32 and 33 included.
INSTANTIATE_TEST_SUITE_P(All, ForwardEverySignal, ::testing::ValuesIn(forwardable_signals()),
                         signal_param_name);

TEST(Forwarding, KillFromInsideTheNamespaceReachesTheChild) {
  // The child reports SIGTERM without exiting on it (it exits on SIGUSR2): the namespace must
  // not end while the process that sent `kill 1` is still inside it.
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals", std::to_string(SIGUSR2)})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  // kill -9 1 from inside is dropped by the kernel for any init; pidone must still be there.
  EXPECT_EQ(send_from_inside(init.pid(), SIGKILL), 0);
  EXPECT_EQ(send_from_inside(init.pid(), SIGUSR1), 0);
  EXPECT_TRUE(init.out().wait_for("signal 10 ")) << init.out().seen();
  EXPECT_EQ(send_from_inside(init.pid(), SIGTERM), 0);  // `kill 1`, as in the seed
  EXPECT_TRUE(init.out().wait_for("signal 15 ")) << init.out().seen();
  init.send(SIGUSR2);
  EXPECT_EQ(init.wait_exit(), 0);
}

// The child's own group, all of it: as PID 1 and as a subreaper.
TEST(Forwarding, GroupTargetReachesTheWholeProcessGroup) {
  for (const bool pid_namespace : {true, false}) {
    SCOPED_TRACE(pid_namespace ? "as PID 1" : "as a subreaper");
    PIDONE_LAUNCH_OR_SKIP(init, pidone_running({"--signal-target", "group"},
                                               testkid({"tree", "2", "term"}), pid_namespace));
    ASSERT_TRUE(init.out().wait_for("ready")) << init.out().seen();
    init.send(SIGUSR1);
    const auto seen = read_group_reports(init.out(), "child-got 10 ", "signal 10 ", 2);
    EXPECT_EQ(seen.children, 2) << init.out().seen();
    EXPECT_TRUE(seen.parent) << init.out().seen();
    init.send(SIGTERM);
    EXPECT_EQ(init.wait_exit(), 0);
  }
}

TEST(Forwarding, ChildTargetReachesTheChildOnly) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"tree", "2", "term"})));
  ASSERT_TRUE(init.out().wait_for("ready")) << init.out().seen();
  init.send(SIGUSR1);
  ASSERT_TRUE(init.out().wait_for("signal 10 ")) << init.out().seen();
  init.send(SIGTERM);  // the child exits; its two children are then drained with SIGTERM
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  EXPECT_EQ(seen.find("child-got 10 "), std::string::npos) << seen;
  EXPECT_NE(seen.find("child-got 15 "), std::string::npos) << seen;
}

TEST(Forwarding, RewriteMapsAndDrops) {
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_running({"--rewrite", "USR1:0", "--rewrite", "HUP:USR2"}, testkid({"signals"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  init.send(SIGUSR1);  // dropped
  init.send(SIGHUP);   // arrives as SIGUSR2
  auto line = init.out().next_line(Clock::now() + 10s);
  ASSERT_TRUE(line) << init.out().seen();
  EXPECT_TRUE(line->starts_with("signal 12 ")) << *line;
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
  EXPECT_EQ(init.out().seen().find("signal 10 "), std::string::npos) << init.out().seen();
}

TEST(Forwarding, QueuedRealTimeSignalsKeepOrderAndValue) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  constexpr int kCount = 200;
  const int sig = SIGRTMIN + 1;
  for (int i = 0; i < kCount; ++i) {
    sigval value{};
    value.sival_int = i;
    ASSERT_EQ(::sigqueue(init.pid(), sig, value), 0);
  }
  for (int i = 0; i < kCount; ++i) {
    auto line = init.out().next_line(Clock::now() + 10s);
    ASSERT_TRUE(line) << "after " << i << ":\n" << init.out().seen();
    EXPECT_EQ(*line, "signal " + std::to_string(sig) + " code " + std::to_string(SI_QUEUE) +
                         " value " + std::to_string(i) + " from 1");
  }
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// A queued signal rewritten to another keeps its value: the child sees TO, SI_QUEUE and the
// value the sender gave.
TEST(Forwarding, QueuedValueSurvivesARewrite) {
  PIDONE_LAUNCH_OR_SKIP(init,
                        pidone_running({"--rewrite", "USR1:USR2", "--rewrite", "RTMIN+1:RTMIN+4"},
                                       testkid({"signals"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  sigval value{};
  value.sival_int = 4242;
  ASSERT_EQ(::sigqueue(init.pid(), SIGUSR1, value), 0);
  auto line = init.out().next_line(Clock::now() + 10s);
  ASSERT_TRUE(line) << init.out().seen();
  EXPECT_EQ(*line, "signal " + std::to_string(SIGUSR2) + " code " + std::to_string(SI_QUEUE) +
                       " value 4242 from 1");
  value.sival_int = 77;
  ASSERT_EQ(::sigqueue(init.pid(), SIGRTMIN + 1, value), 0);
  line = init.out().next_line(Clock::now() + 10s);
  ASSERT_TRUE(line) << init.out().seen();
  EXPECT_EQ(*line, "signal " + std::to_string(SIGRTMIN + 4) + " code " + std::to_string(SI_QUEUE) +
                       " value 77 from 1");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// With --signal-target group each member of the child's group gets the queued value.
TEST(Forwarding, QueuedValueReachesEachMemberOfTheGroup) {
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_running({"--signal-target", "group"}, testkid({"tree", "2", "report"})));
  ASSERT_TRUE(init.out().wait_for("ready")) << init.out().seen();
  const int sig = SIGRTMIN + 2;
  sigval value{};
  value.sival_int = 99;
  ASSERT_EQ(::sigqueue(init.pid(), sig, value), 0);
  const std::string tail = std::to_string(sig) + " code " + std::to_string(SI_QUEUE) + " value 99";
  const auto seen =
      read_group_reports(init.out(), "child-signal " + tail + " ", "signal " + tail + " ", 2);
  EXPECT_EQ(seen.children, 2) << init.out().seen();
  EXPECT_TRUE(seen.parent) << init.out().seen();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

}  // namespace
}  // namespace pidone::testing

// The drain: when the main child exits, the rest get SIGTERM (their handlers run), then
// SIGKILL after --grace; pidone exits with the main child's status once all are reaped.
#include "fixture.h"

namespace pidone::testing {
namespace {

int count_lines_starting(const std::string& text, const std::string& prefix) {
  int n = 0;
  std::size_t pos = 0;
  while ((pos = text.find(prefix, pos)) != std::string::npos) {
    if (pos == 0 || text[pos - 1] == '\n') {
      ++n;
    }
    pos += prefix.size();
  }
  return n;
}

TEST(Drain, OrphansGetSigtermAndTheirHandlersRunAsPid1) {
  PIDONE_LAUNCH_OR_SKIP(init,
                        pidone_running({"--grace", "30s"}, testkid({"tree", "3", "term", "5"})));
  EXPECT_EQ(init.wait_exit(40s), 5);
  init.out().read_rest();
  EXPECT_EQ(count_lines_starting(init.out().seen(), "child-got 15 "), 3) << init.out().seen();
  // and it did not take the grace period: the SIGKILL log line is absent
  EXPECT_EQ(init.err().read_rest().find("expired"), std::string::npos);
}

TEST(Drain, GraceExpiryKillsWhatIgnoresSigtermAndSaysWho) {
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_running({"--grace", "200ms"}, testkid({"tree", "2", "ignore", "0"})));
  EXPECT_EQ(init.wait_exit(), 0);
  const std::string err = init.err().read_rest();
  EXPECT_NE(err.find("grace period of 200ms expired"), std::string::npos) << err;
  EXPECT_NE(err.find("(testkid)"), std::string::npos) << err;
}

TEST(Drain, GraceZeroKillsAtOnce) {
  PIDONE_LAUNCH_OR_SKIP(init,
                        pidone_running({"--grace", "0"}, testkid({"tree", "2", "term", "4"})));
  EXPECT_EQ(init.wait_exit(), 4);
  init.out().read_rest();
  EXPECT_EQ(count_lines_starting(init.out().seen(), "child-got"), 0) << init.out().seen();
  EXPECT_NE(init.err().read_rest().find("killed"), std::string::npos);
}

TEST(Drain, NothingLeftExitsAtOnceWithTheChildsCode) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({"--grace", "60s"}, testkid({"exit", "9"})));
  EXPECT_EQ(init.wait_exit(30s), 9);
}

TEST(Drain, DescendantsOfASubreaperIncludingGrandchildren) {
  // The main child (exec'd testkid signals) has a child `tree` with two children of its own.
  // When the main child exits, tree is orphaned to pidone but its children are grandchildren
  // with a live parent: only a walk of /proc finds them.
  const std::string kid = testkid_path();
  PIDONE_LAUNCH_OR_SKIP(
      init,
      pidone_running({"--grace", "30s"},
                     {"sh", "-c", kid + " tree 2 term & exec " + kid + " signals USR1"}, false));
  ASSERT_TRUE(init.out().wait_for("ready")) << init.out().seen();
  ASSERT_TRUE(init.out().wait_for("ready")) << init.out().seen();
  init.send(SIGUSR1);  // the main child exits 0
  EXPECT_EQ(init.wait_exit(40s), 0);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  EXPECT_EQ(count_lines_starting(seen, "child-got 15 "), 2) << seen;
  EXPECT_EQ(count_lines_starting(seen, "signal 15 "), 1) << seen;
  EXPECT_TRUE(proc::descendants_of(proc::scan_processes(), init.pid()).empty());
}

TEST(StopTimeout, KillsAChildThatIgnoresTheStopSignal) {
  PIDONE_LAUNCH_OR_SKIP(init,
                        pidone_running({"--stop-timeout", "200ms"}, testkid({"signals", "USR2"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  init.send(SIGTERM);  // reported, not obeyed
  ASSERT_TRUE(init.out().wait_for("signal 15 "));
  EXPECT_EQ(init.wait_exit(), 128 + SIGKILL);
  EXPECT_NE(init.err().read_rest().find("SIGKILL"), std::string::npos);
}

}  // namespace
}  // namespace pidone::testing

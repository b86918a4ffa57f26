// Terminals: with a tty on stdin the child gets its own process group as the foreground group,
// so Ctrl-C reaches it from the tty and a shell's job control (Ctrl-Z, fg) works.
#include <unistd.h>

#include "fixture.h"

namespace pidone::testing {
namespace {

LaunchSpec on_a_pty(LaunchSpec spec) {
  spec.pty = true;
  return spec;
}

void type(const Launched& init, const std::string& keys) {
  ASSERT_EQ(::write(init.pty_master(), keys.data(), keys.size()),
            static_cast<ssize_t>(keys.size()));
}

TEST(Terminal, ChildLeadsTheForegroundGroup) {
  PIDONE_LAUNCH_OR_SKIP(init, on_a_pty(pidone_running({}, testkid({"state"}))));
  auto line = init.out().wait_for("state ");
  ASSERT_TRUE(line) << init.out().seen();
  EXPECT_NE(line->find("pid=2 pgid=2 sid=1 tpgid=2 "), std::string::npos) << *line;
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(Terminal, CtrlCReachesTheChild) {
  PIDONE_LAUNCH_OR_SKIP(init, on_a_pty(pidone_running({}, testkid({"signals", "2"}))));
  ASSERT_TRUE(init.out().wait_for("ready")) << init.out().seen();
  type(init, "\x03");
  EXPECT_TRUE(init.out().wait_for("signal 2 ")) << init.out().seen();
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(Terminal, BashJobControlWorks) {
  if (::access("/bin/bash", X_OK) != 0) {
    GTEST_SKIP() << "bash is not installed";
  }
  LaunchSpec spec = on_a_pty(pidone_running({}, {"/bin/bash", "--norc", "--noprofile", "-i"}));
  spec.extra_env = {"PS1=prompt> ", "TERM=dumb"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(init.out().wait_for("prompt> ")) << init.out().seen();
  // The job announces start and continuation with text its own echo does not contain. It
  // forks nothing: dash's vfork of `sleep` can be caught by ^Z between vfork and exec, which
  // leaves dash in D state and the job unstoppable (seen without pidone too).
  type(init,
       "bash -c 'trap \"echo cont-\\$((1+1))\" CONT; echo ready-$((40+2)); "
       "while :; do read -r -t 1 x; done'\n");
  ASSERT_TRUE(init.out().wait_for("ready-42")) << init.out().seen();
  type(init, "\x1a");  // Ctrl-Z
  ASSERT_TRUE(init.out().wait_for("Stopped")) << init.out().seen();
  type(init, "fg\n");
  ASSERT_TRUE(init.out().wait_for("cont-2")) << init.out().seen();
  type(init, "\x03");  // Ctrl-C: the job dies, bash takes the terminal back
  ASSERT_TRUE(init.out().wait_for("prompt> ")) << init.out().seen();
  type(init, "echo status=$?\n");
  ASSERT_TRUE(init.out().wait_for("status=130")) << init.out().seen();
  type(init, "exit 3\n");
  EXPECT_EQ(init.wait_exit(), 3);
  EXPECT_EQ(init.out().seen().find("no job control"), std::string::npos) << init.out().seen();
}

}  // namespace
}  // namespace pidone::testing

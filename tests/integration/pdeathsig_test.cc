// --pdeathsig: when pidone's parent dies, pidone gets the signal and forwards it as usual.
#include <sys/prctl.h>

#include "fixture.h"

namespace pidone::testing {
namespace {

TEST(Pdeathsig, ParentDeathIsForwardedToTheChild) {
  // The test becomes a subreaper so the orphaned pidone comes back to it: then its exit
  // status can be read and nothing is left to the host's init.
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
  LaunchSpec spec;
  spec.pid_namespace = false;
  spec.argv = {"/bin/sh", "-c", "\"$0\" --pdeathsig TERM -- \"$1\" signals & wait", pidone_path(),
               testkid_path()};
  PIDONE_LAUNCH_OR_SKIP(parent, spec);
  ASSERT_TRUE(parent.out().wait_for("ready")) << parent.err().read_rest(1s);
  std::vector<proc::ProcStat> below = proc::descendants_of(proc::scan_processes(), parent.pid());
  const auto init = std::find_if(below.begin(), below.end(),
                                 [](const proc::ProcStat& p) { return p.comm == "pidone"; });
  ASSERT_NE(init, below.end());
  const pid_t pidone_pid = init->pid;

  parent.send(SIGKILL);  // the parent dies; the kernel sends pidone SIGTERM
  EXPECT_EQ(parent.wait_exit(), 128 + SIGKILL);
  EXPECT_TRUE(parent.out().wait_for("signal 15 ")) << parent.out().seen();
  int status = 0;
  ASSERT_TRUE(
      eventually([&] { return ::waitpid(pidone_pid, &status, WNOHANG) == pidone_pid; }, 20s));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ::prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
}

}  // namespace
}  // namespace pidone::testing

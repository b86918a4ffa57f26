// pidone under valgrind memcheck through a whole life: start, forward a signal, forward the
// stop, drain two leftover processes, exit. 0 errors and 0 bytes definitely or indirectly
// lost. It uses a dynamically linked pidone (valgrind cannot see malloc in a static binary);
// valgrind 3.19 lacks pidfd_open, so this also runs pidone's paths for kernels without pidfds.
#include <unistd.h>

#include "fixture.h"

namespace pidone::testing {
namespace {

TEST(Valgrind, StartForwardDrainExitHasNoErrorsAndNoLeaks) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "valgrind cannot run an ASan build (make test runs this in the release build)";
#endif
  if (::access("/usr/bin/valgrind", X_OK) != 0) {
    GTEST_SKIP() << "valgrind is not installed (apt-get install valgrind)";
  }
  LaunchSpec spec;
  spec.pid_namespace = false;
  spec.argv = {"/usr/bin/valgrind",
               "--error-exitcode=99",
               "--leak-check=full",
               "--show-leak-kinds=definite,indirect",
               "--errors-for-leak-kinds=definite,indirect",
               PIDONE_TEST_PIDONE_DYNAMIC,
               "-v",
               "--grace",
               "5s",
               "--",
               testkid_path(),
               "tree",
               "2",
               "term"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(init.out().wait_for("ready", 60s)) << init.err().read_rest(1s);
  init.send(SIGUSR1);  // valgrind runs pidone in its own process: this PID is pidone's
  ASSERT_TRUE(init.out().wait_for("signal 10 ", 30s));
  init.send(SIGTERM);  // the child exits; its two children are drained with SIGTERM
  EXPECT_EQ(init.wait_exit(60s), 0);
  init.out().read_rest(5s);
  const std::string out = init.out().seen();
  const std::string err = init.err().read_rest(5s);
  EXPECT_NE(out.find("child-got 15"), std::string::npos) << out << err;
  EXPECT_NE(err.find("ERROR SUMMARY: 0 errors"), std::string::npos) << err;
  EXPECT_EQ(err.find("definitely lost: "), std::string::npos) << err;  // printed only if > 0
  EXPECT_EQ(err.find("indirectly lost: "), std::string::npos) << err;
}

}  // namespace
}  // namespace pidone::testing

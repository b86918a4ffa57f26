// What the C library decides for pidone, the same on musl (what ships) as on glibc: how the
// command is looked up and run (execvp), and what the real-time signals are called.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "fixture.h"

namespace pidone::testing {
namespace {

// A file that `sh` runs but the kernel refuses (no "#!" line), in a folder of its own.
class ScriptWithoutShebang : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/pidone-libc-test.XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    script_ = dir_ + "/no-shebang";
    std::ofstream(script_) << "echo \"ran with $# arguments: $*\"\nexit 7\n";
    ASSERT_EQ(::chmod(script_.c_str(), 0755), 0);
  }
  void TearDown() override {
    (void)::unlink(script_.c_str());
    (void)::rmdir(dir_.c_str());
  }
  std::string dir_;
  std::string script_;
};

TEST_F(ScriptWithoutShebang, RunsThroughTheShellAsExecvpRunsIt) {
  const ToolRun run = run_tool({pidone_path(), "--", script_, "a", "b"}, false, {}, 10s);
  EXPECT_EQ(run.code, 7) << run.err;
  EXPECT_EQ(run.out, "ran with 2 arguments: a b\n") << run.err;
}

TEST_F(ScriptWithoutShebang, IsFoundOnThePathToo) {
  const ToolRun run = run_tool(
      {"/usr/bin/env", "PATH=/nonexistent:" + dir_, pidone_path(), "no-shebang"}, false, {}, 10s);
  EXPECT_EQ(run.code, 7) << run.err;
}

TEST(Lookup, WithoutPathTheSearchIsBinAndUsrBin) {
  const ToolRun run = run_tool({"/usr/bin/env", "-u", "PATH", pidone_path(), "--", "true"});
  EXPECT_EQ(run.code, 0) << run.err;
  const ToolRun missing =
      run_tool({"/usr/bin/env", "-u", "PATH", pidone_path(), "--", "no-such-command-pidone"});
  EXPECT_EQ(missing.code, 127) << missing.err;
}

// RTMIN is 34 as in glibc and procps' kill -l (musl itself counts from 35): signal 36 is
// forwarded and logged as SIGRTMIN+2, and --rewrite RTMIN+2 names the same signal.
TEST(RealTimeSignals, AreNamedAsGlibcNamesThem) {
  const ToolRun run = run_tool({pidone_path(), "-vv", "--", "/bin/sh", "-c",
                                "trap 'echo got; exit 0' 36; kill -36 $PPID; sleep 5 & wait"},
                               false, {}, 10s);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.err.find("forwarding SIGRTMIN+2 to child"), std::string::npos) << run.err;
  const ToolRun rewritten =
      run_tool({pidone_path(), "--rewrite", "RTMIN+2:USR1", "--", "/bin/sh", "-c",
                "trap 'echo usr1; exit 0' USR1; kill -36 $PPID; sleep 5 & wait"},
               false, {}, 10s);
  EXPECT_EQ(rewritten.code, 0) << rewritten.err;
  EXPECT_EQ(rewritten.out, "usr1\n") << rewritten.err;
}

}  // namespace
}  // namespace pidone::testing

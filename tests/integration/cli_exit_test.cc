// Usage errors, help, version and exec failures: one line on stderr, the documented code.
#include "fixture.h"

namespace pidone::testing {
namespace {

using Outcome = ToolRun;

Outcome run_plain(std::vector<std::string> args, std::vector<std::string> env = {}) {
  args.insert(args.begin(), pidone_path());
  return run_tool(std::move(args), false, std::move(env), 5s);
}

int lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Cli, UsageErrorIsOneLineAndExit2) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{},
                                             {"--bogus", "true"},
                                             {"--grace", "forever", "true"},
                                             {"--signal-target", "everyone", "true"},
                                             {"--remap-exit", "999:0", "true"},
                                             {"--rewrite", "TERM:NOPE", "true"},
                                             {"--pdeathsig", "99", "true"},
                                             {"--grace"},
                                             {""}}) {
    const Outcome o = run_plain(args);
    EXPECT_EQ(o.code, 2) << o.err;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_TRUE(o.err.starts_with("pidone: ")) << o.err;
  }
}

TEST(Cli, BadEnvironmentIsAUsageError) {
  const Outcome o = run_plain({"true"}, {"PIDONE_GRACE=later"});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("PIDONE_GRACE"), std::string::npos) << o.err;
}

TEST(Cli, HelpAndVersionGoToStdoutAndExit0) {
  const Outcome help = run_plain({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Usage: pidone"), std::string::npos);
  const Outcome version = run_plain({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_TRUE(version.out.starts_with("pidone ")) << version.out;
}

TEST(Spawn, CommandNotFoundIs127AsPid1) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, {"no-such-command-pidone"}));
  EXPECT_EQ(init.wait_exit(), 127);
  const std::string err = init.err().read_rest();
  EXPECT_NE(err.find("no-such-command-pidone"), std::string::npos) << err;
  EXPECT_NE(err.find("No such file"), std::string::npos) << err;
  EXPECT_EQ(lines(err), 1) << err;
}

TEST(Spawn, NotExecutableIs126) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, {"/etc/passwd"}));
  EXPECT_EQ(init.wait_exit(), 126);
  EXPECT_NE(init.err().read_rest().find("Permission denied"), std::string::npos);
}

TEST(Spawn, DirectoryIs126) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, {"/"}));
  EXPECT_EQ(init.wait_exit(), 126);
}

TEST(Spawn, CommandIsLookedUpInPath) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, {"sh", "-c", "echo found-in-path"}));
  EXPECT_TRUE(init.out().wait_for("found-in-path"));
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(Spawn, QuietSilencesExecErrorButNotTheCode) {
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({"-q"}, {"no-such-command-pidone"}));
  EXPECT_EQ(init.wait_exit(), 127);
  // errors still print under -q: the one line that explains the 127
  EXPECT_NE(init.err().read_rest().find("cannot run"), std::string::npos);
}

}  // namespace
}  // namespace pidone::testing

// The lab as a test: every scenario must behave as the seed says on this kernel. This also
// re-checks the kernel facts pidone stands on (KERNEL-NOTES.md) from a second angle.
#include <regex>

#include "fixture.h"
#include "lab/container.h"

namespace pidone::testing {
namespace {

std::string lab_path() {
  return PIDONE_TEST_LAB;
}

using LabRun = ToolRun;

LabRun run_lab(std::vector<std::string> args) {
  args.insert(args.begin(), lab_path());
  // The zombies scenario forks and scans hundreds of processes: 13 s (podman: 60 s) on the
  // release build and 80 s on the ASan build when they have the machine to themselves; over
  // 100 s beside an image build on two cores.
#if defined(__SANITIZE_ADDRESS__)
  constexpr auto kLimit = 400s;
#else
  constexpr auto kLimit = 240s;
#endif
  return run_tool(std::move(args), false, {}, kLimit);
}

std::string verdict_of(const std::string& json, const std::string& scenario) {
  const std::regex pattern("\"name\": \"" + scenario + "\"[^\\n]*\"verdict\": \"([A-Z]+)\"");
  std::smatch match;
  return std::regex_search(json, match, pattern) ? match[1].str() : "missing";
}

class LabRuntime : public ::testing::TestWithParam<const char*> {};

TEST_P(LabRuntime, EveryScenarioBehavesAsTheSeedSays) {
  if (auto reason = pid_namespace_unavailable()) {
    GTEST_SKIP() << *reason;
  }
  const std::string runtime = GetParam();
  if (runtime == "runc" &&
      (::access("/usr/sbin/runc", X_OK) != 0 || ::access("/bin/busybox", X_OK) != 0)) {
    GTEST_SKIP() << "runc or busybox-static is not installed";
  }
  const LabRun run = run_lab({"all", "--json", "--zombies", "300", "--runtime", runtime});
  for (const char* scenario : {"kill-pid1", "zombies", "pids-limit", "stop", "basic-signals"}) {
    const std::string verdict = verdict_of(run.out, scenario);
    // pids-limit may SKIP where there is no pids controller; nothing may FAIL.
    if (std::string(scenario) == "pids-limit" && verdict == "SKIP") {
      continue;
    }
    EXPECT_EQ(verdict, "PASS") << scenario << "\n" << run.out << run.err;
  }
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("\"verdict\": \"PASS\"\n}"), std::string::npos) << run.out;
}

INSTANTIATE_TEST_SUITE_P(Runtimes, LabRuntime, ::testing::Values("namespaces", "runc", "podman"),
                         [](const auto& param_info) { return std::string(param_info.param); });

TEST(Lab, GoInitIsRunWhenGoIsInstalled) {
  if (auto reason = pid_namespace_unavailable()) {
    GTEST_SKIP() << *reason;
  }
  if (::access("/usr/bin/go", X_OK) != 0) {
    GTEST_SKIP() << "go is not installed (apt-get install golang-go): go-init is not built";
  }
  const LabRun run = run_lab({"kill-pid1", "--json"});
  EXPECT_NE(run.out.find("\"subject\": \"go-init\", \"action\": \"kill 1 (inside)\", "
                         "\"expected\": \"dies\", \"observed\": \"died (exit 2)\""),
            std::string::npos)
      << run.out;
}

TEST(Lab, UsageErrors) {
  EXPECT_EQ(run_lab({}).code, 2);
  EXPECT_EQ(run_lab({"no-such-scenario"}).code, 2);
  EXPECT_EQ(run_lab({"--zombies", "0", "all"}).code, 2);
  EXPECT_EQ(run_lab({"--runtime", "lxc", "all"}).code, 2);
  const LabRun help = run_lab({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("kill-pid1"), std::string::npos);
}

// The guard in front of every `kill 1`: never this machine's init, never ourselves.
TEST(Lab, GuardOnlyAcceptsPid1OfAnotherNamespace) {
  EXPECT_FALSE(lab::is_pid1_of_another_namespace(1));
  EXPECT_FALSE(lab::is_pid1_of_another_namespace(::getpid()));
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  EXPECT_TRUE(lab::is_pid1_of_another_namespace(init.pid()));
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

}  // namespace
}  // namespace pidone::testing

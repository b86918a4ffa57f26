#include "pidone/cli.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <map>

namespace pidone {
namespace {

struct Parse {
  std::map<std::string, std::string> env;
  std::expected<CliResult, std::string> operator()(std::vector<const char*> args) const {
    return parse_command_line(args, [this](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) {
        return std::nullopt;
      }
      return it->second;
    });
  }
};

TEST(Cli, CommandAfterOptionsIsTakenWhole) {
  auto r = Parse{}({"-v", "sleep", "-v", "10"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.command, (std::vector<std::string>{"sleep", "-v", "10"}));
  EXPECT_EQ(r->options.verbosity, 2);
}

TEST(Cli, DoubleDashEndsOptions) {
  auto r = Parse{}({"--", "-v"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->options.command, (std::vector<std::string>{"-v"}));
}

TEST(Cli, DefaultsMatchTheDocs) {
  auto r = Parse{}({"true"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->options.grace_ms, 5000);
  EXPECT_FALSE(r->options.stop_timeout_ms);
  EXPECT_EQ(r->options.signal_target, SignalTarget::kChild);
  EXPECT_EQ(r->options.verbosity, 1);
  EXPECT_EQ(r->options.pdeathsig, 0);
}

TEST(Cli, MissingCommandIsAUsageError) {
  auto r = Parse{}({"-v"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("no command"), std::string::npos);
}

TEST(Cli, EmptyCommandIsAUsageError) {
  EXPECT_FALSE(Parse{}({""}));
}

TEST(Cli, HelpAndVersionNeedNoCommand) {
  EXPECT_EQ(Parse{}({"--help"})->action, CliAction::kHelp);
  EXPECT_EQ(Parse{}({"-h"})->action, CliAction::kHelp);
  EXPECT_EQ(Parse{}({"--version"})->action, CliAction::kVersion);
  EXPECT_EQ(Parse{}({"-V"})->action, CliAction::kVersion);
}

TEST(Cli, UnknownOptionsAreNamed) {
  auto r = Parse{}({"--frobnicate", "true"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("--frobnicate"), std::string::npos);
  auto s = Parse{}({"-x", "true"});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("-x"), std::string::npos);
}

TEST(Cli, ValueForms) {
  auto r = Parse{}({"--grace=250ms", "--stop-timeout", "8s", "--signal-target=group", "true"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.grace_ms, 250);
  EXPECT_EQ(r->options.stop_timeout_ms, 8000);
  EXPECT_EQ(r->options.signal_target, SignalTarget::kGroup);
}

TEST(Cli, MissingValueIsAnError) {
  auto r = Parse{}({"--grace"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("needs a value"), std::string::npos);
}

TEST(Cli, FlagWithValueIsAnError) {
  EXPECT_FALSE(Parse{}({"--quiet=1", "true"}));
}

TEST(Cli, ScalarOptionTwiceIsAnError) {
  auto r = Parse{}({"--grace", "1s", "--grace", "2s", "true"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("more than once"), std::string::npos);
}

TEST(Cli, RemapExitIsRepeatable) {
  auto r = Parse{}({"--remap-exit", "143:0", "--remap-exit=130:0", "true"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->options.exit_code_map[143], 0);
  EXPECT_EQ(r->options.exit_code_map[130], 0);
  EXPECT_EQ(r->options.exit_code_map[1], 1);
}

TEST(Cli, RemapExitRejectsOutOfRange) {
  for (const char* bad : {"256:0", "1:256", "-1:0", "1", "1:2:3", ":", "a:b", ""}) {
    EXPECT_FALSE(Parse{}({"--remap-exit", bad, "true"})) << bad;
  }
}

TEST(Cli, RewriteTakesNamesNumbersAndZero) {
  auto r = Parse{}({"--rewrite", "TERM:QUIT", "--rewrite", "SIGUSR1:0", "--rewrite", "12:10", "x"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.signal_map[SIGTERM], SIGQUIT);
  EXPECT_EQ(r->options.signal_map[SIGUSR1], 0);
  EXPECT_EQ(r->options.signal_map[12], 10);
  EXPECT_EQ(r->options.signal_map[SIGHUP], SIGHUP);
}

TEST(Cli, RewriteRejectsBadSignals) {
  for (const char* bad : {"0:TERM", "TERM:65", "NOPE:TERM", "TERM", "TERM:QUIT:HUP"}) {
    EXPECT_FALSE(Parse{}({"--rewrite", bad, "true"})) << bad;
  }
}

TEST(Cli, PdeathsigTakesASignal) {
  EXPECT_EQ(Parse{}({"--pdeathsig", "KILL", "x"})->options.pdeathsig, SIGKILL);
  EXPECT_FALSE(Parse{}({"--pdeathsig", "0", "x"}));
}

TEST(Cli, VerboseCountsAndQuietSilences) {
  EXPECT_EQ(Parse{}({"-vvv", "x"})->options.verbosity, 4);
  EXPECT_EQ(Parse{}({"-q", "x"})->options.verbosity, 0);
  EXPECT_FALSE(Parse{}({"-q", "-v", "x"}));
}

TEST(Cli, EnvironmentSetsOptions) {
  Parse parse{{{"PIDONE_GRACE", "10s"},
               {"PIDONE_SIGNAL_TARGET", "group"},
               {"PIDONE_REMAP_EXIT", "143:0,130:1"},
               {"PIDONE_REWRITE", "TERM:QUIT"},
               {"PIDONE_STOP_TIMEOUT", "3s"},
               {"PIDONE_PDEATHSIG", "TERM"},
               {"PIDONE_VERBOSE", "2"}}};
  auto r = parse({"x"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.grace_ms, 10000);
  EXPECT_EQ(r->options.signal_target, SignalTarget::kGroup);
  EXPECT_EQ(r->options.exit_code_map[143], 0);
  EXPECT_EQ(r->options.exit_code_map[130], 1);
  EXPECT_EQ(r->options.signal_map[SIGTERM], SIGQUIT);
  EXPECT_EQ(r->options.stop_timeout_ms, 3000);
  EXPECT_EQ(r->options.pdeathsig, SIGTERM);
  EXPECT_EQ(r->options.verbosity, 3);
}

TEST(Cli, CommandLineWinsOverEnvironment) {
  Parse parse{{{"PIDONE_GRACE", "10s"}, {"PIDONE_REMAP_EXIT", "143:0"}, {"PIDONE_QUIET", "1"}}};
  auto r = parse({"--grace", "1s", "--remap-exit", "1:2", "-v", "x"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.grace_ms, 1000);
  EXPECT_EQ(r->options.exit_code_map[143], 143);  // the command line's list replaced the env's
  EXPECT_EQ(r->options.exit_code_map[1], 2);
  EXPECT_EQ(r->options.verbosity, 2);
}

TEST(Cli, BadEnvironmentValueNamesTheVariable) {
  Parse parse{{{"PIDONE_GRACE", "soon"}}};
  auto r = parse({"x"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("PIDONE_GRACE"), std::string::npos);
}

TEST(Cli, UsageListsEveryOptionAndItsEnvironmentRule) {
  const std::string text = usage_text();
  for (const char* name : {"--grace", "--stop-timeout", "--signal-target", "--remap-exit",
                           "--rewrite", "--pdeathsig", "--verbose", "--quiet", "PIDONE_"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace pidone

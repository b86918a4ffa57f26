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

#include "pidone/personality.h"

namespace pidone {
namespace {

Invocation as(Personality p, std::vector<const char*> args,
              std::map<std::string, std::string> env = {}) {
  return parse_invocation(p, args, [&env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
}

TEST(Personality, ChosenByTheBasenameOfArgv0) {
  EXPECT_EQ(personality_from_argv0("/sbin/docker-init"), Personality::kTini);
  EXPECT_EQ(personality_from_argv0("tini-static"), Personality::kTini);
  EXPECT_EQ(personality_from_argv0("/usr/bin/dumb-init"), Personality::kDumbInit);
  EXPECT_EQ(personality_from_argv0("catatonit"), Personality::kCatatonit);
  EXPECT_EQ(personality_from_argv0("/pidone"), Personality::kPidone);
  EXPECT_EQ(personality_from_argv0(nullptr), Personality::kPidone);
}

TEST(Personality, TiniOptionsAndEnvironment) {
  auto inv = as(Personality::kTini, {"-s", "-g", "-vv", "-e", "143", "-p", "SIGKILL", "--", "x"});
  ASSERT_EQ(inv.kind, Invocation::Kind::kRun) << inv.text;
  EXPECT_TRUE(inv.options.become_subreaper);
  EXPECT_EQ(inv.options.signal_target, SignalTarget::kGroup);
  EXPECT_EQ(inv.options.verbosity, 3);
  EXPECT_EQ(inv.options.exit_code_map[143], 0);
  EXPECT_EQ(inv.options.pdeathsig, SIGKILL);
  EXPECT_EQ(inv.options.command, (std::vector<std::string>{"x"}));
  auto env =
      as(Personality::kTini, {"x"}, {{"TINI_SUBREAPER", ""}, {"TINI_KILL_PROCESS_GROUP", "1"}});
  EXPECT_TRUE(env.options.become_subreaper);
  EXPECT_EQ(env.options.signal_target, SignalTarget::kGroup);
  EXPECT_FALSE(as(Personality::kTini, {"x"}).options.become_subreaper);
}

TEST(Personality, TiniBadInputExits1) {
  for (auto args : std::vector<std::vector<const char*>>{
           {}, {"-e", "256", "x"}, {"-e"}, {"-p", "NOPE", "x"}, {"-x", "y"}}) {
    auto inv = as(Personality::kTini, args);
    EXPECT_EQ(inv.kind, Invocation::Kind::kUsageError);
    EXPECT_EQ(inv.exit_code, 1);
  }
}

TEST(Personality, DumbInitDefaultsToSessionAndGroup) {
  auto inv = as(Personality::kDumbInit, {"-r", "15:10", "--rewrite=1:0", "cmd", "-c"});
  ASSERT_EQ(inv.kind, Invocation::Kind::kRun) << inv.text;
  EXPECT_TRUE(inv.options.new_session);
  EXPECT_EQ(inv.options.signal_target, SignalTarget::kGroup);
  EXPECT_EQ(inv.options.signal_map[15], 10);
  EXPECT_EQ(inv.options.signal_map[1], 0);
  EXPECT_EQ(inv.options.command, (std::vector<std::string>{"cmd", "-c"}));
  EXPECT_EQ(inv.options.exec_failure, ExecFailureCodes::kFixed);
  EXPECT_EQ(inv.options.exec_failure_exit, 2);
  EXPECT_FALSE(as(Personality::kDumbInit, {"-c", "x"}).options.new_session);
  EXPECT_FALSE(as(Personality::kDumbInit, {"x"}, {{"DUMB_INIT_SETSID", "0"}}).options.new_session);
  EXPECT_EQ(as(Personality::kDumbInit, {"--", "x"}).options.command,
            (std::vector<std::string>{"x"}));
  EXPECT_EQ(as(Personality::kDumbInit, {"--bogus", "x"}).exit_code, 1);
  EXPECT_TRUE(as(Personality::kDumbInit, {"--version"}).to_stderr);
}

TEST(Personality, CatatonitPauseNeedsNoProgram) {
  auto pause = as(Personality::kCatatonit, {"-P"});
  ASSERT_EQ(pause.kind, Invocation::Kind::kRun);
  EXPECT_TRUE(pause.options.pause);
  EXPECT_EQ(as(Personality::kCatatonit, {}).exit_code, 1);
  EXPECT_EQ(as(Personality::kCatatonit, {"-g", "x"}).options.signal_target, SignalTarget::kGroup);
  EXPECT_EQ(as(Personality::kCatatonit, {"x"}).options.exec_failure_exit, 1);
}

TEST(Personality, PidoneKeepsItsOwnExitCodeForUsageErrors) {
  EXPECT_EQ(as(Personality::kPidone, {}).exit_code, 2);
}

}  // namespace
}  // namespace pidone

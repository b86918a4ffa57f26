// What the command line and the environment do, run through the real binary under each of its
// names: usage errors (one line on stderr, the documented code), help, version, the value
// grammar, the command line over the environment, and exec failures.
#include "fixture.h"

namespace pidone::testing {
namespace {

using Outcome = ToolRun;

Outcome run_plain(std::vector<std::string> args, std::vector<std::string> env = {}) {
  args.insert(args.begin(), pidone_path());
  return run_tool(std::move(args), false, std::move(env), 5s);
}

// The binary under another of its names (the build's symlink), not PID 1.
std::string named(const std::string& name) {
  return pidone_path().substr(0, pidone_path().rfind('/') + 1) + name;
}
Outcome run_as(const std::string& name, std::vector<std::string> args,
               std::vector<std::string> env = {}) {
  args.insert(args.begin(), named(name));
  return run_tool(std::move(args), false, std::move(env), 10s);
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
  EXPECT_EQ(lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find("PIDONE_GRACE"), std::string::npos) << o.err;
}

TEST(Cli, CommandLineWinsOverABadVariable) {
  const std::vector<std::string> env = {"PIDONE_GRACE=abc"};
  EXPECT_EQ(run_plain({"--grace", "1s", "--", "true"}, env).code, 0);
  const Outcome help = run_plain({"--help"}, env);
  EXPECT_EQ(help.code, 0) << help.err;
  EXPECT_NE(help.out.find("Usage: pidone"), std::string::npos);
  EXPECT_EQ(run_plain({"--version"}, env).code, 0);
  EXPECT_EQ(run_plain({"-q", "--", "true"}, {"PIDONE_VERBOSE=lots", "PIDONE_QUIET=2"}).code, 0);
}

TEST(Cli, OneGrammarForEveryValue) {
  // Any number of leading zeros, in options and variables alike.
  EXPECT_EQ(run_plain({"--grace", "0000000005", "--", "true"}).code, 0);
  EXPECT_EQ(run_plain({"--", "sh", "-c", "exit 3"}, {"PIDONE_REMAP_EXIT=0003:000"}).code, 0);
  // Booleans: a word or 1/0, nothing else; empty is unset for every variable.
  EXPECT_EQ(run_plain({"--", "true"}, {"PIDONE_QUIET=yes", "PIDONE_RESET_SIGNALS=Off"}).code, 0);
  EXPECT_EQ(run_plain({"--", "true"}, {"PIDONE_GRACE=", "PIDONE_QUIET=", "PIDONE_REWRITE="}).code,
            0);
  for (const auto& env :
       std::vector<std::string>{"PIDONE_QUIET=2", "PIDONE_REWRITE=TERM:QUIT,",
                                "PIDONE_REMAP_EXIT=143:0,", "PIDONE_RESET_SIGNALS=maybe"}) {
    const Outcome o = run_plain({"--", "true"}, {env});
    EXPECT_EQ(o.code, 2) << env;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_NE(o.err.find(env.substr(0, env.find('='))), std::string::npos) << o.err;
  }
}

TEST(Cli, RewriteRefusesWhatNeverArrivesAndSaysWhy) {
  for (const char* from : {"KILL", "STOP", "CHLD"}) {
    const Outcome o = run_plain({"--rewrite", std::string(from) + ":TERM", "--", "true"});
    EXPECT_EQ(o.code, 2) << from;
    EXPECT_EQ(lines(o.err), 1) << o.err;
    EXPECT_NE(o.err.find(std::string("SIG") + from), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("never"), std::string::npos) << o.err;
  }
}

TEST(Cli, AValueWithANewlineStaysOneEscapedLine) {
  const Outcome o = run_plain({"--grace", "1s\npidone: all good\x1b[2J", "--", "true"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find("1s\\npidone: all good\\x1b[2J"), std::string::npos) << o.err;
  const Outcome env = run_plain({"--", "true"}, {"PIDONE_PDEATHSIG=TERM\n\xff"});
  EXPECT_EQ(env.code, 2);
  EXPECT_EQ(lines(env.err), 1) << env.err;
}

TEST(Cli, ResetSignalsGivesTheChildDefaultDispositions) {
  // The caller ignores SIGHUP (as nohup does); asked to reset, the child must not.
  for (const auto& [args, env] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--reset-signals"}, "PIDONE_RESET_SIGNALS="}, {{}, "PIDONE_RESET_SIGNALS=1"}}) {
    std::vector<std::string> argv = {"/bin/sh", "-c", "trap '' HUP; exec \"$0\" \"$@\"",
                                     pidone_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--", "grep", "^SigIgn:", "/proc/self/status"});
    const Outcome o = run_tool(argv, false, {env}, 5s);
    ASSERT_EQ(o.code, 0) << o.err;
    const auto mask = std::stoull(o.out.substr(o.out.find(':') + 1), nullptr, 16);
    EXPECT_EQ(mask & 1U, 0U) << o.out;  // bit 0: SIGHUP
  }
}

// ---- the same command line and environment under the originals' names ----

TEST(CliUnderEveryName, PidoneVariablesApply) {
  for (const std::string name : {"tini", "docker-init", "dumb-init", "catatonit"}) {
    const Outcome o =
        run_as(name, {"--", "sh", "-c", "exit 3"}, {"PIDONE_REMAP_EXIT=3:0", "PIDONE_QUIET=1"});
    EXPECT_EQ(o.code, 0) << name << ": " << o.err;
  }
}

TEST(CliUnderEveryName, ABadPidoneVariableIsAUsageErrorInTheOriginalsWords) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"tini", "[FATAL tini ("},
      {"tini-static", "[FATAL tini ("},
      {"dumb-init", "[dumb-init] "},
      {"catatonit", "ERROR (catatonit:"}};
  for (const auto& [name, prefix] : expected) {
    const Outcome o = run_as(name, {"--", "true"}, {"PIDONE_GRACE=bogus"});
    EXPECT_EQ(o.code, 1) << name;
    EXPECT_EQ(lines(o.err), 1) << name << ": " << o.err;
    EXPECT_TRUE(o.err.starts_with(prefix)) << name << ": " << o.err;
    EXPECT_NE(o.err.find("invalid value 'bogus' for PIDONE_GRACE"), std::string::npos) << o.err;
  }
  // The originals' help and version read no PIDONE_* variable.
  EXPECT_EQ(run_as("tini", {"--version"}, {"PIDONE_GRACE=bogus"}).code, 0);
  EXPECT_EQ(run_as("dumb-init", {"--help"}, {"PIDONE_GRACE=bogus"}).code, 0);
  EXPECT_EQ(run_as("catatonit", {"-V"}, {"PIDONE_GRACE=bogus"}).code, 0);
}

TEST(CliTini, GetoptsMessageNamesArgv0AsGiven) {
  const Outcome o = run_as("tini", {"-z"});
  EXPECT_EQ(o.code, 1);
  EXPECT_TRUE(o.err.starts_with(named("tini") + ": invalid option -- 'z'\ntini (tini version"))
      << o.err;
  const Outcome p = run_as("docker-init", {"-p", "KILL", "--", "true"});
  EXPECT_EQ(p.code, 1);
  EXPECT_TRUE(p.err.starts_with("[FATAL tini (")) << p.err;
  EXPECT_NE(p.err.find(")] Not a valid option for -p: KILL\n"), std::string::npos) << p.err;
  EXPECT_TRUE(run_as("docker-init", {"-h"}).out.starts_with("docker-init (tini version"));
}

TEST(CliTini, VerbosityVariableWinsOverV) {
  const Outcome silenced = run_as("tini", {"-s", "-vvv", "--", "true"}, {"TINI_VERBOSITY=0"});
  EXPECT_EQ(silenced.code, 0);
  EXPECT_EQ(silenced.out + silenced.err, "");
  const Outcome loud = run_as("tini", {"-s", "-vvv", "--", "true"});
  EXPECT_EQ(loud.code, 0);
  EXPECT_NE(loud.out + loud.err, "");
}

TEST(CliDumbInit, RewriteAsDumbInitReadsIt) {
  const std::string usage =
      "Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and 31.\n"
      "This option can be specified multiple times.\n"
      "Use --help for full usage.\n";
  for (const char* bad : {"1:32", "TERM:QUIT", "0:1"}) {
    const Outcome o = run_as("dumb-init", {"-r", "15:12", "-r", bad, "echo", "oh, hi"});
    EXPECT_EQ(o.code, 1) << bad;
    EXPECT_EQ(o.err, usage) << bad;
    EXPECT_EQ(o.out, "") << bad;
  }
  EXPECT_EQ(run_as("dumb-init", {"-r", "15:3:1", "--", "true"}).code, 0);
}

TEST(CliDumbInit, DebugOnlyWhenTheVariableIsExactlyOne) {
  for (const char* value : {"", "0", "yes"}) {
    const Outcome o =
        run_as("dumb-init", {"-c", "--", "true"}, {std::string("DUMB_INIT_DEBUG=") + value});
    EXPECT_EQ(o.code, 0);
    EXPECT_EQ(o.err, "") << "DUMB_INIT_DEBUG=" << value;
  }
  const Outcome debug = run_as("dumb-init", {"-c", "--", "true"}, {"DUMB_INIT_DEBUG=1"});
  EXPECT_EQ(debug.code, 0);
  EXPECT_NE(debug.err, "");
}

TEST(CliDumbInit, HelpEndsWithItsTrailerAndUsageNamesArgv0) {
  const Outcome help = run_as("dumb-init", {"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_TRUE(help.err.ends_with(
      "\n\nFull help is available online at https://github.com/Yelp/dumb-init\n"))
      << help.err;
  const Outcome none = run_as("dumb-init", {});
  EXPECT_EQ(none.code, 1);
  EXPECT_EQ(none.err, "Usage: " + named("dumb-init") + " [option] program [args]\nTry " +
                          named("dumb-init") + " --help for full usage.\n");
  const Outcome yolo = run_as("dumb-init", {"--yolo"});
  EXPECT_EQ(yolo.code, 1);
  EXPECT_EQ(yolo.err, named("dumb-init") + ": unrecognized option '--yolo'\n");
}

TEST(CliCatatonit, HelpAndUsageAsCatatonits) {
  const std::string usage = "usage: catatonit [-ghLPV] [--] <progname> [<arguments>...]\n";
  const Outcome help = run_as("catatonit", {"-h"});
  EXPECT_EQ(help.code, 0);
  EXPECT_TRUE(help.err.starts_with(usage)) << help.err;
  EXPECT_TRUE(
      help.err.ends_with("For bug reporting instructions, please see: "
                         "<https://bugs.opensuse.org/>.\n"))
      << help.err;
  const Outcome missing = run_as("catatonit", {});
  EXPECT_EQ(missing.code, 1);
  EXPECT_TRUE(missing.err.starts_with("ERROR (catatonit:")) << missing.err;
  EXPECT_TRUE(missing.err.ends_with("): missing program name\n" + usage)) << missing.err;
  const Outcome bad = run_as("catatonit", {"-Q"});
  EXPECT_EQ(bad.err, named("catatonit") + ": invalid option -- 'Q'\n" + usage);
  const Outcome reserved = run_as("catatonit", {"--", "true"}, {"CATATONIT_LOG=1"});
  EXPECT_EQ(reserved.code, 1);
  EXPECT_NE(reserved.err.find("CATATONIT_LOG is reserved for future use"), std::string::npos);
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

// The value grammar, the option scanner, pidone's own command line over its environment, and
// each personality's (tini, dumb-init, catatonit) over the same.
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

// ---- the grammar ----

TEST(Grammar, NumbersAreDigitsWithAnyLeadingZeros) {
  EXPECT_EQ(parse_number("5", 0, 255), 5);
  EXPECT_EQ(parse_number("000005", 0, 255), 5);
  EXPECT_EQ(parse_number("0000000005", 0, 255), 5);
  EXPECT_EQ(parse_number(std::string(100, '0') + "255", 0, 255), 255);
  EXPECT_EQ(parse_number("0", 0, 255), 0);
  for (const char* bad :
       {"", "256", "-1", "+1", " 1", "1 ", "0x10", "1e3", "\xd9\xa1", "99999999999999999999"}) {
    EXPECT_FALSE(parse_number(bad, 0, 255)) << bad;
  }
}

TEST(Grammar, BooleansInAnyCase) {
  for (const char* yes : {"1", "true", "TRUE", "Yes", "on", "ON"}) {
    EXPECT_EQ(parse_boolean(yes), true) << yes;
  }
  for (const char* no : {"0", "false", "No", "off", "OFF"}) {
    EXPECT_EQ(parse_boolean(no), false) << no;
  }
  for (const char* bad : {"", "2", "y", "n", "enable", "truefalse", " 1", "01"}) {
    EXPECT_FALSE(parse_boolean(bad)) << bad;
  }
}

TEST(Grammar, ListsRefuseEveryEmptyItem) {
  EXPECT_EQ(split_list("a,b"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(split_list("a"), (std::vector<std::string_view>{"a"}));
  EXPECT_EQ(split_list(""), (std::vector<std::string_view>{}));
  for (const char* bad : {",", "a,", ",a", "a,,b", ",,"}) {
    EXPECT_FALSE(split_list(bad)) << bad;
  }
}

TEST(Grammar, OnlyTheSignalsThatArriveCanBeRewritten) {
  EXPECT_NE(why_not_rewritable(SIGKILL), nullptr);
  EXPECT_NE(why_not_rewritable(SIGSTOP), nullptr);
  EXPECT_NE(why_not_rewritable(SIGCHLD), nullptr);
  for (const int sig : {SIGHUP, SIGTERM, SIGSEGV, SIGTSTP, SIGCONT, SIGRTMIN, SIGRTMAX}) {
    EXPECT_EQ(why_not_rewritable(sig), nullptr) << sig;
  }
}

// ---- the scanner, against what glibc's getopt_long does ----

constexpr std::array<LongOption, 3> kLongs = {{
    {"verbose", false, 'v'},
    {"version", false, 'V'},
    {"rewrite", true, 'r'},
}};

struct Scan {
  std::vector<std::string> seen;  // "v", "r=15:3", or "error: <getopt's message>"
  std::vector<std::string> operands;
};

Scan scan(ScannerRules rules, std::vector<const char*> args) {
  Scan result;
  OptionScanner scanner(rules, args);
  for (auto item = scanner.next(); item.kind != OptionScanner::Kind::kEnd; item = scanner.next()) {
    if (item.kind == OptionScanner::Kind::kError) {
      result.seen.push_back("error: " + getopt_message(item));
      return result;
    }
    std::string text(1, item.id);
    if (item.value != nullptr) {
      text += std::string("=") + item.value;
    }
    result.seen.push_back(text);
  }
  result.operands = scanner.operands();
  return result;
}

const ScannerRules kInOrder{"vVr:c", kLongs, false, true};
const ScannerRules kPermuting{"vVr:c", kLongs, true, true};

TEST(Scanner, ClustersAndValuesInEveryForm) {
  const Scan s = scan(
      kInOrder, {"-vc", "-r15:3", "-r", "1:2", "--rewrite=3:4", "--rewrite", "-5:6", "cmd", "-v"});
  EXPECT_EQ(s.seen, (std::vector<std::string>{"v", "c", "r=15:3", "r=1:2", "r=3:4", "r=-5:6"}));
  EXPECT_EQ(s.operands, (std::vector<std::string>{"cmd", "-v"}));
  EXPECT_EQ(scan(kInOrder, {"-cr", "9:0", "x"}).seen, (std::vector<std::string>{"c", "r=9:0"}));
}

TEST(Scanner, DoubleDashAndALoneDash) {
  EXPECT_EQ(scan(kInOrder, {"--", "-v"}).operands, (std::vector<std::string>{"-v"}));
  EXPECT_EQ(scan(kInOrder, {"-", "-v"}).operands, (std::vector<std::string>{"-", "-v"}));
  EXPECT_EQ(scan(kInOrder, {"cmd", "--", "x"}).operands,
            (std::vector<std::string>{"cmd", "--", "x"}));
  EXPECT_TRUE(scan(kInOrder, {}).operands.empty());
}

TEST(Scanner, PermutingTakesOptionsAfterOperands) {
  const Scan s = scan(kPermuting, {"a", "-v", "b", "--", "-c", "d"});
  EXPECT_EQ(s.seen, (std::vector<std::string>{"v"}));
  EXPECT_EQ(s.operands, (std::vector<std::string>{"a", "b", "-c", "d"}));
  EXPECT_EQ(scan(kPermuting, {"sh", "-c", "true", "-x"}).seen,
            (std::vector<std::string>{"c", "error: invalid option -- 'x'"}));
}

TEST(Scanner, AbbreviationsAndAmbiguity) {
  EXPECT_EQ(scan(kInOrder, {"--verb", "--rew=1:2", "x"}).seen,
            (std::vector<std::string>{"v", "r=1:2"}));
  EXPECT_EQ(scan(kInOrder, {"--ver"}).seen,
            (std::vector<std::string>{
                "error: option '--ver' is ambiguous; possibilities: '--verbose' '--version'"}));
  EXPECT_EQ(scan(kInOrder, {"--=x"}).seen.back(),
            "error: option '--=x' is ambiguous; possibilities: '--verbose' '--version' "
            "'--rewrite'");
  ScannerRules exact = kInOrder;
  exact.abbreviations = false;
  EXPECT_EQ(scan(exact, {"--verb"}).seen.back(), "error: unrecognized option '--verb'");
}

TEST(Scanner, GetoptsMessages) {
  EXPECT_EQ(scan(kInOrder, {"-x"}).seen.back(), "error: invalid option -- 'x'");
  EXPECT_EQ(scan(kInOrder, {"-r"}).seen.back(), "error: option requires an argument -- 'r'");
  EXPECT_EQ(scan(kInOrder, {"--rewrite"}).seen.back(),
            "error: option '--rewrite' requires an argument");
  EXPECT_EQ(scan(kInOrder, {"--verbose=1"}).seen.back(),
            "error: option '--verbose' doesn't allow an argument");
  EXPECT_EQ(scan(kInOrder, {"--yolo=1"}).seen.back(), "error: unrecognized option '--yolo=1'");
  EXPECT_EQ(scan(kInOrder, {"---x"}).seen.back(), "error: unrecognized option '---x'");
  // Without long options (tini's getopt), "--version" is "-", "v", ...
  EXPECT_EQ(scan(ScannerRules{"v", {}, true, false}, {"--version", "x"}).seen.back(),
            "error: invalid option -- '-'");
  // A control character is escaped: the message stays one line.
  EXPECT_EQ(scan(kInOrder, {"--yo\nlo"}).seen.back(), "error: unrecognized option '--yo\\nlo'");
}

TEST(Scanner, ErrorEndsTheScan) {
  std::vector<const char*> args = {"-x", "-v"};
  OptionScanner scanner(kInOrder, args);
  EXPECT_EQ(scanner.next().kind, OptionScanner::Kind::kError);
  EXPECT_EQ(scanner.next().kind, OptionScanner::Kind::kEnd);
}

// ---- pidone's command line ----

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
  const Options& o = r->options;
  EXPECT_EQ(o.grace_ms, 5000);
  EXPECT_FALSE(o.stop_timeout_ms);
  EXPECT_EQ(o.signal_target, SignalTarget::kChild);
  EXPECT_EQ(o.verbosity, 1);
  EXPECT_EQ(o.pdeathsig, 0);
  EXPECT_FALSE(o.reset_signals);
  EXPECT_EQ(o.personality, Personality::kPidone);
  EXPECT_TRUE(o.become_subreaper);
  EXPECT_FALSE(o.warn_not_subreaper);
  EXPECT_FALSE(o.new_session);
  EXPECT_EQ(o.end_when_not_pid1, EndPolicy::kDrain);
  EXPECT_EQ(o.exec_failure, ExecFailureCodes::kShell);
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

TEST(Cli, HelpAndVersionReadNoVariable) {
  const Parse parse{{{"PIDONE_GRACE", "abc"}, {"PIDONE_QUIET", "2"}}};
  EXPECT_EQ(parse({"--help"})->action, CliAction::kHelp);
  EXPECT_EQ(parse({"--version"})->action, CliAction::kVersion);
  EXPECT_FALSE(parse({"true"}));
}

TEST(Cli, UnknownOptionsAreNamed) {
  auto r = Parse{}({"--frobnicate", "true"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("'--frobnicate'"), std::string::npos) << r.error();
  auto s = Parse{}({"-x", "true"});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("'-x'"), std::string::npos) << s.error();
  // pidone takes no abbreviation: "--gra" is no --grace.
  EXPECT_FALSE(Parse{}({"--gra", "1s", "true"}));
}

TEST(Cli, ValueForms) {
  auto r = Parse{}({"--grace=250ms", "--stop-timeout", "8s", "--signal-target=group", "true"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.grace_ms, 250);
  EXPECT_EQ(r->options.stop_timeout_ms, 8000);
  EXPECT_EQ(r->options.signal_target, SignalTarget::kGroup);
}

TEST(Cli, NumbersTakeAnyLeadingZeros) {
  auto r = Parse{}({"--grace", "0000000005", "--remap-exit", "00143:000", "true"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.grace_ms, 5000);
  EXPECT_EQ(r->options.exit_code_map[143], 0);
}

TEST(Cli, StopTimeoutZeroMeansAtOnce) {
  auto r = Parse{}({"--stop-timeout", "0", "true"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.stop_timeout_ms, 0);
}

TEST(Cli, MissingValueIsAnError) {
  auto r = Parse{}({"--grace"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("needs a value (DURATION)"), std::string::npos) << r.error();
}

TEST(Cli, FlagWithValueIsAnError) {
  auto r = Parse{}({"--quiet=1", "true"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("takes no value"), std::string::npos) << r.error();
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
  for (const char* bad : {"256:0", "1:256", "-1:0", "1", "1:2:3", ":", "a:b", "", " 1:2"}) {
    EXPECT_FALSE(Parse{}({"--remap-exit", bad, "true"})) << bad;
  }
}

TEST(Cli, RewriteTakesNamesNumbersAndZero) {
  auto r = Parse{}({"--rewrite", "TERM:QUIT", "--rewrite", "SIGUSR1:0", "--rewrite", "12:10",
                    "--rewrite", "hup:rtmin+2", "--rewrite", "TSTP:STOP", "x"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.signal_map[SIGTERM], SIGQUIT);
  EXPECT_EQ(r->options.signal_map[SIGUSR1], 0);
  EXPECT_EQ(r->options.signal_map[12], 10);
  EXPECT_EQ(r->options.signal_map[SIGHUP], SIGRTMIN + 2);
  EXPECT_EQ(r->options.signal_map[SIGTSTP], SIGSTOP);  // STOP may be what is sent
  EXPECT_EQ(r->options.signal_map[SIGINT], SIGINT);
}

TEST(Cli, RewriteRejectsBadSignals) {
  for (const char* bad : {"0:TERM", "TERM:65", "NOPE:TERM", "TERM", "TERM:QUIT:HUP", "TERM:"}) {
    EXPECT_FALSE(Parse{}({"--rewrite", bad, "true"})) << bad;
  }
}

TEST(Cli, RewriteRefusesSignalsThatNeverArriveAndSaysWhy) {
  for (const char* from : {"KILL:TERM", "SIGSTOP:TERM", "chld:0", "9:15", "17:15"}) {
    auto r = Parse{}({"--rewrite", from, "true"});
    ASSERT_FALSE(r) << from;
    EXPECT_NE(r.error().find("never"), std::string::npos) << r.error();
  }
  auto env = Parse{{{"PIDONE_REWRITE", "TERM:QUIT,KILL:TERM"}}}({"true"});
  ASSERT_FALSE(env);
  EXPECT_NE(env.error().find("SIGKILL cannot be caught"), std::string::npos) << env.error();
}

TEST(Cli, PdeathsigTakesASignal) {
  EXPECT_EQ(Parse{}({"--pdeathsig", "KILL", "x"})->options.pdeathsig, SIGKILL);
  EXPECT_EQ(Parse{}({"--pdeathsig", "0015", "x"})->options.pdeathsig, SIGTERM);
  EXPECT_FALSE(Parse{}({"--pdeathsig", "0", "x"}));
}

TEST(Cli, VerboseCountsAndQuietSilences) {
  EXPECT_EQ(Parse{}({"-vvv", "x"})->options.verbosity, 4);
  EXPECT_EQ(Parse{}({"-vvvvvv", "x"})->options.verbosity, 4);
  EXPECT_EQ(Parse{}({"-q", "x"})->options.verbosity, 0);
  EXPECT_FALSE(Parse{}({"-q", "-v", "x"}));
}

TEST(Cli, ResetSignals) {
  EXPECT_TRUE(Parse{}({"--reset-signals", "x"})->options.reset_signals);
  EXPECT_TRUE((Parse{{{"PIDONE_RESET_SIGNALS", "1"}}}({"x"})->options.reset_signals));
  EXPECT_FALSE((Parse{{{"PIDONE_RESET_SIGNALS", "off"}}}({"x"})->options.reset_signals));
  EXPECT_FALSE((Parse{{{"PIDONE_RESET_SIGNALS", "2"}}}({"x"})));
}

TEST(Cli, EnvironmentSetsOptions) {
  Parse parse{{{"PIDONE_GRACE", "10s"},
               {"PIDONE_SIGNAL_TARGET", "group"},
               {"PIDONE_REMAP_EXIT", "143:0,130:1"},
               {"PIDONE_REWRITE", "TERM:QUIT,HUP:0"},
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
  EXPECT_EQ(r->options.signal_map[SIGHUP], 0);
  EXPECT_EQ(r->options.stop_timeout_ms, 3000);
  EXPECT_EQ(r->options.pdeathsig, SIGTERM);
  EXPECT_EQ(r->options.verbosity, 3);
}

TEST(Cli, EveryListRefusesAnEmptyItem) {
  for (const char* name : {"PIDONE_REMAP_EXIT", "PIDONE_REWRITE"}) {
    const char* item = std::string_view(name) == "PIDONE_REWRITE" ? "TERM:QUIT" : "143:0";
    for (const std::string& value :
         {std::string(item) + ",", "," + std::string(item), std::string(item) + ",," + item}) {
      auto r = Parse{{{name, value}}}({"x"});
      ASSERT_FALSE(r) << name << "=" << value;
      EXPECT_NE(r.error().find("empty item"), std::string::npos) << r.error();
    }
  }
}

TEST(Cli, AnEmptyVariableIsAnUnsetOne) {
  Parse parse{{{"PIDONE_GRACE", ""},
               {"PIDONE_SIGNAL_TARGET", ""},
               {"PIDONE_REMAP_EXIT", ""},
               {"PIDONE_REWRITE", ""},
               {"PIDONE_STOP_TIMEOUT", ""},
               {"PIDONE_PDEATHSIG", ""},
               {"PIDONE_VERBOSE", ""},
               {"PIDONE_QUIET", ""},
               {"PIDONE_RESET_SIGNALS", ""}}};
  auto r = parse({"x"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.grace_ms, kDefaultGrace);
  EXPECT_FALSE(r->options.stop_timeout_ms);
  EXPECT_EQ(r->options.verbosity, 1);
}

TEST(Cli, QuietIsABoolean) {
  EXPECT_EQ((Parse{{{"PIDONE_QUIET", "yes"}}}({"x"})->options.verbosity), 0);
  EXPECT_EQ((Parse{{{"PIDONE_QUIET", "OFF"}}}({"x"})->options.verbosity), 1);
  auto r = Parse{{{"PIDONE_QUIET", "2"}}}({"x"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("expected 1, 0, true, false, yes, no, on or off"), std::string::npos)
      << r.error();
  EXPECT_FALSE((Parse{{{"PIDONE_QUIET", "1"}, {"PIDONE_VERBOSE", "1"}}}({"x"})));
  EXPECT_EQ((Parse{{{"PIDONE_QUIET", "0"}, {"PIDONE_VERBOSE", "1"}}}({"x"})->options.verbosity), 2);
}

TEST(Cli, VerboseIsACount) {
  EXPECT_EQ((Parse{{{"PIDONE_VERBOSE", "3"}}}({"x"})->options.verbosity), 4);
  EXPECT_EQ((Parse{{{"PIDONE_VERBOSE", "0"}}}({"x"})->options.verbosity), 1);
  EXPECT_FALSE((Parse{{{"PIDONE_VERBOSE", "4"}}}({"x"})));
  EXPECT_FALSE((Parse{{{"PIDONE_VERBOSE", "yes"}}}({"x"})));
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

TEST(Cli, AnOverriddenVariableIsNeverAnError) {
  Parse parse{{{"PIDONE_GRACE", "abc"},
               {"PIDONE_STOP_TIMEOUT", "soon"},
               {"PIDONE_SIGNAL_TARGET", "all"},
               {"PIDONE_REMAP_EXIT", "1:2,,"},
               {"PIDONE_REWRITE", "KILL:TERM"},
               {"PIDONE_PDEATHSIG", "NOPE"},
               {"PIDONE_VERBOSE", "lots"},
               {"PIDONE_QUIET", "2"},
               {"PIDONE_RESET_SIGNALS", "maybe"}}};
  auto r = parse({"--grace", "1s", "--stop-timeout", "2s", "--signal-target", "child",
                  "--remap-exit", "3:4", "--rewrite", "HUP:TERM", "--pdeathsig", "TERM", "-q",
                  "--reset-signals", "true"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->options.grace_ms, 1000);
  EXPECT_EQ(r->options.verbosity, 0);
  // One option left out: its variable is read, and its bad value named.
  auto s = parse({"--grace", "1s", "true"});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("PIDONE_"), std::string::npos) << s.error();
  EXPECT_EQ(s.error().find("PIDONE_GRACE"), std::string::npos) << s.error();
}

TEST(Cli, BadEnvironmentValueNamesTheVariable) {
  Parse parse{{{"PIDONE_GRACE", "soon"}}};
  auto r = parse({"x"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("PIDONE_GRACE"), std::string::npos);
}

TEST(Cli, ErrorsAreOneLineWhateverTheValue) {
  const std::vector<std::string> hostile = {"1s\npidone: ok", "\x1b[2J", "\xff\xfe", "a\rb"};
  for (const std::string& value : hostile) {
    for (auto r :
         {Parse{}({"--grace", value.c_str(), "x"}), Parse{{{"PIDONE_GRACE", value}}}({"x"}),
          Parse{}({("--" + value).c_str(), "x"})}) {
      ASSERT_FALSE(r);
      for (const char c : r.error()) {
        EXPECT_TRUE(c >= 0x20 && c < 0x7f) << r.error();
      }
    }
  }
}

TEST(Cli, UsageListsEveryOptionAndItsEnvironmentRule) {
  const std::string text = usage_text();
  for (const char* name :
       {"--grace", "--stop-timeout", "--signal-target", "--remap-exit", "--rewrite", "--pdeathsig",
        "--verbose", "--quiet", "--reset-signals", "PIDONE_"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace pidone

#include <unistd.h>

#include "pidone/personality.h"

namespace pidone {
namespace {

using Env = std::map<std::string, std::string>;

Invocation as(Personality p, std::vector<const char*> args, const Env& env = {},
              const char* argv0 = nullptr) {
  return parse_invocation(
      p, argv0, args, [&env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
      });
}

const std::string kPid = std::to_string(::getpid());

int lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Personality, ChosenByTheBasenameOfArgv0) {
  EXPECT_EQ(personality_from_argv0("/sbin/docker-init"), Personality::kTini);
  EXPECT_EQ(personality_from_argv0("tini-static"), Personality::kTini);
  EXPECT_EQ(personality_from_argv0("/usr/bin/dumb-init"), Personality::kDumbInit);
  EXPECT_EQ(personality_from_argv0("catatonit"), Personality::kCatatonit);
  EXPECT_EQ(personality_from_argv0("/pidone"), Personality::kPidone);
  EXPECT_EQ(personality_from_argv0("/usr/bin/tini/"), Personality::kPidone);
  EXPECT_EQ(personality_from_argv0(nullptr), Personality::kPidone);
}

TEST(Personality, PidoneKeepsItsOwnExitCodeForUsageErrors) {
  const auto inv = as(Personality::kPidone, {});
  EXPECT_EQ(inv.exit_code, 2);
  EXPECT_EQ(lines(inv.text), 1) << inv.text;
}

// ---- tini ----

TEST(PersonalityTini, OptionsSetTheSwitches) {
  auto inv = as(Personality::kTini,
                {"-s", "-g", "-w", "-vv", "-e", "143", "-e", "2", "-p", "SIGKILL", "--", "x"});
  ASSERT_EQ(inv.kind, Invocation::Kind::kRun) << inv.text;
  const Options& o = inv.options;
  EXPECT_EQ(o.personality, Personality::kTini);
  EXPECT_TRUE(o.become_subreaper);
  EXPECT_TRUE(o.warn_not_subreaper);
  EXPECT_TRUE(o.warn_on_reap);
  EXPECT_EQ(o.signal_target, SignalTarget::kGroup);
  EXPECT_EQ(o.verbosity, 3);
  EXPECT_EQ(o.exit_code_map[143], 0);
  EXPECT_EQ(o.exit_code_map[2], 0);
  EXPECT_EQ(o.exit_code_map[1], 1);
  EXPECT_EQ(o.pdeathsig, SIGKILL);
  EXPECT_EQ(o.exec_failure, ExecFailureCodes::kTini);
  EXPECT_EQ(o.command, (std::vector<std::string>{"x"}));
}

TEST(PersonalityTini, DefaultsAreTinis) {
  const Options o = as(Personality::kTini, {"--", "x"}).options;
  EXPECT_FALSE(o.become_subreaper);
  EXPECT_TRUE(o.warn_not_subreaper);
  EXPECT_FALSE(o.warn_on_reap);
  EXPECT_EQ(o.signal_target, SignalTarget::kChild);
  EXPECT_EQ(o.verbosity, 1);
  EXPECT_EQ(o.end_when_not_pid1, EndPolicy::kDrain);
}

TEST(PersonalityTini, ItsVariablesCountWhenSetEvenEmpty) {
  auto env =
      as(Personality::kTini, {"x"}, {{"TINI_SUBREAPER", ""}, {"TINI_KILL_PROCESS_GROUP", ""}});
  EXPECT_TRUE(env.options.become_subreaper);
  EXPECT_EQ(env.options.signal_target, SignalTarget::kGroup);
}

TEST(PersonalityTini, VerbosityVariableWinsOverV) {
  EXPECT_EQ(as(Personality::kTini, {"-vvv", "x"}, {{"TINI_VERBOSITY", "0"}}).options.verbosity, 0);
  EXPECT_EQ(as(Personality::kTini, {"x"}, {{"TINI_VERBOSITY", "3"}}).options.verbosity, 3);
  EXPECT_EQ(as(Personality::kTini, {"-v", "x"}).options.verbosity, 2);
  EXPECT_EQ(as(Personality::kTini, {"-vvvvv", "x"}).options.verbosity, 4);
  // atoi() into an unsigned level: junk is 0, a negative number everything.
  EXPECT_EQ(as(Personality::kTini, {"x"}, {{"TINI_VERBOSITY", "abc"}}).options.verbosity, 0);
  EXPECT_EQ(as(Personality::kTini, {"x"}, {{"TINI_VERBOSITY", ""}}).options.verbosity, 0);
  EXPECT_EQ(as(Personality::kTini, {"x"}, {{"TINI_VERBOSITY", " 2x"}}).options.verbosity, 2);
  EXPECT_EQ(as(Personality::kTini, {"x"}, {{"TINI_VERBOSITY", "-1"}}).options.verbosity, 4);
  EXPECT_EQ(as(Personality::kTini, {"x"}, {{"TINI_VERBOSITY", "9"}}).options.verbosity, 4);
  // ... and over PIDONE_VERBOSE, which counts when nothing of tini's says otherwise.
  EXPECT_EQ(as(Personality::kTini, {"x"}, {{"TINI_VERBOSITY", "1"}, {"PIDONE_VERBOSE", "3"}})
                .options.verbosity,
            1);
  EXPECT_EQ(as(Personality::kTini, {"x"}, {{"PIDONE_VERBOSE", "3"}}).options.verbosity, 4);
}

TEST(PersonalityTini, VersionOnlyAsTheOneArgument) {
  const auto version = as(Personality::kTini, {"--version"});
  EXPECT_EQ(version.kind, Invocation::Kind::kPrint);
  EXPECT_TRUE(version.text.starts_with("tini version 0.19.0")) << version.text;
  EXPECT_FALSE(version.to_stderr);
  const auto more = as(Personality::kTini, {"--version", "x"}, {}, "/usr/bin/tini");
  EXPECT_EQ(more.exit_code, 1);
  EXPECT_TRUE(more.text.starts_with("/usr/bin/tini: invalid option -- '-'\n")) << more.text;
}

TEST(PersonalityTini, HelpNamesItselfByArgv0) {
  const auto help = as(Personality::kTini, {"-h"}, {}, "/usr/libexec/docker-init");
  EXPECT_EQ(help.kind, Invocation::Kind::kPrint);
  EXPECT_FALSE(help.to_stderr);
  EXPECT_TRUE(help.text.starts_with("docker-init (tini version 0.19.0")) << help.text;
  EXPECT_NE(help.text.find("Usage: docker-init [OPTIONS] PROGRAM -- [ARGS] | --version"),
            std::string::npos);
}

TEST(PersonalityTini, OptionsFollowOperandsAsInGnuGetopt) {
  const auto permuted = as(Personality::kTini, {"-s", "sh", "-c", "exit 3"}, {}, "tini");
  EXPECT_EQ(permuted.exit_code, 1);
  EXPECT_TRUE(permuted.text.starts_with("tini: invalid option -- 'c'\ntini (tini version"))
      << permuted.text;
  const auto posix =
      as(Personality::kTini, {"-s", "sh", "-c", "exit 3"}, {{"POSIXLY_CORRECT", ""}});
  ASSERT_EQ(posix.kind, Invocation::Kind::kRun) << posix.text;
  EXPECT_EQ(posix.options.command, (std::vector<std::string>{"sh", "-c", "exit 3"}));
  const auto late = as(Personality::kTini, {"sh", "-w", "--", "-c", "true"});
  EXPECT_TRUE(late.options.warn_on_reap);
  EXPECT_EQ(late.options.command, (std::vector<std::string>{"sh", "-c", "true"}));
}

TEST(PersonalityTini, PTakesTinisNamesOnly) {
  EXPECT_EQ(as(Personality::kTini, {"-p", "SIGTERM", "x"}).options.pdeathsig, SIGTERM);
  EXPECT_EQ(as(Personality::kTini, {"-pSIGWINCH", "x"}).options.pdeathsig, SIGWINCH);
  for (const char* bad : {"KILL", "sigkill", "9", "SIGRTMIN", "SIGIO", ""}) {
    const auto inv = as(Personality::kTini, {"-p", bad, "x"});
    EXPECT_EQ(inv.exit_code, 1) << bad;
    EXPECT_EQ(inv.text, "[FATAL tini (" + kPid + ")] Not a valid option for -p: " + bad + "\n");
  }
}

TEST(PersonalityTini, ETakesWhatStrtolTakes) {
  EXPECT_EQ(as(Personality::kTini, {"-e", " 5", "x"}).options.exit_code_map[5], 0);
  EXPECT_EQ(as(Personality::kTini, {"-e", "+7", "x"}).options.exit_code_map[7], 0);
  EXPECT_EQ(as(Personality::kTini, {"-e", "", "x"}).kind, Invocation::Kind::kRun);
  for (const char* bad : {"256", "-1", "5x", "0x10", " ", "+", "5 ", "99999999999999999999"}) {
    const auto inv = as(Personality::kTini, {"-e", bad, "x"});
    EXPECT_EQ(inv.exit_code, 1) << bad;
    EXPECT_EQ(inv.text, "[FATAL tini (" + kPid + ")] Not a valid option for -e: " + bad + "\n");
  }
}

TEST(PersonalityTini, BadInputExits1) {
  for (const auto& args : std::vector<std::vector<const char*>>{
           {}, {"--"}, {"-e"}, {"-p"}, {"-x", "y"}, {"--help"}, {"-s"}}) {
    auto inv = as(Personality::kTini, args);
    EXPECT_EQ(inv.kind, Invocation::Kind::kUsageError);
    EXPECT_EQ(inv.exit_code, 1);
    EXPECT_TRUE(inv.to_stderr);
  }
  EXPECT_TRUE(as(Personality::kTini, {"-e"}, {}, "./tini")
                  .text.starts_with("./tini: option requires an argument -- 'e'\n"));
}

TEST(PersonalityTini, PidoneVariablesApplyAndABadOneIsItsFatalLine) {
  const auto good =
      as(Personality::kTini, {"x"},
         {{"PIDONE_GRACE", "10s"}, {"PIDONE_REMAP_EXIT", "1:2"}, {"PIDONE_RESET_SIGNALS", "on"}});
  ASSERT_EQ(good.kind, Invocation::Kind::kRun) << good.text;
  EXPECT_EQ(good.options.grace_ms, 10000);
  EXPECT_EQ(good.options.exit_code_map[1], 2);
  EXPECT_TRUE(good.options.reset_signals);
  const auto bad = as(Personality::kTini, {"-s", "--", "true"}, {{"PIDONE_GRACE", "bogus"}});
  EXPECT_EQ(bad.kind, Invocation::Kind::kUsageError);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(
      bad.text.starts_with("[FATAL tini (" + kPid + ")] invalid value 'bogus' for PIDONE_GRACE"))
      << bad.text;
  EXPECT_EQ(lines(bad.text), 1);
  // What tini's own options replace is not read: no error.
  EXPECT_EQ(as(Personality::kTini, {"-p", "SIGTERM", "-e", "3", "-g", "-v", "x"},
               {{"PIDONE_PDEATHSIG", "NOPE"},
                {"PIDONE_REMAP_EXIT", "1:2,"},
                {"PIDONE_SIGNAL_TARGET", "all"},
                {"PIDONE_VERBOSE", "lots"}})
                .kind,
            Invocation::Kind::kRun);
  EXPECT_EQ(as(Personality::kTini, {"-e", "3", "x"}, {{"PIDONE_REMAP_EXIT", "1:2"}})
                .options.exit_code_map[1],
            1);  // -e replaces the variable's list, as --remap-exit does
  // Help and version read no variable.
  EXPECT_EQ(as(Personality::kTini, {"-h"}, {{"PIDONE_GRACE", "bogus"}}).exit_code, 0);
  EXPECT_EQ(as(Personality::kTini, {"--version"}, {{"PIDONE_GRACE", "bogus"}}).exit_code, 0);
}

// ---- dumb-init ----

TEST(PersonalityDumbInit, SetsidModeByDefault) {
  auto inv = as(Personality::kDumbInit, {"-r", "15:10", "--rewrite=1:0", "cmd", "-c"});
  ASSERT_EQ(inv.kind, Invocation::Kind::kRun) << inv.text;
  const Options& o = inv.options;
  EXPECT_EQ(o.personality, Personality::kDumbInit);
  EXPECT_TRUE(o.new_session);
  EXPECT_EQ(o.signal_target, SignalTarget::kGroup);
  EXPECT_TRUE(o.suspend_with_child);
  EXPECT_FALSE(o.become_subreaper);
  EXPECT_EQ(o.end_when_not_pid1, EndPolicy::kTermGroupAndExit);
  EXPECT_EQ(o.signal_map[15], 10);
  EXPECT_EQ(o.signal_map[1], 0);
  EXPECT_EQ(o.signal_map[SIGTSTP], SIGSTOP);
  EXPECT_EQ(o.signal_map[SIGTTIN], SIGSTOP);
  EXPECT_EQ(o.signal_map[SIGTTOU], SIGSTOP);
  EXPECT_EQ(o.command, (std::vector<std::string>{"cmd", "-c"}));  // no permuting: "+hvVcr:"
  EXPECT_EQ(o.exec_failure, ExecFailureCodes::kFixed);
  EXPECT_EQ(o.exec_failure_exit, 2);
  EXPECT_EQ(o.verbosity, 1);
}

TEST(PersonalityDumbInit, RewriteOverridesTheTtyStops) {
  auto o = as(Personality::kDumbInit, {"-r", "21:15", "-r", "20:20", "x"}).options;
  EXPECT_EQ(o.signal_map[SIGTTIN], SIGTERM);
  EXPECT_EQ(o.signal_map[SIGTSTP], SIGTSTP);
  EXPECT_EQ(o.signal_map[SIGTTOU], SIGSTOP);
}

TEST(PersonalityDumbInit, SingleChildMode) {
  for (const auto& [args, env] : std::vector<std::pair<std::vector<const char*>, Env>>{
           {{"-c", "x"}, {}},
           {{"--single-child", "x"}, {}},
           {{"--single", "x"}, {}},
           {{"x"}, {{"DUMB_INIT_SETSID", "0"}}}}) {
    auto inv = as(Personality::kDumbInit, args, env);
    ASSERT_EQ(inv.kind, Invocation::Kind::kRun) << inv.text;
    const Options& o = inv.options;
    EXPECT_FALSE(o.new_session);
    EXPECT_EQ(o.signal_target, SignalTarget::kChild);
    EXPECT_TRUE(o.suspend_with_child);
    EXPECT_FALSE(o.become_subreaper);
    EXPECT_EQ(o.end_when_not_pid1, EndPolicy::kExit);
    EXPECT_EQ(o.signal_map[SIGTSTP], SIGTSTP);
  }
  for (const char* value : {"", "1", "00", "no"}) {
    EXPECT_TRUE(
        as(Personality::kDumbInit, {"x"}, {{"DUMB_INIT_SETSID", value}}).options.new_session)
        << value;
  }
}

TEST(PersonalityDumbInit, DebugOnlyWithVOrExactlyOne) {
  EXPECT_EQ(as(Personality::kDumbInit, {"-v", "x"}).options.verbosity, 3);
  EXPECT_EQ(as(Personality::kDumbInit, {"--verbose", "x"}).options.verbosity, 3);
  const auto env =
      as(Personality::kDumbInit, {"x"}, {{"DUMB_INIT_DEBUG", "1"}, {"DUMB_INIT_SETSID", "0"}});
  EXPECT_EQ(env.options.verbosity, 3);
  EXPECT_EQ(env.options.startup_notes,
            (std::vector<std::string>{"Running in debug mode.", "Not running in setsid mode."}));
  for (const char* value : {"", "0", "yes", "true", "01"}) {
    const auto quiet = as(Personality::kDumbInit, {"x"}, {{"DUMB_INIT_DEBUG", value}});
    EXPECT_EQ(quiet.options.verbosity, 1) << value;
    EXPECT_TRUE(quiet.options.startup_notes.empty());
  }
}

TEST(PersonalityDumbInit, RewriteIsReadAsScanfReadsIt) {
  const std::vector<std::pair<const char*, std::pair<int, int>>> good = {
      {"15:3:1", {15, 3}},  {" 15: 3", {15, 3}},       {"+15:-0", {15, 0}},
      {"15:3abc", {15, 3}}, {"4294967311:3", {15, 3}}, {"31:31", {31, 31}}};
  for (const auto& [text, pair] : good) {
    auto inv = as(Personality::kDumbInit, {"-r", text, "x"});
    ASSERT_EQ(inv.kind, Invocation::Kind::kRun) << text << ": " << inv.text;
    EXPECT_EQ(inv.options.signal_map[static_cast<std::size_t>(pair.first)], pair.second) << text;
  }
  const std::string usage =
      "Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and 31.\n"
      "This option can be specified multiple times.\n"
      "Use --help for full usage.\n";
  for (const char* bad : {"TERM:QUIT", "1:32", "32:1", "0:1", "15 :3", "15", "15:", ":3", "-1:3",
                          "15:x", "0x10:1", ""}) {
    const auto inv = as(Personality::kDumbInit, {"-r", bad, "x"});
    EXPECT_EQ(inv.exit_code, 1) << bad;
    EXPECT_EQ(inv.text, usage) << bad;
  }
  // A bad -r ends parsing where it stands: a -h before it still prints the help.
  EXPECT_EQ(as(Personality::kDumbInit, {"-h", "-r", "x"}).exit_code, 0);
  EXPECT_EQ(as(Personality::kDumbInit, {"-r", "x", "-h"}).exit_code, 1);
}

TEST(PersonalityDumbInit, TextsAndGetoptMessages) {
  const auto help = as(Personality::kDumbInit, {"--help"}, {}, "/usr/bin/dumb-init");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(help.to_stderr);
  EXPECT_NE(help.text.find("\nUsage: /usr/bin/dumb-init [option] command [[arg] ...]\n"),
            std::string::npos);
  EXPECT_TRUE(help.text.ends_with(
      "\n\nFull help is available online at https://github.com/Yelp/dumb-init\n"))
      << help.text;
  const auto version = as(Personality::kDumbInit, {"-V"});
  EXPECT_TRUE(version.to_stderr);
  EXPECT_TRUE(version.text.starts_with("dumb-init v1.2.5")) << version.text;
  EXPECT_EQ(as(Personality::kDumbInit, {}, {}, "./dumb-init").text,
            "Usage: ./dumb-init [option] program [args]\n"
            "Try ./dumb-init --help for full usage.\n");
  const std::vector<std::pair<const char*, const char*>> errors = {
      {"--yolo", "dumb-init: unrecognized option '--yolo'\n"},
      {"-x", "dumb-init: invalid option -- 'x'\n"},
      {"--rewrite", "dumb-init: option '--rewrite' requires an argument\n"},
      {"--help=1", "dumb-init: option '--help' doesn't allow an argument\n"},
      {"--ver", "dumb-init: option '--ver' is ambiguous; possibilities: '--verbose' '--version'\n"},
  };
  for (const auto& [arg, message] : errors) {
    const auto inv = as(Personality::kDumbInit, {arg}, {}, "dumb-init");
    EXPECT_EQ(inv.exit_code, 1) << arg;
    EXPECT_EQ(inv.text, message);
  }
}

TEST(PersonalityDumbInit, PidoneVariablesBeneathItsOwn) {
  const auto bad = as(Personality::kDumbInit, {"true"}, {{"PIDONE_GRACE", "bogus"}});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(bad.text.starts_with("[dumb-init] invalid value 'bogus' for PIDONE_GRACE"))
      << bad.text;
  EXPECT_EQ(lines(bad.text), 1);
  // The mode decides where signals go: PIDONE_SIGNAL_TARGET is not read.
  EXPECT_EQ(as(Personality::kDumbInit, {"-c", "x"}, {{"PIDONE_SIGNAL_TARGET", "group"}})
                .options.signal_target,
            SignalTarget::kChild);
  EXPECT_EQ(as(Personality::kDumbInit, {"-c", "x"}, {{"PIDONE_SIGNAL_TARGET", "bogus"}}).kind,
            Invocation::Kind::kRun);
  // PIDONE_REWRITE says what a TTY stop becomes, unless -r does; -r replaces its list.
  EXPECT_EQ(as(Personality::kDumbInit, {"x"}, {{"PIDONE_REWRITE", "TSTP:TERM"}})
                .options.signal_map[SIGTSTP],
            SIGTERM);
  const auto both =
      as(Personality::kDumbInit, {"-r", "2:3", "x"}, {{"PIDONE_REWRITE", "TSTP:TERM"}});
  EXPECT_EQ(both.options.signal_map[SIGTSTP], SIGSTOP);
  EXPECT_EQ(both.options.signal_map[SIGINT], SIGQUIT);
  EXPECT_EQ(as(Personality::kDumbInit, {"x"}, {{"PIDONE_VERBOSE", "1"}}).options.verbosity, 2);
}

// ---- catatonit ----

TEST(PersonalityCatatonit, OptionsAndDefaults) {
  const Options o = as(Personality::kCatatonit, {"-g", "x"}).options;
  EXPECT_EQ(o.personality, Personality::kCatatonit);
  EXPECT_EQ(o.signal_target, SignalTarget::kGroup);
  EXPECT_TRUE(o.become_subreaper);
  EXPECT_FALSE(o.warn_not_subreaper);
  EXPECT_EQ(o.exec_failure, ExecFailureCodes::kFixed);
  EXPECT_EQ(o.exec_failure_exit, 1);
  EXPECT_EQ(o.verbosity, 1);
  EXPECT_EQ(as(Personality::kCatatonit, {"x"}).options.signal_target, SignalTarget::kChild);
}

TEST(PersonalityCatatonit, PauseNeedsNoProgramAndIgnoresOne) {
  auto pause = as(Personality::kCatatonit, {"-P"});
  ASSERT_EQ(pause.kind, Invocation::Kind::kRun);
  EXPECT_TRUE(pause.options.pause);
  EXPECT_TRUE(pause.options.command.empty());
  auto with = as(Personality::kCatatonit, {"-P", "--", "sleep", "1"});
  EXPECT_TRUE(with.options.pause);
  EXPECT_TRUE(with.options.command.empty());
}

TEST(PersonalityCatatonit, ErrorsPrintTheOneUsageLine) {
  const std::string usage = "usage: catatonit [-ghLPV] [--] <progname> [<arguments>...]\n";
  const auto missing = as(Personality::kCatatonit, {});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.text, "ERROR (catatonit:" + kPid + "): missing program name\n" + usage);
  EXPECT_EQ(as(Personality::kCatatonit, {"-x"}, {}, "/usr/bin/catatonit").text,
            "/usr/bin/catatonit: invalid option -- 'x'\n" + usage);
  EXPECT_EQ(as(Personality::kCatatonit, {"--help"}, {}, "catatonit").text,
            "catatonit: unrecognized option '--help'\n" + usage);
  // GNU order: options may follow the program.
  EXPECT_EQ(as(Personality::kCatatonit, {"sh", "-c", "true"}, {}, "catatonit").text,
            "catatonit: invalid option -- 'c'\n" + usage);
  EXPECT_EQ(as(Personality::kCatatonit, {"sh", "-c", "true"}, {{"POSIXLY_CORRECT", "1"}})
                .options.command.size(),
            3U);
}

TEST(PersonalityCatatonit, Texts) {
  const auto help = as(Personality::kCatatonit, {"-h"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(help.to_stderr);
  EXPECT_TRUE(
      help.text.starts_with("usage: catatonit [-ghLPV] [--] <progname> [<arguments>...]\n\n"));
  EXPECT_TRUE(help.text.ends_with(
      "\n\nThe source code can be found at <https://github.com/openSUSE/catatonit/>.\n"
      "For bug reporting instructions, please see: <https://bugs.opensuse.org/>.\n"))
      << help.text;
  for (const char* version : {"-V", "--version", "--vers"}) {
    const auto inv = as(Personality::kCatatonit, {version});
    EXPECT_EQ(inv.kind, Invocation::Kind::kPrint) << version;
    EXPECT_FALSE(inv.to_stderr);
    EXPECT_TRUE(inv.text.starts_with("tini version 0.1.7_catatonit")) << inv.text;
  }
  EXPECT_EQ(as(Personality::kCatatonit, {"-L"}).exit_code, 0);
}

TEST(PersonalityCatatonit, ItsVariables) {
  EXPECT_EQ(as(Personality::kCatatonit, {"x"}, {{"CATATONIT_DEBUG", ""}}).options.verbosity, 4);
  const auto log = as(Personality::kCatatonit, {"-h"}, {{"CATATONIT_LOG", "x"}});
  EXPECT_EQ(log.exit_code, 1);
  EXPECT_EQ(log.text, "ERROR (catatonit:" + kPid + "): CATATONIT_LOG is reserved for future use\n");
  const auto bad = as(Personality::kCatatonit, {"x"}, {{"PIDONE_STOP_TIMEOUT", "x"}});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(bad.text.starts_with("ERROR (catatonit:" + kPid +
                                   "): invalid value 'x' for PIDONE_STOP_TIMEOUT"))
      << bad.text;
  EXPECT_EQ(as(Personality::kCatatonit, {"-g", "x"}, {{"PIDONE_SIGNAL_TARGET", "bogus"}}).kind,
            Invocation::Kind::kRun);
}

TEST(Personality, EveryMessageIsPrintable) {
  const std::string hostile = "a\nb\x1b[2J\xff";
  for (const auto p : {Personality::kTini, Personality::kDumbInit, Personality::kCatatonit}) {
    for (const auto& args : std::vector<std::vector<const char*>>{{"-p", hostile.c_str(), "x"},
                                                                  {"-e", hostile.c_str(), "x"},
                                                                  {("--" + hostile).c_str()}}) {
      const auto inv = as(p, args, {}, hostile.c_str());
      EXPECT_EQ(inv.text.find('\x1b'), std::string::npos) << inv.text;
      EXPECT_EQ(inv.text.find("a\nb"), std::string::npos) << inv.text;
    }
  }
}

}  // namespace
}  // namespace pidone

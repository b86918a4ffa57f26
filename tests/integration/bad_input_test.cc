// Bad input, for every name pidone answers to and for pidone-inspect: a documented exit code,
// a message on stderr and nothing started; never a crash (a signal), a hang or a child left.
#include "fixture.h"

namespace pidone::testing {
namespace {

struct Case {
  const char* name;  // the program's name (a symlink to pidone, or pidone-inspect)
  std::vector<std::string> args;
  std::vector<std::string> env;
  int expected;  // the documented exit code
};

std::string tool(const std::string& name) {
  const std::string dir = pidone_path().substr(0, pidone_path().rfind('/') + 1);
  return name == "pidone-inspect" ? std::string(PIDONE_TEST_INSPECT) : dir + name;
}

const std::string kNonUtf8 = "\xff\xfe\x80name";

std::vector<Case> cases() {
  std::vector<Case> all = {
      // pidone: usage errors exit 2.
      {"pidone", {}, {}, 2},
      {"pidone", {"--no-such-option", "true"}, {}, 2},
      {"pidone", {""}, {}, 2},
      {"pidone", {"--grace", "-1s", "true"}, {}, 2},
      {"pidone", {"--grace", "1.2345s", "true"}, {}, 2},
      {"pidone", {"--grace", "99999999999999999999", "true"}, {}, 2},
      {"pidone", {"--grace", "1s", "--grace", "2s", "true"}, {}, 2},
      {"pidone", {"--stop-timeout", kNonUtf8, "true"}, {}, 2},
      {"pidone", {"--rewrite", "TERM:SIGNOPE", "true"}, {}, 2},
      {"pidone", {"--rewrite", "65:1", "true"}, {}, 2},
      {"pidone", {"--remap-exit", "1:-1", "true"}, {}, 2},
      {"pidone", {"--remap-exit", "99999999999:0", "true"}, {}, 2},
      {"pidone", {"--pdeathsig", "", "true"}, {}, 2},
      {"pidone", {"--signal-target", kNonUtf8, "true"}, {}, 2},
      {"pidone", {"-q", "-v", "true"}, {}, 2},
      {"pidone", {"true"}, {"PIDONE_GRACE=" + kNonUtf8}, 2},
      {"pidone", {"true"}, {"PIDONE_REMAP_EXIT=1:2,,3"}, 2},
      {"pidone", {"true"}, {"PIDONE_VERBOSE=lots"}, 2},
      {"pidone", {"true"}, {"PIDONE_QUIET=2"}, 2},
      {"pidone", {"true"}, {"PIDONE_REWRITE=TERM:QUIT,"}, 2},
      {"pidone", {"true"}, {"PIDONE_RESET_SIGNALS=" + kNonUtf8}, 2},
      {"pidone", {"--rewrite", "KILL:TERM", "true"}, {}, 2},
      {"pidone", {"--rewrite", "CHLD:0", "true"}, {}, 2},
      {"pidone", {"--grace", "1s\n" + kNonUtf8, "true"}, {}, 2},
      {"pidone", {"--reset-signals=1", "true"}, {}, 2},
      // pidone: a command that cannot run exits 127 or 126.
      {"pidone", {kNonUtf8}, {}, 127},
      {"pidone", {"/dev/null"}, {}, 126},
      // tini and docker-init: 1.
      {"tini", {}, {}, 1},
      {"tini", {"-e", "256", "true"}, {}, 1},
      {"tini", {"-e", kNonUtf8, "true"}, {}, 1},
      {"tini", {"-p", "SIGNOPE", "true"}, {}, 1},
      {"tini", {"-p"}, {}, 1},
      {"docker-init", {"-x", "true"}, {}, 1},
      {"tini", {"-p", "KILL", "true"}, {}, 1},
      {"tini", {"-s", "sh", "-c", "true"}, {}, 1},  // GNU getopt takes -c as tini's option
      {"tini", {"--", "true"}, {"PIDONE_GRACE=bogus"}, 1},
      {"tini-static", {"--", "true"}, {"PIDONE_REMAP_EXIT=1:2,,"}, 1},
      // dumb-init: 1 for usage, 2 for a command that cannot run.
      {"dumb-init", {}, {}, 1},
      {"dumb-init", {"--rewrite", "15", "true"}, {}, 1},
      {"dumb-init", {"-r", "x:y", "true"}, {}, 1},
      {"dumb-init", {"--rewrite"}, {}, 1},
      {"dumb-init", {"--" + kNonUtf8, "true"}, {}, 1},
      {"dumb-init", {kNonUtf8}, {}, 2},
      {"dumb-init", {"-r", "1:32", "true"}, {}, 1},
      {"dumb-init", {"--ver", "true"}, {}, 1},
      {"dumb-init", {"true"}, {"PIDONE_STOP_TIMEOUT=" + kNonUtf8}, 1},
      // catatonit: 1.
      {"catatonit", {}, {}, 1},
      {"catatonit", {"-Q", "true"}, {}, 1},
      {"catatonit", {"--long", "true"}, {}, 1},
      {"catatonit", {kNonUtf8}, {}, 1},
      {"catatonit", {"true"}, {"CATATONIT_LOG=1"}, 1},
      {"catatonit", {"true"}, {"PIDONE_PDEATHSIG=NOPE"}, 1},
      // pidone-inspect: 2.
      {"pidone-inspect", {"--pid"}, {}, 2},
      {"pidone-inspect", {"--pid", kNonUtf8}, {}, 2},
      {"pidone-inspect", {"--pid", "-5"}, {}, 2},
      {"pidone-inspect", {"--pid", "99999999999999999999"}, {}, 2},
      {"pidone-inspect", {"--jsonx"}, {}, 2},
  };
  // A very long argument list: 2,000 options of 500 bytes.
  std::vector<std::string> long_list;
  for (int i = 0; i < 2000; ++i) {
    long_list.push_back("--grace=" + std::string(490, '9'));
  }
  long_list.emplace_back("true");
  all.push_back({"pidone", long_list, {}, 2});
  return all;
}

TEST(BadInput, EveryCaseGetsItsDocumentedExitCodeAndAMessage) {
  for (const Case& c : cases()) {
    LaunchSpec spec;
    spec.pid_namespace = false;
    spec.argv = {tool(c.name)};
    spec.argv.insert(spec.argv.end(), c.args.begin(), c.args.end());
    spec.extra_env = c.env;
    auto launched = Launched::start(spec);
    ASSERT_TRUE(launched) << launched.error();
    const std::string err = launched->err().read_rest(10s);
    const auto code = launched->wait_exit(10s);
    const std::string what = std::string(c.name) + " " +
                             (c.args.empty() ? "(no arguments)" : c.args.front().substr(0, 40));
    ASSERT_TRUE(code.has_value()) << what << ": did not finish (hang)";
    EXPECT_EQ(*code, c.expected) << what << "\n" << err;
    EXPECT_LT(*code, 128) << what << ": died of a signal";
    EXPECT_FALSE(err.empty()) << what << ": no message";
    EXPECT_TRUE(proc::descendants_of(proc::scan_processes(), launched->pid()).empty()) << what;
  }
}

}  // namespace
}  // namespace pidone::testing

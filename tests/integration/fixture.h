// Shared helpers for the integration tests: pidone as PID 1 of a fresh PID namespace (or as a
// plain child, then a subreaper), running testkid, driven through handshakes and deadlines.
#pragma once

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "nsrun/launch.h"
#include "proc/process_table.h"
#include "sys/signal_names.h"

namespace pidone::testing {

using namespace pidone::nsrun;

// PIDONE_TEST_BINARY runs the same tests against another build of pidone (an older commit,
// to see which tests a change made pass); testkid and the rest stay this build's.
inline std::string pidone_path() {
  const char* other = std::getenv("PIDONE_TEST_BINARY");
  return other != nullptr && *other != '\0' ? std::string(other) : std::string(PIDONE_TEST_PIDONE);
}
inline std::string testkid_path() {
  return PIDONE_TEST_TESTKID;
}

inline LaunchSpec pidone_running(std::vector<std::string> pidone_args,
                                 std::vector<std::string> command, bool pid_namespace = true) {
  LaunchSpec spec;
  spec.pid_namespace = pid_namespace;
  spec.argv.push_back(pidone_path());
  spec.argv.insert(spec.argv.end(), pidone_args.begin(), pidone_args.end());
  spec.argv.emplace_back("--");
  spec.argv.insert(spec.argv.end(), command.begin(), command.end());
  return spec;
}

inline std::vector<std::string> testkid(std::vector<std::string> args) {
  args.insert(args.begin(), testkid_path());
  return args;
}

// Starts `spec`, or skips the test with the reason it cannot run here.
// The ASan build of pidone reads /proc/self/maps before main and exits 1 where /proc is
// gone; tests of life without /proc run on the release build (CI runs both).
#if defined(__SANITIZE_ADDRESS__)
#define PIDONE_SKIP_WITHOUT_PROC_UNDER_ASAN() \
  GTEST_SKIP() << "an ASan build cannot start without /proc; the release build runs this"
#else
#define PIDONE_SKIP_WITHOUT_PROC_UNDER_ASAN() (void)0
#endif

#define PIDONE_LAUNCH_OR_SKIP(var, spec)                         \
  auto var##_started = ::pidone::testing::Launched::start(spec); \
  if (!var##_started) {                                          \
    GTEST_SKIP() << var##_started.error();                       \
  }                                                              \
  ::pidone::testing::Launched& var = *var##_started

// A program run to completion outside any namespace (or as PID 1 of one): its exit code (-1
// if it did not finish within `timeout`, when it is killed), stdout and stderr.
struct ToolRun {
  int code = -1;
  std::string out;
  std::string err;
};

inline ToolRun run_tool(std::vector<std::string> argv, bool pid_namespace = false,
                        std::vector<std::string> env = {}, Clock::duration timeout = 30s) {
  LaunchSpec spec;
  spec.pid_namespace = pid_namespace;
  spec.argv = std::move(argv);
  spec.extra_env = std::move(env);
  auto launched = Launched::start(spec);
  EXPECT_TRUE(launched) << launched.error();
  ToolRun run;
  if (!launched) {
    return run;
  }
  run.out = launched->out().read_rest(timeout);
  run.err = launched->err().read_rest(1s);
  run.code = launched->wait_exit(timeout).value_or(-1);
  return run;
}

// kill(1, sig) from a process inside pid1's namespace, as `docker exec ... kill` does.
// Returns 0 or the errno of kill(). The result comes back over a pipe: the process inside may
// be SIGKILLed by the kernel right after, when the signal ends the namespace.
inline int send_from_inside(pid_t pid1, int sig) {
  std::array<int, 2> result{};
  if (::pipe(result.data()) != 0) {
    return -1;
  }
  const pid_t helper = ::fork();
  if (helper == 0) {
    ::close(result[0]);
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid1, 0));
    if (pidfd < 0 || ::setns(pidfd, CLONE_NEWPID) != 0) {
      ::_exit(100);
    }
    const pid_t inside = ::fork();  // setns(CLONE_NEWPID) applies to children
    if (inside == 0) {
      const int err = ::kill(1, sig) == 0 ? 0 : errno;
      (void)!::write(result[1], &err, sizeof(err));
      ::_exit(0);
    }
    int status = 0;
    ::waitpid(inside, &status, 0);
    ::_exit(0);
  }
  ::close(result[1]);
  int err = -1;
  if (::read(result[0], &err, sizeof(err)) != static_cast<ssize_t>(sizeof(err))) {
    err = -1;
  }
  ::close(result[0]);
  int status = 0;
  ::waitpid(helper, &status, 0);
  return err;
}

// The processes of a launched namespace, as its own /proc lists them.
inline std::vector<proc::ProcStat> processes_in(const Launched& launched) {
  return proc::scan_processes(launched.proc_root());
}

inline int count_state(const std::vector<proc::ProcStat>& table, char state) {
  return static_cast<int>(std::count_if(
      table.begin(), table.end(), [state](const proc::ProcStat& p) { return p.state == state; }));
}

// Whether `pid` has `sig` blocked (SigBlk): an init that blocks it will not lose it.
inline bool blocks_signal(pid_t pid, int sig) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("SigBlk:")) {
      return ((std::stoull(line.substr(7), nullptr, 16) >> (sig - 1)) & 1U) != 0;
    }
  }
  return false;
}

// Names a test by its signal parameter: .../SIGTERM, .../SIGRTMIN_3. Stable, unlike an index
// into a list that grows.
inline std::string signal_param_name(const ::testing::TestParamInfo<int>& info) {
  std::string name = sys::signal_name(info.param);
  std::replace(name.begin(), name.end(), '+', '_');
  return name;
}

// `text` as one word for sh -c: single-quoted, each ' as '\''.
inline std::string sh_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

// A private directory under /tmp, removed with what is in it (FIFOs, scripts) at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/pidone-test-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  ~TempDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A field of /proc/PID/status as a number: the signal sets (SigBlk, ShdPnd, ...) are hex.
inline std::optional<unsigned long long> status_hex(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field + ":")) {
      return std::stoull(line.substr(field.size() + 1), nullptr, 16);
    }
  }
  return std::nullopt;
}

// For a failure message: pidone and every process below it as the host sees them, with the
// fields that say where a signal went (state, wchan, pending, blocked, caught). A test that
// times out says what it timed out on.
inline std::string describe_tree(pid_t root) {
  std::vector<pid_t> tree{root};
  for (const auto& p : proc::descendants_of(proc::scan_processes(), root)) {
    tree.push_back(p.pid);
  }
  std::string text;
  for (const pid_t pid : tree) {
    const std::string dir = "/proc/" + std::to_string(pid);
    std::ifstream status(dir + "/status");
    std::ifstream wchan_file(dir + "/wchan");
    std::string wchan;
    std::getline(wchan_file, wchan);
    text += "\n  " + std::to_string(pid) + " wchan=" + wchan;
    for (std::string line; std::getline(status, line);) {
      for (const char* field :
           {"Name:", "State:", "PPid:", "SigPnd:", "ShdPnd:", "SigBlk:", "SigIgn:", "SigCgt:"}) {
        if (line.starts_with(field)) {
          text += " " + line;
        }
      }
    }
  }
  return text;
}

// Every wait_exit that times out in the integration tests says what was still running.
inline void report_exit_timeout(pid_t pid, Clock::duration timeout) {
  std::fprintf(stderr, "wait_exit: host PID %d still ran after %lld ms:%s\n", static_cast<int>(pid),
               static_cast<long long>(
                   std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()),
               describe_tree(pid).c_str());
}
inline const bool kExitTimeoutsReported =
    (nsrun::set_exit_timeout_reporter(report_exit_timeout), true);

// "ready 12" -> 12
inline pid_t pid_from_line(const std::string& line) {
  return static_cast<pid_t>(std::stol(line.substr(line.rfind(' ') + 1)));
}

}  // namespace pidone::testing

namespace pidone::testing {

// Re-checks `condition` until it holds or `timeout` passes; for states that have no event to
// wait on (a /proc count falling to zero). Backs off to 20 ms so it does not steal a core.
template <class Condition>
bool eventually(Condition condition, Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  auto pause = std::chrono::microseconds(500);
  while (!condition()) {
    if (Clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(20));
  }
  return true;
}

// `testkid tree N ...` reports a signal twice over: each of its N children prints a line
// starting with `child_prefix`, the parent one starting with `parent_prefix`. Reads `out`
// until all N + 1 have come or 10 s pass; returns how many children reported and whether
// the parent did.
struct GroupReports {
  int children = 0;
  bool parent = false;
};
inline GroupReports read_group_reports(LineReader& out, const std::string& child_prefix,
                                       const std::string& parent_prefix, int expected_children) {
  GroupReports seen;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (seen.children < expected_children || !seen.parent) {
    auto line = out.next_line(deadline);
    if (!line) {
      break;
    }
    seen.children += line->starts_with(child_prefix) ? 1 : 0;
    seen.parent = seen.parent || line->starts_with(parent_prefix);
  }
  return seen;
}

}  // namespace pidone::testing

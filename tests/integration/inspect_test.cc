// pidone-inspect against real namespaces built from the lab's programs: each verdict checked.
#include <sys/stat.h>

#include <thread>

#include "inspect_fixture.h"
#include "json_check.h"
#include "lab/pids_cgroup.h"

namespace pidone::testing {
namespace {

constexpr const char* kTermDroppedBothWays =
    "{\"signal\": \"SIGTERM\", \"from_inside\": \"dropped\", \"from_parent_namespace\": "
    "\"dropped\"}";

TEST(Inspect, BashAsPid1DropsSigtermAndIsAShell) {
  LaunchSpec spec;
  spec.argv = {"/bin/bash", lab_program("init.sh")};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  // Settled: `sleep` started, and bash out of its fork: bash blocks SIGINT, SIGTERM and SIGCHLD
  // around fork() (strace shows it), which pidone-inspect would rightly report as "queued".
  ASSERT_TRUE(eventually(
      [&] { return processes_in(init).size() >= 2 && !blocks_signal(init.pid(), SIGTERM); }, 10s));
  const Inspection r = inspect_pid(init.pid());
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(has(r.out, "\"command\": \"bash\", \"kind\": \"shell\"")) << r.out;
  EXPECT_TRUE(has(r.out, kTermDroppedBothWays)) << r.out;
  EXPECT_TRUE(has(r.out,
                  "{\"signal\": \"SIGKILL\", \"from_inside\": \"dropped\", "
                  "\"from_parent_namespace\": \"kills PID 1\"}"))
      << r.out;
  EXPECT_TRUE(has(r.out, "docker stop will wait out its timeout")) << r.out;
}

TEST(Inspect, CInitSigGetsSigtermAndHasNothingToWarnAbout) {
  LaunchSpec spec;
  spec.argv = {lab_program("c-init-sig")};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(init.out().wait_for("Process is sleeping"));
  const Inspection r = inspect_pid(init.pid());
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out,
                  "{\"signal\": \"SIGTERM\", \"from_inside\": \"delivered to its "
                  "handler\", \"from_parent_namespace\": \"delivered to its handler\"}"))
      << r.out;
  EXPECT_TRUE(has(r.out, "\"warnings\": 0")) << r.out;
}

TEST(Inspect, ZombiesOfPid1AreCountedAndPid1IsNamed) {
  LaunchSpec spec;
  spec.argv = {lab_program("app-test"), "50", "--sleep", "0"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(init.out().wait_for("Parent is sleeping"));
  ASSERT_TRUE(eventually([&] { return count_state(processes_in(init), 'Z') == 50; }, 20s));
  const Inspection r = inspect_pid(init.pid());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.out, "\"zombies\": {\"total\": 50")) << r.out;
  EXPECT_TRUE(has(r.out, "{\"parent\": 1, \"parent_command\": \"app-test\", \"count\": 50"))
      << r.out;
  EXPECT_TRUE(has(r.out, "PID 1 must call wait()")) << r.out;
}

TEST(Inspect, ZombiesOfAChildNameTheirParentUnderPidone) {
  // pidone -- sh -c 'app-test 20 & exec c-init-nosig': app-test's zombies are its own to reap.
  PIDONE_LAUNCH_OR_SKIP(init,
                        pidone_running({}, {"/bin/sh", "-c",
                                            lab_program("app-test") + " 20 --sleep 0 & exec " +
                                                lab_program("c-init-nosig")}));
  ASSERT_TRUE(eventually([&] { return count_state(processes_in(init), 'Z') == 20; }, 20s));
  const Inspection r = inspect_pid(init.pid());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.out, "\"parent\": 3, \"parent_command\": \"app-test\", \"count\": 20"))
      << r.out;
  EXPECT_TRUE(has(r.out, "which reaps them")) << r.out;
  EXPECT_TRUE(has(r.out, "\"kind\": \"forwarding-init\"")) << r.out;
  EXPECT_TRUE(has(r.out,
                  "{\"signal\": \"SIGTERM\", \"from_inside\": \"queued (blocked; read by "
                  "PID 1)\""))
      << r.out;
}

TEST(Inspect, PidsCgroupAtItsLimitIsAWarning) {
  auto cgroup = lab::PidsCgroup::create(10);
  if (!cgroup) {
    GTEST_SKIP() << cgroup.error();
  }
  LaunchSpec spec;
  spec.argv = {lab_program("app-test"), "20", "--sleep", "0"};
  spec.cgroup_procs = cgroup->procs_file();
  // In the ASan build LeakSanitizer clones a thread as each child exits, which takes a PID in
  // this tiny cgroup and makes the count depend on timing; it has nothing to check here.
  spec.extra_env = {"ASAN_OPTIONS=detect_leaks=0"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(init.out().wait_for("Parent is sleeping"));
  ASSERT_TRUE(eventually([&] { return count_state(processes_in(init), 'Z') == 9; }, 20s));
  const Inspection r = inspect_pid(init.pid());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.out, "\"current\": 10, \"max\": 10")) << r.out;
  EXPECT_TRUE(has(r.out, "the pids cgroup is full (10/10)")) << r.out;
  EXPECT_TRUE(has(r.out, "zombies hold 9 of them")) << r.out;
  init.send(SIGKILL);
  (void)init.wait_exit();
}

TEST(Inspect, InsideTheContainerItReadsItsOwnNamespace) {
  // pidone as PID 1 runs pidone-inspect as its child: the view from `docker exec`.
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, {inspect_path(), "--all"}));
  EXPECT_EQ(init.wait_exit(), 0);
  const std::string out = init.out().read_rest();
  // Inside, the host numbering cannot be seen: no "host PID" is claimed.
  EXPECT_TRUE(has(out, "PID 1: pidone (pidone)\n")) << out;
  EXPECT_TRUE(has(out, "pidone-inspect")) << out;  // --all lists itself
  EXPECT_TRUE(has(out, "0 warnings")) << out;
}

// pidone-inspect only reads: no signal sent, no namespace entered, nothing traced, no file
// opened for writing, while it inspects a namespace with zombies.
TEST(Inspect, OnlyReads) {
  if (::access("/usr/bin/strace", X_OK) != 0) {
    GTEST_SKIP() << "strace is not installed";
  }
  LaunchSpec spec;
  spec.argv = {lab_program("app-test"), "5", "--sleep", "0"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(eventually([&] { return count_state(processes_in(init), 'Z') == 5; }, 20s));
  LaunchSpec traced;
  traced.pid_namespace = false;
  traced.argv = {"/usr/bin/strace",
                 "-f",
                 "-e",
                 "trace=kill,tkill,tgkill,pidfd_send_signal,rt_sigqueueinfo,rt_tgsigqueueinfo,"
                 "setns,unshare,ptrace,process_vm_writev,openat,open,creat,unlink,unlinkat,"
                 "rename,mkdir,rmdir",
                 inspect_path(),
                 "--pid",
                 std::to_string(init.pid()),
                 "--all"};
  // In the ASan build LeakSanitizer refuses to run under ptrace and exits without flushing
  // stdout; leaks are not what this test is about.
  traced.extra_env = {"ASAN_OPTIONS=detect_leaks=0"};
  auto run = Launched::start(traced);
  ASSERT_TRUE(run) << run.error();
  // The trace (stderr) is drained while stdout is read. Read one after the other, a trace
  // longer than a pipe holds (64 KiB: one line per file opened, ~700 processes on the host, as
  // under a loaded test run) blocked strace, and with it pidone-inspect, until stdout's
  // deadline: the test failed after 30 s on a busy machine only.
  std::string trace;
  std::thread drain([&] { trace = run->err().read_rest(60s); });
  const std::string out = run->out().read_rest(60s);
  drain.join();
  EXPECT_EQ(run->wait_exit(30s), 1);  // the zombies are a warning
  EXPECT_NE(out.find("5 zombies"), std::string::npos) << out;
  for (const char* call :
       {"kill(", "tkill(", "tgkill(", "pidfd_send_signal(", "sigqueueinfo(", "setns(", "unshare(",
        "ptrace(", "process_vm_writev(", "creat(", "unlink", "rename(", "mkdir(", "rmdir("}) {
    EXPECT_EQ(trace.find(call), std::string::npos) << call << "\n" << trace;
  }
  for (const char* flag : {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"}) {
    EXPECT_EQ(trace.find(flag), std::string::npos) << flag << "\n" << trace;
  }
  // glibc opens with openat; musl (what ships) with open where the architecture has it.
  EXPECT_TRUE(trace.find("openat(") != std::string::npos ||
              trace.find("open(") != std::string::npos)
      << "the trace saw nothing: " << trace;
}

TEST(Inspect, UsageErrorsAndNothingToInspect) {
  EXPECT_EQ(inspect({"--bogus"}).code, 2);
  EXPECT_EQ(inspect({"--pid"}).code, 2);
  EXPECT_EQ(inspect({"--pid", "abc"}).code, 2);
  EXPECT_EQ(inspect({"--pid", "0"}).code, 2);
  EXPECT_EQ(inspect({"--pid", "4194305"}).code, 2);
  const Inspection gone = inspect({"--pid", "4194303"});
  EXPECT_EQ(gone.code, 2);
  EXPECT_TRUE(has(gone.err, "pidone-inspect: no process 4194303")) << gone.err;
  EXPECT_EQ(inspect({"--help"}).code, 0);
}

// Every byte is printable ASCII or a newline: nothing a terminal would act on, and valid UTF-8.
std::string first_unprintable(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c != '\n' && (c < 0x20 || c >= 0x7f)) {
      return "byte " + std::to_string(c) + " at " + std::to_string(i);
    }
  }
  return "";
}

// A process may name itself anything (prctl PR_SET_NAME): none of it reaches the reader raw,
// in the table, the verdicts or the JSON, seen from the host or from inside.
TEST(Inspect, HostileNamesAreEscapedEverywhere) {
  for (const std::string& name : {std::string("\x1b]0;pwn\a"), std::string("tini\n\x1b[31mFAKE"),
                                  std::string("ti\xffni\xc3\x28"),
                                  std::string("\xc2\x9b"
                                              "2J")}) {
    LaunchSpec spec;
    spec.argv = {inspectkid_path(), "name", name};
    PIDONE_LAUNCH_OR_SKIP(init, spec);
    ASSERT_TRUE(init.out().wait_for("ready"));
    ASSERT_TRUE(eventually([&] { return threads_sleep_in(init.pid(), {"pause"}); }, 10s));
    std::vector<Inspection> runs = {
        inspect({"--pid", std::to_string(init.pid()), "--all"}),
        inspect({"--pid", std::to_string(init.pid()), "--all", "--json"})};
    if (::access(kNsenter, X_OK) == 0) {
      runs.push_back(inspect_inside(init.pid(), {"--all"}));
      runs.push_back(inspect_inside(init.pid(), {"--all", "--json"}));
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const Inspection& r = runs[i];
      EXPECT_EQ(r.code, 1) << r.err;  // SIGTERM is dropped: a warning
      EXPECT_EQ(first_unprintable(r.out), "") << r.out;
      EXPECT_FALSE(has(r.out, "\nFAKE")) << r.out;
      EXPECT_FALSE(has(r.out, "PID 1 is tini")) << r.out;
      if (i % 2 == 1) {
        EXPECT_EQ(JsonCheck::error_in(r.out), "") << r.out;
        EXPECT_TRUE(has(r.out, "\"kind\": \"application\"")) << r.out;
      } else {
        EXPECT_TRUE(has(r.out, "has no SIGTERM handler")) << r.out;
      }
    }
  }
}

// `sleep` run through a symlink called tini has tini's command name and sleep's signals.
TEST(Inspect, ARenamedSleepIsNotTakenForTini) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string tini = dir / "tini";
  ASSERT_EQ(::symlink("/bin/sleep", tini.c_str()), 0);
  LaunchSpec spec;
  spec.argv = {tini, "1000"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(eventually([&] { return threads_sleep_in(init.pid(), {"nanosleep"}); }, 10s));
  const Inspection r = inspect({"--pid", std::to_string(init.pid())});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.out, "PID 1: tini (an application, host PID ")) << r.out;
  EXPECT_TRUE(has(r.out, "PID 1 (tini) has no SIGTERM handler")) << r.out;
  EXPECT_TRUE(has(r.out, "PID 1 is named tini but does not act like it")) << r.out;
  EXPECT_FALSE(has(r.out, "PID 1 is tini")) << r.out;
  const Inspection json = inspect_pid(init.pid());
  EXPECT_TRUE(has(json.out, "\"command\": \"tini\", \"kind\": \"application\"")) << json.out;
  EXPECT_EQ(json_verdict(json.out, "SIGTERM", false), "dropped");
  init.send(SIGTERM);  // and the kernel indeed drops it
  EXPECT_EQ(init.wait_exit(1500ms), std::nullopt);
}

// `unshare --pid --fork sleep` makes a PID namespace without a /proc of its own: its /proc is
// the host's. From the host, --pid must still report that namespace's PID 1 (the sleep), never
// the host's; from inside there is nothing to read (exit 2, as documented).
TEST(Inspect, PidOfANamespaceWithoutItsOwnProc) {
  const char* unshare = "/usr/bin/unshare";
  if (::access(unshare, X_OK) != 0) {
    GTEST_SKIP() << "unshare (util-linux) is not installed";
  }
  if (auto reason = pid_namespace_unavailable()) {
    GTEST_SKIP() << *reason;
  }
  LaunchSpec spec;
  spec.pid_namespace = false;
  spec.argv = {unshare, "--pid", "--fork", "--kill-child", "/bin/sleep", "1000"};
  PIDONE_LAUNCH_OR_SKIP(outer, spec);
  pid_t sleep_pid = 0;
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& p : proc::scan_processes()) {
          if (p.ppid == outer.pid() && p.comm == "sleep") {
            sleep_pid = p.pid;
          }
        }
        return sleep_pid != 0;
      },
      10s));
  const Inspection r = inspect({"--pid", std::to_string(sleep_pid), "--json", "--all"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(
      has(r.out, "\"pid_on_host\": " + std::to_string(sleep_pid) + ", \"command\": \"sleep\""))
      << r.out;
  // Only the sleep is in that namespace: one process, PID 1, whatever the host runs.
  EXPECT_TRUE(has(r.out, "\"capacity\": {\"processes\": 1,")) << r.out;
  EXPECT_TRUE(has(r.out, "\"processes\": [\n    {\"pid\": 1, \"ppid\": 0, ")) << r.out;
  EXPECT_EQ(json_verdict(r.out, "SIGTERM", false), "dropped");
  // The text says the same.
  const Inspection text = inspect({"--pid", std::to_string(sleep_pid)});
  EXPECT_TRUE(
      has(text.out, "PID 1: sleep (an application, host PID " + std::to_string(sleep_pid) + ")\n"))
      << text.out;
  if (::access(kNsenter, X_OK) == 0) {
    const Inspection inside = inspect_inside(sleep_pid, {}, false);
    EXPECT_EQ(inside.code, 2);
    EXPECT_EQ(inside.out, "");
    EXPECT_TRUE(has(inside.err, "pidone-inspect: /proc does not belong to this PID namespace"))
        << inside.err;
    EXPECT_EQ(std::count(inside.err.begin(), inside.err.end(), '\n'), 1) << inside.err;
  }
}

struct ShellCase {
  std::string name;
  std::string shell;
  std::string waits;    // the shell's command after it starts app-test in the background
  std::string wchan;    // where PID 1 sleeps once settled
  std::string verdict;  // what pidone-inspect says PID 1 does with the zombies
  bool reaps = false;   // and what it does once app-test dies and they are PID 1's
};

class ShellAsPid1 : public ::testing::TestWithParam<ShellCase> {};

// app-test leaves 3 zombies under itself (PID 2); its parent, the shell, is PID 1. When
// app-test is killed they pass to the shell: whether it reaps them must be what the verdict
// said.
TEST_P(ShellAsPid1, ReapsOrphansWhenTheVerdictSaysSo) {
  const ShellCase& c = GetParam();
  if (::access(c.shell.c_str(), X_OK) != 0) {
    GTEST_SKIP() << c.shell << " is not installed";
  }
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  // A FIFO opened read-write never delivers a byte: `read` blocks on it for good.
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  LaunchSpec spec;
  spec.argv = {c.shell, "-c",
               lab_program("app-test") + " 3 --sleep 0 & exec 3<>" + fifo + "; " + c.waits};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  ASSERT_TRUE(eventually(
      [&] {
        return count_state(processes_in(init), 'Z') == 3 && threads_sleep_in(init.pid(), {c.wchan});
      },
      20s))
      << ::testing::PrintToString(thread_wchans(init.pid()));
  const Inspection r = inspect_pid(init.pid());
  EXPECT_TRUE(has(r.out, "\"parent\": 2, \"parent_command\": \"app-test\", \"count\": 3")) << r.out;
  EXPECT_TRUE(has(r.out, "if it exits they pass to PID 1 (" + c.name.substr(0, c.name.find('_')) +
                             "), " + c.verdict))
      << r.out;
  pid_t app_test = 0;
  for (const auto& p : proc::scan_processes()) {
    if (p.ppid == init.pid() && p.comm == "app-test") {
      app_test = p.pid;
    }
  }
  ASSERT_NE(app_test, 0);
  ASSERT_EQ(::kill(app_test, SIGKILL), 0);
  // Reaped: no zombie left. Not reaped: app-test and its 3 children stay zombies of PID 1,
  // checked until a deadline that a reaping shell needs a fraction of.
  const bool reaped =
      eventually([&] { return count_state(processes_in(init), 'Z') == 0; }, c.reaps ? 10s : 1500ms);
  EXPECT_EQ(reaped, c.reaps);
  if (!c.reaps) {
    EXPECT_EQ(count_state(processes_in(init), 'Z'), 4);
    const Inspection after = inspect_pid(init.pid());
    EXPECT_TRUE(has(after.out, "{\"parent\": 1, ")) << after.out;
    EXPECT_TRUE(has(after.out, c.verdict + ": they stay until it waits for any child"))
        << after.out;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shells, ShellAsPid1,
    ::testing::Values(
        // Waiting for its foreground job: blocked in wait4(-1), which reaps any child.
        ShellCase{"bash_waiting_for_a_job", "/bin/bash", "sleep 1000; :", "do_wait",
                  "which reaps them: it is waiting for any child now", true},
        // In `read`: bash's SIGCHLD handler reaps anyway (measured).
        ShellCase{"bash_in_read", "/bin/bash", "read x <&3", "pipe_read",
                  "which reaps them: bash's SIGCHLD handler reaps any child that exits", true},
        ShellCase{"dash_waiting_for_a_job", "/bin/dash", "sleep 1000; :", "do_wait",
                  "which reaps them: it is waiting for any child now", true},
        // dash's handler only notes SIGCHLD: it reaps the next time it waits for a job.
        ShellCase{"dash_in_read", "/bin/dash", "read x <&3", "pipe_read",
                  "which reaps them only while it waits for a job (a foreground command or "
                  "`wait`), and it is not waiting now",
                  false}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace pidone::testing

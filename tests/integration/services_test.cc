// pidone --services DIR: real s6 service directories, made in a temporary folder per test, run
// with pidone as PID 1 of a PID namespace (with a /run of its own, where the status files go)
// and some as a subreaper. Each test checks what the kernel and the services saw: the lines the
// services print (tagged "NAME: ..."), their process start times (field 22 of their stat, set
// by the kernel at fork: restart spacing needs no clock of the test's), the status files, /proc.
// Synchronisation is on lines and on /proc states, with deadlines; never on sleeps.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "fixture.h"
#include "inspect_fixture.h"
#include "json_check.h"
#include "proc/status_parser.h"
#include "proc/text_file.h"
#include "transcripts.h"

namespace pidone::testing {
namespace {

// ---- a DIR of service directories -----------------------------------------------------------

// A temporary DIR, removed with everything in it at the end of the test.
class ServiceTree {
 public:
  ServiceTree() {
    std::string pattern = "/tmp/pidone-services-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) {
      root_ = pattern;
    }
    EXPECT_FALSE(root_.empty()) << "mkdtemp: " << std::strerror(errno);
  }
  ~ServiceTree() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  ServiceTree(const ServiceTree&) = delete;
  ServiceTree& operator=(const ServiceTree&) = delete;

  [[nodiscard]] const std::string& root() const { return root_; }
  [[nodiscard]] std::string dir(const std::string& service) const { return root_ + "/" + service; }

  // SERVICE/FILE with `text`; the service's folder is made if needed.
  void file(const std::string& service, const std::string& name, const std::string& text,
            mode_t mode = 0644) const {
    std::filesystem::create_directories(dir(service));
    const std::string path = dir(service) + "/" + name;
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
  }
  // SERVICE/FILE as an executable /bin/sh script with `body`.
  void script(const std::string& service, const std::string& name, const std::string& body) const {
    file(service, name, "#!/bin/sh\n" + body, 0755);
  }
  void run(const std::string& service, const std::string& body) const {
    script(service, "run", body);
  }
  void finish(const std::string& service, const std::string& body) const {
    script(service, "finish", body);
  }
  // A FIFO in DIR (not a service: services are directories), for a run to wait on.
  [[nodiscard]] std::string fifo(const std::string& name) const {
    const std::string path = root_ + "/" + name;
    EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0) << std::strerror(errno);
    return path;
  }

 private:
  std::string root_;
};

// A line "TAG: start PID TICKS": the run's PID and the kernel's start time of its process.
std::string start_line(const std::string& tag) {
  return "echo \"" + tag + ": start $$ $(cut -d' ' -f22 /proc/$$/stat)\"\n";
}

// A run that is testkid reporting its signals, its lines tagged; it exits on `exit_sig`.
std::string testkid_run(const std::string& tag, const std::string& exit_sig = "TERM") {
  return "TESTKID_TAG=" + tag + " exec " + testkid_path() + " signals " + exit_sig + "\n";
}

// The same, ready through its notification-fd `fd` once it catches signals (the service needs
// notification_fd(fd) too).
std::string notifying_testkid_run(const std::string& tag, int fd,
                                  const std::string& exit_sig = "TERM") {
  return "TESTKID_NOTIFY_FD=" + std::to_string(fd) + " " + testkid_run(tag, exit_sig);
}

constexpr const char* kS6Svscan = "/usr/bin/s6-svscan";

// ---- pidone over the tree --------------------------------------------------------------------

LaunchSpec pidone_services(const ServiceTree& tree, std::vector<std::string> options,
                           std::vector<std::string> command, bool pid_namespace = true) {
  LaunchSpec spec;
  spec.pid_namespace = pid_namespace;
  spec.private_run = pid_namespace;
  spec.argv = {pidone_path()};
  spec.argv.insert(spec.argv.end(), options.begin(), options.end());
  spec.argv.insert(spec.argv.end(), {"--services", tree.root()});
  if (!command.empty()) {
    spec.argv.emplace_back("--");
    spec.argv.insert(spec.argv.end(), command.begin(), command.end());
  }
  return spec;
}

// The status file of a service: /run/pidone/<pidone's pid>/services/NAME, read from outside
// (through the namespace's root when pidone is its PID 1).
std::string status_path(const Launched& init, bool pid_namespace, const std::string& name) {
  return pid_namespace
             ? "/proc/" + std::to_string(init.pid()) + "/root/run/pidone/1/services/" + name
             : "/run/pidone/" + std::to_string(init.pid()) + "/services/" + name;
}

std::map<std::string, std::string> read_status(const Launched& init, bool pid_namespace,
                                               const std::string& name) {
  std::map<std::string, std::string> fields;
  std::istringstream words(proc::read_text_file(status_path(init, pid_namespace, name)));
  for (std::string word; words >> word;) {
    if (const auto eq = word.find('='); eq != std::string::npos) {
      fields[word.substr(0, eq)] = word.substr(eq + 1);
    }
  }
  return fields;
}

// Waits until the status file of `name` has field=value.
bool status_becomes(const Launched& init, bool pid_namespace, const std::string& name,
                    const std::string& field, const std::string& value,
                    Clock::duration timeout = 10s) {
  return eventually([&] { return read_status(init, pid_namespace, name)[field] == value; },
                    timeout);
}

// The PID the test sees for a process that calls itself `pid` inside pidone's namespace.
pid_t host_pid(const Launched& init, pid_t pid) {
  for (const auto& p : proc::descendants_of(proc::scan_processes(), init.pid())) {
    const auto status =
        proc::parse_status(proc::read_text_file("/proc/" + std::to_string(p.pid) + "/status"));
    if (status && !status->nspid.empty() && status->nspid.back() == pid) {
      return p.pid;
    }
  }
  return -1;
}

struct Start {
  pid_t pid = 0;
  std::uint64_t ticks = 0;  // the kernel's start time of the process, in clock ticks
};

Start parse_start(const std::string& line) {
  std::istringstream words(line.substr(line.find(": start ") + 8));
  Start start;
  words >> start.pid >> start.ticks;
  return start;
}

// The next `count` "TAG: start" lines, or fewer at the deadline.
std::vector<Start> next_starts(LineReader& out, const std::string& tag, int count,
                               Clock::duration timeout) {
  std::vector<Start> starts;
  const auto deadline = Clock::now() + timeout;
  while (static_cast<int>(starts.size()) < count) {
    const auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero()) {
      break;
    }
    const auto line =
        out.wait_for(tag + ": start ", std::chrono::duration_cast<Clock::duration>(left));
    if (!line) {
      break;
    }
    starts.push_back(parse_start(*line));
  }
  return starts;
}

// 90 ticks (0.9 s at USER_HZ 100). pidone starts a run no sooner than 1000 ms after its last
// start on its own clock; the kernel's start time is that of the fork, a little after, by a
// delay that varies with the load (tens of ms on two busy cores), and it is truncated to a
// tick. A busy restart loop would be 0 or 1 tick apart, a halved pace 50.
constexpr std::uint64_t kMinRestartTicks = 90;

long clock_ticks() {
  return ::sysconf(_SC_CLK_TCK);
}

// Reads lines until `done(seen)` or the deadline; whether it got there. `seen` is what the
// reader holds, read or not yet: saw_all and this may leave a line that came in the same read
// unconsumed, so a wait_for after them can return a line from before (count instead).
template <class Done>
bool read_until(LineReader& reader, Done done, Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done(reader.seen())) {
    if (!reader.next_line(deadline)) {
      return done(reader.seen());
    }
  }
  return true;
}

int to_int(const std::string& text) {
  return static_cast<int>(std::strtol(text.c_str(), nullptr, 10));
}

// The first whole line of `text` containing `needle` (without its newline), or "".
std::string line_with(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  if (at == std::string::npos) {
    return {};
  }
  const auto begin = text.rfind('\n', at);
  const auto start = begin == std::string::npos ? 0 : begin + 1;
  return text.substr(start, text.find('\n', at) - start);
}

// Position of a line containing `needle` in what the reader has seen, or npos.
std::size_t position_of(const LineReader& out, const std::string& needle) {
  return out.seen().find(needle);
}

// Opens `fifo` for writing once a reader has it open (ENXIO until then), writes a line.
bool release(const std::string& fifo) {
  int fd = -1;
  const bool opened = eventually(
      [&] {
        fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        return fd >= 0;
      },
      10s);
  if (!opened) {
    return false;
  }
  const bool written = ::write(fd, "go\n", 3) == 3;
  ::close(fd);
  return written;
}

// ---- as PID 1 and as a subreaper ------------------------------------------------------------

class ServicesModes : public ::testing::TestWithParam<bool> {
 protected:
  [[nodiscard]] bool pid_namespace() const { return GetParam(); }
};

std::string mode_name(const ::testing::TestParamInfo<bool>& info) {
  return info.param ? "Pid1" : "Subreaper";
}

// Readiness gating: the command starts once the service wrote its newline to fd 3, not before.
// The service waits on a FIFO the test holds, so "not before" is checked with it blocked there.
TEST_P(ServicesModes, CommandStartsOnlyOnceEveryServiceIsReady) {
  ServiceTree tree;
  const std::string gate = tree.fifo("gate");
  tree.file("slow", "notification-fd", "3\n");
  tree.run("slow", "echo \"slow: up $$\"\nread -r line < " + gate +
                       "\necho \"slow: notifying\"\necho >&3\nexec sleep 1000\n");
  tree.run("plain", "echo \"plain: up $$\"\nexec sleep 1000\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {"-v"}, testkid({"signals"}), pid_namespace()));
  ASSERT_TRUE(init.out().wait_for("slow: up")) << init.err().read_rest(1s);
  ASSERT_TRUE(status_becomes(init, pid_namespace(), "slow", "state", "up"));
  // The run is blocked opening the FIFO, which only the test can release: until then no
  // process of the command exists, and the status file says not ready.
  const auto command_running = [&] {
    const auto table = pid_namespace() ? processes_in(init)
                                       : proc::descendants_of(proc::scan_processes(), init.pid());
    return std::any_of(table.begin(), table.end(),
                       [](const proc::ProcStat& p) { return p.comm == "testkid"; });
  };
  EXPECT_FALSE(command_running());
  EXPECT_EQ(read_status(init, pid_namespace(), "slow")["ready"], "0");
  EXPECT_EQ(read_status(init, pid_namespace(), "plain")["ready"], "0");  // no notification-fd
  EXPECT_EQ(init.err().seen().find("started 'testkid'"), std::string::npos);
  ASSERT_TRUE(release(gate));
  ASSERT_TRUE(init.out().wait_for("ready ")) << init.out().seen();
  EXPECT_TRUE(command_running());
  EXPECT_LT(position_of(init.out(), "slow: notifying"), position_of(init.out(), "ready "))
      << init.out().seen();
  EXPECT_EQ(read_status(init, pid_namespace(), "slow")["ready"], "1");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);  // the command's status: testkid exits 0 on SIGTERM
}

// Stop order: the command first; once it exited, each service gets its down-signal; finish runs
// on the way down; a service that ignores SIGTERM is SIGKILLed when --grace has passed.
TEST_P(ServicesModes, StopTheCommandFirstThenTheServicesThenKillAfterTheGrace) {
  ServiceTree tree;
  tree.run("polite", testkid_run("polite"));
  tree.finish("polite", "echo \"polite: finish $1 $2\"\n");
  tree.run("stubborn", "trap '' TERM\necho \"stubborn: up $$\"\nexec sleep 1000\n");
  tree.finish("stubborn", "echo \"stubborn: finish $1 $2\"\n");
  // The stubborn finish runs within the leftovers' grace (docs/services.md): long enough for a
  // shell's echo on a loaded machine (at 700 ms one was SIGKILLed before it printed).
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_services(tree, {"--grace", "1500ms"},
                            {"/usr/bin/env", "TESTKID_TAG=cmd", testkid_path(), "signals"},
                            pid_namespace()));
  // "stubborn: up" comes once its shell ignores SIGTERM (the status file says up before that).
  ASSERT_TRUE(saw_all(init.out(), {"polite: ready", "cmd: ready", "stubborn: up"}))
      << init.out().seen();
  ASSERT_TRUE(status_becomes(init, pid_namespace(), "stubborn", "state", "up"));
  const auto stopped_at = Clock::now();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(30s), 0);  // the command's status
  const auto took = Clock::now() - stopped_at;
  init.out().read_rest();
  const std::string seen = init.out().seen();
  const auto cmd_got = seen.find("cmd: signal 15 ");
  const auto polite_got = seen.find("polite: signal 15 ");
  ASSERT_NE(cmd_got, std::string::npos) << seen;
  ASSERT_NE(polite_got, std::string::npos) << seen;
  EXPECT_LT(cmd_got, polite_got) << "a service was stopped before the command exited\n" << seen;
  EXPECT_EQ(count_of(seen, "cmd: signal"), 1) << seen;  // SIGTERM once, forwarded
  EXPECT_NE(seen.find("polite: finish 0 0"), std::string::npos) << seen;
  // The stubborn one outlived the grace: SIGKILL, and its finish said so.
  EXPECT_NE(seen.find("stubborn: finish 256 9"), std::string::npos) << seen;
  EXPECT_GE(took, 1500ms);
}

// Without a command: lives until a stop signal and exits 0; other signals go to every run.
TEST_P(ServicesModes, WithoutACommandOtherSignalsGoToEveryRunUntilAStopSignal) {
  ServiceTree tree;
  tree.run("one", testkid_run("one"));
  tree.run("two", testkid_run("two"));
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}, pid_namespace()));
  ASSERT_TRUE(saw_all(init.out(), {"one: ready", "two: ready"})) << init.out().seen();
  init.send(SIGUSR1);
  ASSERT_TRUE(saw_all(init.out(), {"one: signal 10 ", "two: signal 10 "})) << init.out().seen();
  init.send(SIGUSR2);
  ASSERT_TRUE(saw_all(init.out(), {"one: signal 12 ", "two: signal 12 "})) << init.out().seen();
  EXPECT_TRUE(status_becomes(init, pid_namespace(), "one", "state", "up"));  // still there
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  for (const std::string tag : {"one", "two"}) {
    EXPECT_EQ(count_of(seen, tag + ": signal 10 "), 1) << seen;
    EXPECT_EQ(count_of(seen, tag + ": signal 12 "), 1) << seen;
    EXPECT_EQ(count_of(seen, tag + ": signal 15 "), 1) << seen;
  }
}

// With a command, a signal that is not a stop signal goes to the command alone. Had a service
// been sent it, its line would come before its SIGTERM's (signalfd reads the lower one first,
// and the SIGTERM comes long after): the full output after exit tells, without a wait.
TEST_P(ServicesModes, WithACommandOtherSignalsGoToTheCommandOnly) {
  ServiceTree tree;
  tree.run("svc", testkid_run("svc"));
  PIDONE_LAUNCH_OR_SKIP(
      init,
      pidone_services(tree, {}, {"/usr/bin/env", "TESTKID_TAG=cmd", testkid_path(), "signals"},
                      pid_namespace()));
  ASSERT_TRUE(saw_all(init.out(), {"svc: ready", "cmd: ready"})) << init.out().seen();
  init.send(SIGUSR1);
  ASSERT_TRUE(init.out().wait_for("cmd: signal 10 ")) << init.out().seen();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  EXPECT_EQ(seen.find("svc: signal 10 "), std::string::npos) << seen;
  EXPECT_NE(seen.find("svc: signal 15 "), std::string::npos) << seen;
}

// Without a command a stop signal ends it with 0: every service gets its down-signal (SIGTERM)
// and then SIGCONT, its finish runs, and one still there when --grace has passed is SIGKILLed
// (its finish says 256 9). While they stop, the status files say so.
TEST_P(ServicesModes, WithoutACommandAStopSignalStopsEveryServiceThenKillsAfterTheGrace) {
  ServiceTree tree;
  tree.run("polite", testkid_run("polite"));
  tree.finish("polite", "echo \"polite: finish $1 $2\"\n");
  tree.run("stubborn", testkid_run("stubborn", "USR1"));  // reports TERM and CONT, stays
  tree.finish("stubborn", "echo \"stubborn: finish $1 $2\"\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {"--grace", "1500ms"}, {}, pid_namespace()));
  ASSERT_TRUE(saw_all(init.out(), {"polite: ready", "stubborn: ready"})) << init.out().seen();
  const auto stopped_at = Clock::now();
  init.send(SIGTERM);
  ASSERT_TRUE(saw_all(init.out(), {"stubborn: signal 15 ", "stubborn: signal 18 "}))
      << init.out().seen();
  EXPECT_TRUE(status_becomes(init, pid_namespace(), "polite", "state", "stopped"));
  EXPECT_EQ(read_status(init, pid_namespace(), "polite")["pid"], "0");
  // Until the grace (1.5 s, far more than the polite one's stop takes) the stubborn one is up.
  EXPECT_EQ(read_status(init, pid_namespace(), "stubborn")["state"], "up");
  EXPECT_EQ(init.wait_exit(30s), 0);
  const auto took = Clock::now() - stopped_at;
  init.out().read_rest();
  const std::string seen = init.out().seen();
  EXPECT_NE(seen.find("polite: signal 15 "), std::string::npos) << seen;
  EXPECT_NE(seen.find("polite: finish 0 0\n"), std::string::npos) << seen;
  EXPECT_LT(seen.find("stubborn: signal 15 "), seen.find("stubborn: signal 18 ")) << seen;
  EXPECT_EQ(count_of(seen, "stubborn: signal 15 "), 1) << seen;  // once: no second SIGTERM
  EXPECT_NE(seen.find("stubborn: finish 256 9\n"), std::string::npos) << seen;
  EXPECT_GE(took, 1500ms);
  EXPECT_LT(took, 1500ms + 5s);
  if (!pid_namespace()) {
    EXPECT_NE(::access(("/run/pidone/" + std::to_string(init.pid())).c_str(), F_OK), 0)
        << "the status files were left";
  }
}

// With a command, its exit ends the container: the services are stopped then (their down-signal,
// their finish), and pidone exits with the command's status.
TEST_P(ServicesModes, TheCommandsExitStopsTheServicesAndIsPidonesStatus) {
  ServiceTree tree;
  tree.file("svc", "notification-fd", "3\n");
  tree.run("svc", notifying_testkid_run("svc", 3));
  tree.finish("svc", "echo \"svc: finish $1 $2\"\n");
  // The command starts once svc is ready, says so, and exits 7.
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_services(tree, {"-v"}, {"/bin/sh", "-c", "echo command: running; exit 7"},
                            pid_namespace()));
  EXPECT_EQ(init.wait_exit(), 7);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  const auto ready = seen.find("svc: ready ");
  const auto command = seen.find("command: running");
  const auto term = seen.find("svc: signal 15 ");
  const auto finish = seen.find("svc: finish 0 0\n");
  ASSERT_NE(ready, std::string::npos) << seen;
  ASSERT_NE(command, std::string::npos) << seen;
  ASSERT_NE(term, std::string::npos) << seen;
  ASSERT_NE(finish, std::string::npos) << seen;
  EXPECT_LT(ready, command) << seen;
  EXPECT_LT(command, term) << seen;
  EXPECT_LT(term, finish) << seen;
  // pidone's own account (-v): the command's exit came before the service's.
  const std::string err = init.err().read_rest();
  const auto command_exit = err.find("exited with 7");
  const auto service_exit = err.find("service svc (pid ");
  ASSERT_NE(command_exit, std::string::npos) << err;
  ASSERT_NE(service_exit, std::string::npos) << err;
  EXPECT_LT(command_exit, service_exit) << err;
}

INSTANTIATE_TEST_SUITE_P(AsPid1AndSubreaper, ServicesModes, ::testing::Values(true, false),
                         mode_name);

// ---- as PID 1 ----------------------------------------------------------------------------------

// A service never ready within --ready-timeout: exit 1 with one line naming it; the command
// never started; the services were stopped (their down-signal), not just left to the kernel.
TEST(Services, ReadyTimeoutStopsEverythingAndExitsOneWithOneLine) {
  ServiceTree tree;
  tree.file("never", "notification-fd", "3\n");
  tree.run("never", testkid_run("never"));
  tree.run("other", testkid_run("other"));
  // Stopped by their down-signal (SIGTERM): testkid exits 0 on it, or its shell, if it had not
  // exec'd yet, dies of it. A SIGKILL (256 9), or no finish at all, would be no stop.
  for (const std::string name : {"never", "other"}) {
    tree.finish(name, "echo \"" + name + ": finish $1 $2\"\nexit 125\n");
  }
  const auto started = Clock::now();  // before pidone starts its clock
  PIDONE_LAUNCH_OR_SKIP(init,
                        pidone_services(tree, {"--ready-timeout", "300ms"}, testkid({"signals"})));
  EXPECT_EQ(init.wait_exit(), 1);
  EXPECT_GE(Clock::now() - started, 300ms);
  init.out().read_rest();
  const std::string err = init.err().read_rest();
  EXPECT_EQ(err, "pidone: service never not ready within 300ms: stopping\n");
  const std::string seen = init.out().seen();
  for (const std::string name : {"never", "other"}) {
    EXPECT_TRUE(seen.find(name + ": finish 0 0\n") != std::string::npos ||
                seen.find(name + ": finish 256 15\n") != std::string::npos)
        << seen;
  }
  EXPECT_EQ(count_of(seen, "\nready "), 0) << seen;  // the command's line (untagged)
  EXPECT_FALSE(seen.starts_with("ready ")) << seen;
}

// A stop signal while the command still waits for the services: the command never starts,
// the services are stopped, and pidone exits as a command killed by that signal would (143).
TEST(Services, AStopSignalBeforeTheCommandStartedStopsEverythingWith128PlusIt) {
  ServiceTree tree;
  tree.file("never", "notification-fd", "3\n");
  tree.run("never", testkid_run("never"));
  tree.finish("never", "echo \"never: finish $1 $2\"\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {"--ready-timeout", "60s"},
                                              {"/bin/sh", "-c", "echo command: started"}));
  ASSERT_TRUE(init.out().wait_for("never: ready ")) << init.out().seen();
  const auto stopped_at = Clock::now();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 143);
  EXPECT_LT(Clock::now() - stopped_at, 10s);  // not the ready-timeout's 60 s
  init.out().read_rest();
  const std::string seen = init.out().seen();
  EXPECT_NE(seen.find("never: signal 15 "), std::string::npos) << seen;
  EXPECT_NE(seen.find("never: finish 0 0\n"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("command: started"), std::string::npos) << seen;
}

// A `down` service with a notification-fd never starts, so it holds nothing: the command
// starts without it. A run that exits before it is ready holds the command until a later
// start says ready.
TEST(Services, OnlyStartedServicesHoldTheCommandAndReadinessMaySayItAfterARestart) {
  ServiceTree tree;
  tree.file("off", "notification-fd", "3\n");
  tree.file("off", "down", "");
  tree.run("off", "exec sleep 1000\n");
  tree.file("late", "notification-fd", "3\n");
  tree.run("late", start_line("late") +
                       "if [ ! -e once ]; then : > once; exit 1; fi\n"
                       "echo >&3\nexec sleep 1000\n");
  PIDONE_LAUNCH_OR_SKIP(
      init, pidone_services(tree, {}, {"/bin/sh", "-c", "echo command: started; exec sleep 1000"}));
  const auto starts = next_starts(init.out(), "late", 2, 10s);
  ASSERT_EQ(starts.size(), 2U) << init.out().seen();
  ASSERT_TRUE(init.out().wait_for("command: started")) << init.out().seen();
  EXPECT_EQ(count_of(init.out().seen(), "late: start "), 2) << init.out().seen();
  EXPECT_LT(init.out().seen().find("late: start " + std::to_string(starts[1].pid)),
            init.out().seen().find("command: started"))
      << init.out().seen();
  EXPECT_EQ(read_status(init, true, "late")["ready"], "1");
  EXPECT_EQ(read_status(init, true, "off")["state"], "down");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 143);  // sh's sleep, killed by the forwarded SIGTERM
}

// s6's rule: `run` starts no sooner than 1 s after its previous start, so a crash loop costs a
// start a second (and pidone, between them, sleeps: its CPU time stays small).
TEST(Services, ACrashLoopCostsOneStartASecond) {
  ServiceTree tree;
  tree.run("crash", start_line("crash") + "exit 1\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  const auto starts = next_starts(init.out(), "crash", 4, 20s);
  ASSERT_EQ(starts.size(), 4U) << init.out().seen();
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_GE(starts[i].ticks - starts[i - 1].ticks, kMinRestartTicks)
        << "start " << i + 1 << " came too soon\n"
        << init.out().seen();
    EXPECT_NE(starts[i].pid, starts[i - 1].pid);
  }
  EXPECT_GE(to_int(read_status(init, true, "crash")["starts"]), 4);
  // Over three seconds of crash loop pidone used (much) less than a tenth of a second of CPU.
  const auto self = proc::read_text_file("/proc/" + std::to_string(init.pid()) + "/stat");
  std::istringstream fields(self.substr(self.rfind(')') + 2));
  std::string field;
  std::uint64_t utime = 0;
  std::uint64_t stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) {
      utime = std::strtoull(field.c_str(), nullptr, 10);
    } else if (i == 15) {
      stime = std::strtoull(field.c_str(), nullptr, 10);
      break;
    }
  }
  EXPECT_LT(utime + stime, static_cast<std::uint64_t>(clock_ticks() / 10)) << self;
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// finish gets run's exit code, 0 and the name; exit 125 from finish is a permanent failure: the
// state says failed, nothing starts again, and pidone says so at its default level.
TEST(Services, FinishGetsTheExitCodeAndItsExit125EndsTheRestarts) {
  ServiceTree tree;
  tree.run("once", start_line("once") + "exit 1\n");
  tree.finish("once", "echo \"once: finish $# $*\"\nexit 125\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  // Three arguments, as s6-supervise gives them: the exit code, 0, the service's name.
  ASSERT_TRUE(init.out().wait_for("once: finish 3 1 0 once")) << init.out().seen();
  ASSERT_TRUE(status_becomes(init, true, "once", "state", "failed"));
  EXPECT_TRUE(init.err().wait_for("service once failed for good (finish exited 125)"));
  auto status = read_status(init, true, "once");
  EXPECT_EQ(status["starts"], "1");
  EXPECT_EQ(status["pid"], "0");
  // A restart would be due a second after the start: past that, still none.
  EXPECT_FALSE(init.out().wait_for("once: start", 1500ms)) << init.out().seen();
  EXPECT_EQ(read_status(init, true, "once")["starts"], "1");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// A run killed with SIGKILL: finish gets "256 9", and the run is started again.
TEST(Services, ARunKilledWithSigkillGetsFinish256And9AndIsRestarted) {
  ServiceTree tree;
  tree.run("victim", start_line("victim") + "exec sleep 1000\n");
  tree.finish("victim", "echo \"victim: finish $1 $2\"\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  const auto first = next_starts(init.out(), "victim", 1, 10s);
  ASSERT_EQ(first.size(), 1U) << init.out().seen();
  const pid_t victim = host_pid(init, first[0].pid);
  ASSERT_GT(victim, 0);
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  EXPECT_TRUE(init.out().wait_for("victim: finish 256 9")) << init.out().seen();
  const auto second = next_starts(init.out(), "victim", 1, 10s);
  ASSERT_EQ(second.size(), 1U) << init.out().seen();
  EXPECT_NE(second[0].pid, first[0].pid);
  EXPECT_GE(second[0].ticks - first[0].ticks, kMinRestartTicks);
  EXPECT_TRUE(status_becomes(init, true, "victim", "starts", "2"));
  EXPECT_EQ(read_status(init, true, "victim")["state"], "up");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  EXPECT_NE(init.out().seen().find("victim: finish 256 15"), std::string::npos)
      << init.out().seen();  // finish on the way down too
}

// timeout-finish: a finish that takes longer is SIGKILLed, and the service goes on.
TEST(Services, AFinishThatTakesTooLongIsKilledAndTheServiceRestarts) {
  ServiceTree tree;
  tree.run("slowfin", start_line("slowfin") + "exit 3\n");
  tree.finish("slowfin", "echo \"slowfin: finish $1 $2\"\nexec sleep 1000\n");
  tree.file("slowfin", "timeout-finish", "200\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {"-v"}, {}));
  ASSERT_TRUE(init.out().wait_for("slowfin: finish 3 0"));
  EXPECT_TRUE(init.err().wait_for("service slowfin: finish took too long: killed"))
      << init.err().seen();
  EXPECT_EQ(next_starts(init.out(), "slowfin", 1, 10s).size(), 1U) << init.out().seen();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// `down`: the service is not started; its state says down.
TEST(Services, ADownServiceIsNotStarted) {
  ServiceTree tree;
  tree.run("off", "echo \"off: started\"\nexec sleep 1000\n");
  tree.file("off", "down", "");
  tree.run("on", testkid_run("on"));
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  ASSERT_TRUE(init.out().wait_for("on: ready"));
  ASSERT_TRUE(status_becomes(init, true, "off", "state", "down"));
  const auto off = read_status(init, true, "off");
  EXPECT_EQ(off.at("pid"), "0");
  EXPECT_EQ(off.at("starts"), "0");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  EXPECT_EQ(init.out().seen().find("off: started"), std::string::npos) << init.out().seen();
}

// down-signal: the stop sends it, then SIGCONT (a stopped run still wakes to it).
TEST(Services, ACustomDownSignalIsSentThenSigcont) {
  ServiceTree tree;
  tree.run("hup", testkid_run("hup", "18"));  // reports each signal; exits on SIGCONT
  tree.file("hup", "down-signal", "SIGHUP\n");
  tree.run("usr", testkid_run("usr", "18"));
  tree.file("usr", "down-signal", "10\n");  // a number works too
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  ASSERT_TRUE(saw_all(init.out(), {"hup: ready", "usr: ready"})) << init.out().seen();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  for (const char* sent :
       {"hup: signal 1 ", "hup: signal 18 ", "usr: signal 10 ", "usr: signal 18 "}) {
    EXPECT_NE(seen.find(sent), std::string::npos) << sent << "\n" << seen;
  }
  EXPECT_LT(seen.find("hup: signal 1 "), seen.find("hup: signal 18 ")) << seen;
  EXPECT_LT(seen.find("usr: signal 10 "), seen.find("usr: signal 18 ")) << seen;
  EXPECT_EQ(seen.find("signal 15 "), std::string::npos) << seen;  // no SIGTERM at all
}

// A run that cannot be executed (a #! naming a missing interpreter) is logged and treated as
// an exit with 127: finish says so, and it is paced like a crash.
TEST(Services, ARunThatCannotBeExecutedIsLoggedAndPacedLikeACrash) {
  ServiceTree tree;
  tree.file("broken", "run", "#!/nonexistent/interpreter\n", 0755);
  tree.finish("broken", start_line("broken") + "echo \"broken: finish $1 $2\"\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  const auto starts = next_starts(init.out(), "broken", 3, 20s);  // finish's own start times
  ASSERT_EQ(starts.size(), 3U) << init.out().seen() << init.err().seen();
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_GE(starts[i].ticks - starts[i - 1].ticks, kMinRestartTicks) << init.out().seen();
  }
  EXPECT_NE(init.out().seen().find("broken: finish 127 0"), std::string::npos) << init.out().seen();
  EXPECT_TRUE(init.err().wait_for("service broken: cannot start")) << init.err().seen();
  EXPECT_NE(init.err().seen().find("No such file or directory"), std::string::npos)
      << init.err().seen();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// A run that can no longer be executed (its mode lost x while it ran): EACCES is an exit
// with 126, finish says so, and pidone says why.
TEST(Services, ARunThatBecameNotExecutableCountsAsAnExitWith126) {
  ServiceTree tree;
  tree.run("perm", start_line("perm") + "exec sleep 1000\n");
  tree.finish("perm", "echo \"perm: finish $1 $2\"\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  const auto first = next_starts(init.out(), "perm", 1, 10s);
  ASSERT_EQ(first.size(), 1U) << init.out().seen();
  ASSERT_EQ(::chmod((tree.dir("perm") + "/run").c_str(), 0644), 0);
  ASSERT_EQ(::kill(host_pid(init, first[0].pid), SIGKILL), 0);
  EXPECT_TRUE(init.out().wait_for("perm: finish 256 9")) << init.out().seen();
  EXPECT_TRUE(init.out().wait_for("perm: finish 126 0")) << init.out().seen();
  EXPECT_TRUE(init.err().wait_for("pidone: service perm: cannot start: execvp: Permission denied"))
      << init.err().seen();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// A relative DIR: pidone leaves its starting directory for / once it runs, and a service
// started again after that still starts, in its own directory.
TEST(Services, ARelativeDirectoryStillStartsTheServicesAfterPidoneLeftIt) {
  ServiceTree tree;
  tree.run("crash", "echo \"crash: start $$ $(cut -d' ' -f22 /proc/$$/stat) $(pwd -P)\"\nexit 1\n");
  const std::filesystem::path root(tree.root());
  LaunchSpec spec;
  spec.pid_namespace = true;
  spec.private_run = true;
  spec.argv = {"/bin/sh", "-c",
               "cd " + sh_quote(root.parent_path().string()) + " && exec " +
                   sh_quote(pidone_path()) + " --services " + sh_quote(root.filename().string())};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  const auto starts = next_starts(init.out(), "crash", 3, 20s);
  ASSERT_EQ(starts.size(), 3U) << init.out().seen() << init.err().seen();
  EXPECT_EQ(count_of(init.out().seen(), " " + tree.dir("crash") + "\n"), 3) << init.out().seen();
  EXPECT_EQ(init.err().seen(), "");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// A service whose directory is gone when it is due to start again (renamed while it ran):
// pidone says why in one line and paces it as a crash (127), and lives on.
TEST(Services, AServiceWhoseDirectoryIsGoneIsLoggedAndPacedLikeACrash) {
  ServiceTree tree;
  tree.run("moving", start_line("moving") + "exec sleep 1000\n");
  tree.run("other", testkid_run("other"));
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  const auto first = next_starts(init.out(), "moving", 1, 10s);
  ASSERT_EQ(first.size(), 1U) << init.out().seen();
  ASSERT_EQ(::rename(tree.dir("moving").c_str(), (tree.root() + "/.moved").c_str()), 0);
  ASSERT_EQ(::kill(host_pid(init, first[0].pid), SIGKILL), 0);
  const std::string line = "pidone: service moving: cannot start: chdir: No such file or directory";
  ASSERT_TRUE(init.err().wait_for(line)) << init.err().seen();
  ASSERT_TRUE(init.err().wait_for(line, 5s)) << init.err().seen();  // again, a second later
  // The line comes first, then the status file: one start and two failed ones.
  EXPECT_TRUE(eventually(
      [&] {
        auto status = read_status(init, true, "moving");
        return status["state"] == "restarting" && to_int(status["starts"]) >= 3;
      },
      10s))
      << proc::read_text_file(status_path(init, true, "moving"));
  EXPECT_EQ(read_status(init, true, "other")["state"], "up");
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// What a run sees: its directory as cwd, stdin from /dev/null, pidone's stdout, pidone's
// environment (the command's), a session and group of its own, and no descriptor but 0, 1, 2
// and its notification-fd.
TEST(Services, ARunSeesItsDirectoryDevNullTheEnvironmentAndOnlyItsDescriptors) {
  ServiceTree tree;
  tree.file("look", "notification-fd", "5\n");
  tree.run("look",
           "echo \"look: cwd $(pwd -P)\"\n"
           "echo \"look: stdin $(readlink /proc/$$/fd/0)\"\n"
           "echo \"look: fd5 $(readlink /proc/$$/fd/5 | cut -d: -f1)\"\n"
           "env | grep -v -e '^PWD=' -e '^OLDPWD=' -e '^SHLVL=' -e '^_=' | sort > " +
               tree.root() +
               "/env.run\n"
               // Ready once testkid reported (the command's exit then stops the service).
               "TESTKID_TAG=look TESTKID_NOTIFY_FD=5 exec " +
               testkid_path() + " state\n");
  tree.finish("look", "exit 125\n");
  LaunchSpec spec = pidone_services(tree, {},
                                    {"/bin/sh", "-c",
                                     "env | grep -v -e '^PWD=' -e '^OLDPWD=' -e '^SHLVL=' -e '^_=' "
                                     "| sort > " +
                                         tree.root() + "/env.command; echo command: done"});
  spec.extra_env = {"PIDONE_TEST_MARK=seen by every process"};
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  EXPECT_NE(seen.find("look: cwd " + tree.dir("look") + "\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("look: stdin /dev/null\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("look: fd5 pipe\n"), std::string::npos) << seen;
  const auto state = seen.find("look: state ");
  ASSERT_NE(state, std::string::npos) << seen;
  const std::string line = seen.substr(state, seen.find('\n', state) - state);
  const std::string id = std::to_string(to_int(line.substr(line.find("pid=") + 4)));
  EXPECT_NE(line.find("pgid=" + id + " sid=" + id + " "), std::string::npos) << line;
  EXPECT_NE(line.find(" fds=0,1,2,5"), std::string::npos) << line;
  EXPECT_TRUE(line.ends_with("fds=0,1,2,5")) << line;
  EXPECT_NE(seen.find("command: done"), std::string::npos) << seen;
  const std::string env_run = proc::read_text_file(tree.root() + "/env.run");
  EXPECT_NE(env_run.find("PIDONE_TEST_MARK=seen by every process\n"), std::string::npos) << env_run;
  EXPECT_EQ(env_run, proc::read_text_file(tree.root() + "/env.command"));
}

// The caller's signal state reaches run as it reaches the command: an ignored SIGHUP (nohup)
// stays ignored, a blocked signal stays blocked; none of pidone's own blocking leaks.
TEST(Services, ARunInheritsTheCallersSignalStateAsTheCommandDoes) {
  ServiceTree tree;
  // Ready once it reported: the command, which pidone then starts, exits at once, and the
  // stop must not find the run still in its shell.
  tree.file("inherit", "notification-fd", "3\n");
  tree.run("inherit",
           "TESTKID_TAG=inherit TESTKID_NOTIFY_FD=3 exec " + testkid_path() + " state\n");
  tree.finish("inherit", "exit 125\n");
  LaunchSpec spec =
      pidone_services(tree, {}, {"/usr/bin/env", "TESTKID_TAG=cmd", testkid_path(), "state"});
  spec.ignored = sys::SignalSet().add(SIGHUP);
  spec.blocked = sys::SignalSet().add(SIGUSR2);
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  char ignored[32];
  char blocked[32];
  std::snprintf(ignored, sizeof(ignored), "sigign=%016llx",
                static_cast<unsigned long long>(spec.ignored.bits()));
  std::snprintf(blocked, sizeof(blocked), "sigblk=%016llx",
                static_cast<unsigned long long>(spec.blocked.bits()));
  for (const std::string tag : {"inherit", "cmd"}) {
    const auto at = seen.find(tag + ": state ");
    ASSERT_NE(at, std::string::npos) << seen;
    const std::string line = seen.substr(at, seen.find('\n', at) - at);
    EXPECT_NE(line.find(ignored), std::string::npos) << line;
    EXPECT_NE(line.find(blocked), std::string::npos) << line;
  }
}

// `nosetsid`: run stays in pidone's session.
TEST(Services, NosetsidKeepsRunInPidonesSession) {
  ServiceTree tree;
  tree.run("joined", "TESTKID_TAG=joined exec " + testkid_path() + " state\n");
  tree.finish("joined", "exit 125\n");
  tree.file("joined", "nosetsid", "");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  ASSERT_TRUE(init.out().wait_for("joined: state ")) << init.out().seen();
  EXPECT_NE(init.out().seen().find(" pgid=1 sid=1 "), std::string::npos) << init.out().seen();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// Each stop signal (TERM, INT, QUIT, HUP) ends a pidone without a command with 0; the services
// get their own down-signal (SIGTERM here), not the signal pidone received.
class ServicesOnlyStop : public ::testing::TestWithParam<int> {};

TEST_P(ServicesOnlyStop, EndsItWithZeroAndEachServiceGetsItsDownSignal) {
  const int sig = GetParam();
  ServiceTree tree;
  tree.run("svc", testkid_run("svc"));
  tree.finish("svc", "echo \"svc: finish $1 $2\"\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  ASSERT_TRUE(init.out().wait_for("svc: ready ")) << init.out().seen();
  init.send(sig);
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  EXPECT_NE(seen.find("svc: signal 15 "), std::string::npos) << seen;
  EXPECT_EQ(count_of(seen, "svc: signal "), 1) << seen;  // SIGTERM, and not `sig` as well
  EXPECT_NE(seen.find("svc: finish 0 0\n"), std::string::npos) << seen;
}

INSTANTIATE_TEST_SUITE_P(StopSignals, ServicesOnlyStop,
                         ::testing::Values(SIGTERM, SIGINT, SIGQUIT, SIGHUP), signal_param_name);

// Orphans a run leaves die as children of PID 1, and a crash loop's runs exit one after the
// other: pidone reaps them all, so no zombie stays in the namespace.
TEST(Services, OrphansOfAServiceAndExitedRunsLeaveNoZombie) {
  ServiceTree tree;
  tree.run("orphaner", "TESTKID_TAG=orphaner exec " + testkid_path() + " orphans 50\n");
  tree.run("crash", start_line("crash") + "exit 1\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  ASSERT_TRUE(init.out().wait_for("orphaner: released 50")) << init.out().seen();
  ASSERT_EQ(next_starts(init.out(), "crash", 2, 10s).size(), 2U) << init.out().seen();
  std::vector<proc::ProcStat> table;
  EXPECT_TRUE(eventually(
      [&] {
        table = processes_in(init);
        return count_state(table, 'Z') == 0;
      },
      10s))
      << count_state(table, 'Z') << " zombies";
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// What a run leaves behind (a grandchild, in the run's session) is not a service: it gets the
// drain's SIGTERM only once every service has stopped and finished, then pidone exits.
TEST(Services, WhatARunLeftBehindIsDrainedAfterTheServicesStopped) {
  ServiceTree tree;
  tree.run("parent",
           "TESTKID_TAG=leftover " + testkid_path() + " signals &\n" + testkid_run("parent"));
  tree.finish("parent", "echo \"parent: finish $1 $2\"\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  ASSERT_TRUE(saw_all(init.out(), {"leftover: ready", "parent: ready"})) << init.out().seen();
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
  init.out().read_rest();
  const std::string seen = init.out().seen();
  const auto parent_term = seen.find("parent: signal 15 ");
  const auto parent_finish = seen.find("parent: finish 0 0\n");
  const auto leftover_term = seen.find("leftover: signal 15 ");
  ASSERT_NE(parent_term, std::string::npos) << seen;
  ASSERT_NE(parent_finish, std::string::npos) << seen;
  ASSERT_NE(leftover_term, std::string::npos) << "the drain never reached it\n" << seen;
  EXPECT_LT(parent_term, parent_finish) << seen;
  EXPECT_LT(parent_finish, leftover_term) << seen;
}

// The status files, whole: one per service, "pid=P state=S ready=R starts=N", P the run's PID
// as the namespace sees it (0 when none runs), nothing else in the folder.
TEST(Services, StatusFilesSayWhatEachServiceIs) {
  ServiceTree tree;
  tree.file("ready", "notification-fd", "3\n");
  tree.run("ready", notifying_testkid_run("ready", 3));
  tree.run("plain", testkid_run("plain"));
  tree.run("off", "exec sleep 1000\n");
  tree.file("off", "down", "");
  tree.run("gaveup", "exit 1\n");
  tree.finish("gaveup", "exit 125\n");
  tree.run("again", "exit 1\n");  // no finish: restarting, a second after each start
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  const auto ready_line = init.out().wait_for("ready: ready ");
  ASSERT_TRUE(ready_line) << init.out().seen();
  ASSERT_TRUE(saw_all(init.out(), {"plain: ready "})) << init.out().seen();
  const std::string seen = init.out().seen();
  const auto plain_at = seen.find("plain: ready ");
  const pid_t ready_pid = pid_from_line(*ready_line);
  const pid_t plain_pid =
      pid_from_line(seen.substr(plain_at, seen.find('\n', plain_at) - plain_at));
  const auto text_of = [&](const std::string& name) {
    return proc::read_text_file(status_path(init, true, name));
  };
  const std::map<std::string, std::string> expected = {
      {"ready", "pid=" + std::to_string(ready_pid) + " state=up ready=1 starts=1\n"},
      {"plain", "pid=" + std::to_string(plain_pid) + " state=up ready=0 starts=1\n"},
      {"off", "pid=0 state=down ready=0 starts=0\n"},
      {"gaveup", "pid=0 state=failed ready=0 starts=1\n"},
  };
  for (const auto& [name, text] : expected) {
    EXPECT_TRUE(eventually([&] { return text_of(name) == text; }, 10s))
        << name << ": '" << text_of(name) << "', not '" << text << "'";
  }
  EXPECT_TRUE(eventually(
      [&] { return text_of("again").starts_with("pid=0 state=restarting ready=0 starts="); }, 10s))
      << text_of("again");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(status_path(init, true, "x")).parent_path())) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"again", "gaveup", "off", "plain", "ready"}));
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// pidone-inspect names the services of the pidone it inspects, from outside (--pid) and from
// inside the container: name, pid, state, readiness and restarts, and warns of a failed one.
TEST(InspectServices, PidoneInspectListsEachServiceWithItsPidStateReadinessAndRestarts) {
  ServiceTree tree;
  tree.file("web", "notification-fd", "3\n");
  tree.run("web", notifying_testkid_run("web", 3));
  tree.run("side", start_line("side") + "exec sleep 1000\n");
  tree.run("off", "exec sleep 1000\n");
  tree.file("off", "down", "");
  tree.run("gaveup", "exit 1\n");
  tree.finish("gaveup", "exit 125\n");
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {}, {}));
  ASSERT_TRUE(saw_all(init.out(), {"web: ready ", "side: start "})) << init.out().seen();
  const pid_t web = pid_from_line(line_with(init.out().seen(), "web: ready "));
  // side is killed once and restarted: one restart.
  const Start first = parse_start(line_with(init.out().seen(), "side: start "));
  ASSERT_EQ(::kill(host_pid(init, first.pid), SIGKILL), 0) << first.pid;
  ASSERT_TRUE(read_until(
      init.out(), [](const std::string& seen) { return count_of(seen, "side: start ") == 2; }, 10s))
      << init.out().seen();
  const std::string seen = init.out().seen();
  const Start second =
      parse_start(line_with(seen.substr(seen.rfind("side: start ")), "side: start "));
  ASSERT_NE(second.pid, first.pid) << seen;
  ASSERT_TRUE(status_becomes(init, true, "side", "pid", std::to_string(second.pid))) << seen;
  ASSERT_TRUE(status_becomes(init, true, "gaveup", "state", "failed"));
  ASSERT_TRUE(status_becomes(init, true, "web", "ready", "1"));

  // The table: NAME PID STATE READY RESTARTS, one row per service, sorted by name.
  const std::vector<std::string> rows = {
      "gaveup - failed no 0",
      "off - down no 0",
      "side " + std::to_string(second.pid) + " up no 1",
      "web " + std::to_string(web) + " up yes 0",
  };
  const Inspection outside = inspect({"--pid", std::to_string(init.pid())});
  EXPECT_NE(outside.out.find("services (pidone --services): 4\n"), std::string::npos)
      << outside.out << outside.err;
  EXPECT_EQ(service_rows(outside.out), rows) << outside.out;
  EXPECT_NE(outside.out.find("service gaveup failed for good"), std::string::npos) << outside.out;
  const Inspection inside = inspect_inside(init.pid(), {});
  EXPECT_EQ(service_rows(inside.out), rows) << inside.out << inside.err;

  const Inspection json = inspect_pid(init.pid());
  EXPECT_EQ(JsonCheck::error_in(json.out), "") << json.out;
  for (const std::string& entry :
       {std::string(
            R"({"name": "gaveup", "pid": null, "state": "failed", "ready": false, "restarts": 0})"),
        std::string(
            R"({"name": "off", "pid": null, "state": "down", "ready": false, "restarts": 0})"),
        R"({"name": "side", "pid": )" + std::to_string(second.pid) +
            R"(, "state": "up", "ready": false, "restarts": 1})",
        R"({"name": "web", "pid": )" + std::to_string(web) +
            R"(, "state": "up", "ready": true, "restarts": 0})"}) {
    EXPECT_NE(json.out.find(entry), std::string::npos) << entry << "\n" << json.out;
  }
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

// ---- as a subreaper: nothing is left --------------------------------------------------------

// A service whose run leaves a grandchild that ignores SIGTERM, another whose run is killed:
// when pidone exits, no process it ever had below it is alive, and its status files are gone.
TEST(Services, NoDescendantLeftAfterExitAsASubreaper) {
  ServiceTree tree;
  tree.run("leaver", "sh -c 'trap \"\" TERM; echo \"leaver: grandchild $$\"; exec sleep 1000' &\n" +
                         testkid_run("leaver"));
  tree.run("plain", testkid_run("plain"));
  PIDONE_LAUNCH_OR_SKIP(init, pidone_services(tree, {"--grace", "300ms"}, {}, false));
  ASSERT_TRUE(saw_all(init.out(), {"leaver: grandchild", "leaver: ready", "plain: ready"}))
      << init.out().seen();
  ASSERT_TRUE(eventually(
      [&] {
        const auto below = proc::descendants_of(proc::scan_processes(), init.pid());
        return std::any_of(below.begin(), below.end(),
                           [](const proc::ProcStat& p) { return p.comm == "sleep"; });
      },
      10s));
  const auto below = proc::descendants_of(proc::scan_processes(), init.pid());
  EXPECT_GE(below.size(), 3U);
  ASSERT_EQ(
      ::access(("/run/pidone/" + std::to_string(init.pid()) + "/services/leaver").c_str(), F_OK),
      0);
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
  for (const auto& process : below) {
    const auto now = proc::read_stat(process.pid);
    EXPECT_FALSE(now && now->start_time == process.start_time)
        << process.comm << " (" << process.pid << ") outlived pidone";
  }
  EXPECT_NE(::access(("/run/pidone/" + std::to_string(init.pid())).c_str(), F_OK), 0)
      << "the status files were left";
}

// ---- beside s6: the same directory under s6-svscan and under pidone -------------------------

// The services of the comparison: each writes what it sees and what is done to it as tagged
// lines, which transcript() reduces to what does not depend on PIDs or clocks.
void s6_comparison_services(const ServiceTree& tree) {
  // look: where it runs, its stdin, environment, descriptors (its notification-fd 4), signal
  // state and session; then its finish's arguments, which end it for good.
  tree.file("look", "notification-fd", "4\n");
  tree.run("look",
           "echo \"look: cwd $(basename \"$(pwd -P)\") stdin $(readlink /proc/self/fd/0)\"\n"
           "echo \"look: env $(env | grep -v -e '^PWD=' -e '^OLDPWD=' -e '^SHLVL=' -e '^_=' | "
           "sort | md5sum | cut -c1-8)\"\n"
           "TESTKID_TAG=look TESTKID_NOTIFY_FD=4 exec " +
               testkid_path() + " state\n");
  tree.finish("look", "echo \"look: finish $# $*\"\nexit 125\n");
  // crash: exits 3, three times (its finish counts, then exits 125).
  tree.run("crash", start_line("crash") + "exit 3\n");
  tree.finish("crash",
              "echo \"crash: finish $# $*\"\n"
              "n=$(( $(cat count 2>/dev/null || echo 0) + 1 ))\necho $n > count\n"
              "[ $n -lt 3 ] || exit 125\n");
  // killed: the test SIGKILLs its first run; the stop's SIGTERM kills the second.
  tree.run("killed", start_line("killed") + "exec sleep 1000\n");
  tree.finish("killed", "echo \"killed: finish $# $*\"\n");
  // hup: its down-signal is SIGHUP; it reports every signal and exits on SIGCONT.
  tree.run("hup", testkid_run("hup", "18"));
  tree.file("hup", "down-signal", "HUP\n");
  tree.finish("hup", "echo \"hup: finish $# $*\"\n");
  // off is down, .hidden is not a service: neither may start.
  tree.run("off", "echo \"off: started\"\n");
  tree.file("off", "down", "");
  tree.run(".hidden", "echo \".hidden: started\"\n");
}

struct Transcript {
  std::map<std::string, std::vector<std::string>> lines;  // per tag, in order, normalised
  std::vector<Start> crash_starts;
  std::string raw;
};

// `line` without what differs from run to run: PIDs, start times, the sender of a signal.
std::string normalised(const std::string& line) {
  std::istringstream words(line);
  std::string tag;
  std::string what;
  words >> tag >> what;
  if (what == "start" || what == "ready") {
    return what;
  }
  if (what == "signal") {
    std::string number;
    std::string code_word;
    std::string code;
    words >> number >> code_word >> code;
    return "signal " + number + " code " + code;
  }
  if (what == "state") {
    std::map<std::string, std::string> fields;
    for (std::string word; words >> word;) {
      const auto eq = word.find('=');
      fields[word.substr(0, eq)] = eq == std::string::npos ? "" : word.substr(eq + 1);
    }
    const auto own = [&](const std::string& key) {
      return fields[key] == fields["pid"] ? std::string("own") : std::string("other");
    };
    return "state pgid=" + own("pgid") + " sid=" + own("sid") + " tpgid=" + fields["tpgid"] +
           " sigblk=" + fields["sigblk"] + " sigign=" + fields["sigign"] + " fds=" + fields["fds"];
  }
  return line.substr(line.find(' ') + 1);
}

Transcript transcript_of(const std::string& out) {
  Transcript t;
  t.raw = out;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const auto colon = line.find(": ");
    if (colon == std::string::npos) {
      continue;
    }
    t.lines[line.substr(0, colon)].push_back(normalised(line));
    if (line.starts_with("crash: start ")) {
      t.crash_starts.push_back(parse_start(line));
    }
  }
  return t;
}

// Runs `supervisor` (its argv before the directory's path) over a fresh copy of the services,
// walks them through the same steps, stops it with SIGTERM and returns what the services said.
std::optional<Transcript> supervise_for_comparison(std::vector<std::string> argv) {
  ServiceTree tree;
  s6_comparison_services(tree);
  LaunchSpec spec;
  spec.pid_namespace = false;
  spec.argv = std::move(argv);
  spec.argv.push_back(tree.root());
  auto launched = Launched::start(spec);
  EXPECT_TRUE(launched) << launched.error();
  if (!launched) {
    return std::nullopt;
  }
  Launched& supervisor = *launched;
  LineReader& out = supervisor.out();
  const std::string who = spec.argv.front();
  // Up: look reported and gave up, hup is ready, killed started, crash failed for good.
  EXPECT_TRUE(read_until(
      out,
      [](const std::string& seen) {
        return seen.find("look: finish") != std::string::npos &&
               seen.find("hup: ready") != std::string::npos &&
               seen.find("killed: start") != std::string::npos &&
               count_of(seen, "crash: finish") == 3;
      },
      20s))
      << who << "\n"
      << out.seen();
  const auto third_finish = Clock::now();
  // killed's run dies of SIGKILL, and starts again.
  const Start killed = parse_start(line_with(out.seen(), "killed: start "));
  EXPECT_EQ(::kill(killed.pid, SIGKILL), 0);
  EXPECT_TRUE(read_until(
      out, [](const std::string& seen) { return count_of(seen, "killed: start") == 2; }, 10s))
      << who << "\n"
      << out.seen();
  // A fourth crash would start a second after the third: give it 1.5 s to show up.
  (void)read_until(
      out, [](const std::string& seen) { return count_of(seen, "crash: start") > 3; },
      std::max<Clock::duration>(third_finish + 1500ms - Clock::now(), Clock::duration::zero()));
  supervisor.send(SIGTERM);
  EXPECT_TRUE(supervisor.wait_exit(30s).has_value()) << who << " did not exit";
  out.read_rest();
  return transcript_of(out.seen());
}

// The differential test of issue 14: one directory, s6-svscan (Debian's s6) and pidone over it,
// and what the services saw compared line by line: cwd, stdin, environment, descriptors,
// signal state, session, finish's arguments, 125, down, dot names, the down-signal and
// SIGCONT, a SIGKILLed run restarted, and the pace of a crash loop.
TEST(ServicesBesideS6, TheSameDirectoryUnderS6SvscanAndPidoneSeesTheSame) {
  if (::access(kS6Svscan, X_OK) != 0) {
    GTEST_SKIP() << "s6 is not installed (" << kS6Svscan
                 << "): apt-get install s6, or scripts/install-deps.sh test";
  }
  const auto s6 = supervise_for_comparison({kS6Svscan});
  const auto ours = supervise_for_comparison({pidone_path(), "--services"});
  ASSERT_TRUE(s6 && ours);
  // What s6 did, spelled out: the comparison is only worth what the reference shows.
  const std::map<std::string, std::vector<std::string>> expected = {
      {"crash",
       {"start", "finish 3 3 0 crash", "start", "finish 3 3 0 crash", "start",
        "finish 3 3 0 crash"}},
      {"killed", {"start", "finish 3 256 9 killed", "start", "finish 3 256 15 killed"}},
      {"hup", {"ready", "signal 1 code 0", "signal 18 code 0", "finish 3 0 0 hup"}},
  };
  for (const auto& [tag, lines] : expected) {
    EXPECT_EQ(s6->lines.at(tag), lines) << tag << " under s6-svscan\n" << s6->raw;
  }
  const auto& look = s6->lines.at("look");
  ASSERT_EQ(look.size(), 4U) << s6->raw;
  EXPECT_EQ(look[0], "cwd look stdin /dev/null");
  EXPECT_TRUE(look[2].starts_with("state pgid=own sid=own ")) << look[2];
  EXPECT_TRUE(look[2].ends_with(" fds=0,1,2,4")) << look[2];
  EXPECT_EQ(look[3], "finish 3 0 0 look");
  EXPECT_EQ(s6->lines.count("off"), 0U) << s6->raw;
  EXPECT_EQ(s6->lines.count(".hidden"), 0U) << s6->raw;
  // pidone, service by service, the same.
  std::set<std::string> tags;
  for (const auto* t : {&*s6, &*ours}) {
    for (const auto& [tag, lines] : t->lines) {
      tags.insert(tag);
    }
  }
  for (const auto& tag : tags) {
    const auto s6_lines = s6->lines.contains(tag) ? s6->lines.at(tag) : std::vector<std::string>{};
    const auto our_lines =
        ours->lines.contains(tag) ? ours->lines.at(tag) : std::vector<std::string>{};
    EXPECT_EQ(our_lines, s6_lines) << "service " << tag << ": pidone, then s6-svscan\n"
                                   << ours->raw << "----\n"
                                   << s6->raw;
  }
  // The crash loop's pace: a start a second under both.
  for (const auto* t : {&*s6, &*ours}) {
    ASSERT_EQ(t->crash_starts.size(), 3U) << t->raw;
    for (std::size_t i = 1; i < t->crash_starts.size(); ++i) {
      EXPECT_GE(t->crash_starts[i].ticks - t->crash_starts[i - 1].ticks, kMinRestartTicks)
          << t->raw;
    }
  }
}

// ---- bad directories: exit 2 and one line, before anything starts ---------------------------

struct BadCase {
  std::string name;
  // Fills the tree (which also holds a good service "aaa" that must not start).
  void (*make)(const ServiceTree&);
  std::string services_arg;  // "" = the tree's root; otherwise below it
  std::string message;       // the line, after "pidone: "; ROOT stands for the tree
};

void good_service(const ServiceTree& tree) {
  tree.run("aaa", "echo \"aaa: started\"\nexec sleep 1000\n");
}

const BadCase kBadCases[] = {
    {"MissingDir", [](const ServiceTree&) {}, "/missing",
     "services directory 'ROOT/missing': No such file or directory"},
    {"AFileNotADir", [](const ServiceTree& t) { t.file("x", "plain", "text\n"); }, "/x/plain",
     "services directory 'ROOT/x/plain' is not a directory"},
    {"NoRun", [](const ServiceTree& t) { t.file("web", "finish", "", 0755); }, "",
     "service 'web': no run file"},
    {"RunNotExecutable", [](const ServiceTree& t) { t.file("web", "run", "#!/bin/sh\n", 0644); },
     "", "service 'web': run is not an executable file"},
    {"BadDownSignal",
     [](const ServiceTree& t) {
       t.run("web", "exit 0\n");
       t.file("web", "down-signal", "SIGNOPE\n");
     },
     "", "service 'web': down-signal must hold a signal name or number, not 'SIGNOPE'"},
    {"DownSignalStop",
     [](const ServiceTree& t) {
       t.run("web", "exit 0\n");
       t.file("web", "down-signal", "STOP\n");
     },
     "", "service 'web': down-signal must hold a signal name or number, not 'STOP'"},
    {"NotificationFdStdout",
     [](const ServiceTree& t) {
       t.run("web", "exit 0\n");
       t.file("web", "notification-fd", "1\n");
     },
     "", "service 'web': notification-fd must hold a descriptor number from 3 to 1023, not '1'"},
    {"NotificationFdText",
     [](const ServiceTree& t) {
       t.run("web", "exit 0\n");
       t.file("web", "notification-fd", "three\n");
     },
     "",
     "service 'web': notification-fd must hold a descriptor number from 3 to 1023, not 'three'"},
    {"TimeoutFinishText",
     [](const ServiceTree& t) {
       t.run("web", "exit 0\n");
       t.file("web", "timeout-finish", "soon\n");
     },
     "", "service 'web': timeout-finish must hold milliseconds (0: no limit), not 'soon'"},
    {"TimeoutFinishNegative",
     [](const ServiceTree& t) {
       t.run("web", "exit 0\n");
       t.file("web", "timeout-finish", "-1\n");
     },
     "", "service 'web': timeout-finish must hold milliseconds (0: no limit), not '-1'"},
};

class BadServiceDirs : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadServiceDirs, ExitTwoWithOneLineBeforeAnythingStarts) {
  const BadCase& bad = GetParam();
  ServiceTree tree;
  good_service(tree);
  bad.make(tree);
  LaunchSpec spec = pidone_services(tree, {}, testkid({"signals"}));
  if (!bad.services_arg.empty()) {
    const auto at = std::find(spec.argv.begin(), spec.argv.end(), tree.root());
    ASSERT_NE(at, spec.argv.end());
    *at = tree.root() + bad.services_arg;
  }
  PIDONE_LAUNCH_OR_SKIP(init, spec);
  EXPECT_EQ(init.wait_exit(), 2);
  std::string message = bad.message;
  if (const auto at = message.find("ROOT"); at != std::string::npos) {
    message.replace(at, 4, tree.root());
  }
  EXPECT_EQ(init.err().read_rest(), "pidone: " + message + "\n");
  EXPECT_EQ(init.out().read_rest(), "");  // neither "aaa: started" nor the command's "ready"
}

std::string bad_case_name(const ::testing::TestParamInfo<BadCase>& param) {
  return param.param.name;
}

INSTANTIATE_TEST_SUITE_P(Refused, BadServiceDirs, ::testing::ValuesIn(kBadCases), bad_case_name);

}  // namespace
}  // namespace pidone::testing

// pidone-inspect's verdicts from hand-made snapshots: what a name may add, what the kernel's
// facts decide, and that hostile names reach the reader escaped.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "inspect/analysis.h"
#include "json_check.h"

namespace pidone::inspect {
namespace {

std::uint64_t bit(int sig) {
  return std::uint64_t{1} << (sig - 1);
}

Process process(pid_t pid, pid_t ppid, const std::string& comm, char state = 'S') {
  Process p;
  p.stat.pid = pid;
  p.stat.ppid = ppid;
  p.stat.comm = comm;
  p.stat.state = state;
  p.status.pid = pid;
  p.status.ppid = ppid;
  p.status.state = state;
  p.status.threads = 1;
  p.dir = "/proc/" + std::to_string(pid);
  return p;
}

Thread thread(pid_t tid, std::uint64_t blocked, const std::string& wchan = "do_sys_pause") {
  Thread t;
  t.tid = tid;
  t.state = 'S';
  t.sig_blk = blocked;
  t.wchan = wchan;
  return t;
}

Thread waiting(pid_t tid, std::uint64_t blocked, std::uint64_t set) {
  Thread t = thread(tid, blocked, "do_sigtimedwait.isra.0");
  t.syscall = parse_syscall("128 0x7ffe0 0x7ffd0 0x0 0x8 0x0 0x0 0x7ffc0 0x7f000");
  t.wait = SigWait::kKnownSet;
  t.wait_set = set;
  return t;
}

// A namespace whose PID 1 is `comm` with `threads`, caught and ignored signals as given.
Snapshot one_init(const std::string& comm, std::vector<Thread> threads, std::uint64_t caught = 0,
                  std::uint64_t ignored = 0) {
  Snapshot s;
  s.proc_root = "/proc";
  Process init = process(1, 0, comm);
  init.status.sig_cgt = caught;
  init.status.sig_ign = ignored;
  init.status.sig_blk = threads.empty() ? 0 : threads.front().sig_blk;
  init.status.threads = static_cast<int>(threads.size());
  s.processes.push_back(init);
  s.init_threads = std::move(threads);
  return s;
}

const SignalRow& row(const Analysis& a, int sig) {
  for (const auto& r : a.signals) {
    if (r.sig == sig) {
      return r;
    }
  }
  static const SignalRow none;
  ADD_FAILURE() << "no row for signal " << sig;
  return none;
}

bool has_finding(const Analysis& a, const std::string& needle) {
  for (const auto& f : a.findings) {
    if (f.text.find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

constexpr std::uint64_t kTiniSet =
    ~std::uint64_t{0} & ~((std::uint64_t{1} << 8) | (std::uint64_t{1} << 18));

TEST(Analysis, TiniInSigtimedwaitIsWaitedForAndBelieved) {
  const Snapshot s = one_init("tini", {waiting(1, 0, kTiniSet)});
  const Analysis a = analyze(s);
  EXPECT_EQ(row(a, SIGTERM).from_inside, Delivery::kWaited);
  EXPECT_EQ(row(a, SIGTERM).from_parent, Delivery::kWaited);
  EXPECT_EQ(a.init.kind, InitKind::kForwardingInit);
  EXPECT_EQ(a.warnings(), 0);
  EXPECT_FALSE(has_finding(a, "no SIGTERM handler"));
  EXPECT_TRUE(has_finding(a, "PID 1 is tini: forwards signals"));
}

// A `sleep` run through a symlink named tini: the name is tini's, the facts are sleep's.
TEST(Analysis, ARenamedProgramIsNotTakenForTheInitItIsNamedAfter) {
  const Snapshot s = one_init("tini", {thread(1, 0, "hrtimer_nanosleep")});
  const Analysis a = analyze(s);
  EXPECT_EQ(row(a, SIGTERM).from_inside, Delivery::kDropped);
  EXPECT_EQ(a.init.kind, InitKind::kUnknown);
  EXPECT_FALSE(has_finding(a, "PID 1 is tini: forwards"));
  EXPECT_TRUE(has_finding(a, "PID 1 (tini) has no SIGTERM handler"));
  EXPECT_TRUE(has_finding(a, "named tini but does not act like it"));
  EXPECT_NE(render_json(a, s, false).find("\"kind\": \"application\""), std::string::npos);
}

TEST(Analysis, TheHeaderGivesTheHostPidOnlyWhenItIsKnown) {
  Snapshot inside = one_init("pidone", {thread(1, ~std::uint64_t{0}, "signalfd_read_iter")});
  std::string text = render_text(analyze(inside), inside, false);
  EXPECT_EQ(text.rfind("PID 1: pidone (pidone)\n", 0), 0U) << text;
  EXPECT_NE(render_json(analyze(inside), inside, false).find("\"pid_on_host\": null"),
            std::string::npos);
  Snapshot host = inside;
  host.init_host_pid = 4242;
  text = render_text(analyze(host), host, false);
  EXPECT_EQ(text.rfind("PID 1: pidone (pidone, host PID 4242)\n", 0), 0U) << text;
}

TEST(Analysis, HostileNamesReachTheReaderEscaped) {
  for (const std::string& name :
       {std::string("\x1b]0;pwn\a"), std::string("tini\n\x1b[31mFAKE"), std::string("ti\xffni\xc3"),
        std::string("a\xe2\x80\xae"
                    "b")}) {
    Snapshot s = one_init(name, {thread(1, 0)});
    s.processes.push_back(process(2, 1, name, 'Z'));
    const Analysis a = analyze(s);
    for (const std::string& out : {render_text(a, s, true), render_json(a, s, true)}) {
      for (const char c : out) {
        const auto byte = static_cast<unsigned char>(c);
        EXPECT_TRUE(byte == '\n' || (byte >= 0x20 && byte < 0x7f))
            << "byte " << int(byte) << " in\n"
            << out;
      }
      EXPECT_EQ(out.find("\nFAKE"), std::string::npos);
    }
    EXPECT_EQ(testing::JsonCheck::error_in(render_json(a, s, true)), "");
    EXPECT_EQ(a.init.kind, InitKind::kUnknown);
  }
}

TEST(Analysis, AThreadThatDropsSigtermIsNamed) {
  const Snapshot s = one_init("server", {thread(1, bit(SIGTERM)), thread(7, 0)});
  const Analysis a = analyze(s);
  EXPECT_EQ(row(a, SIGTERM).from_inside, Delivery::kDropped);
  EXPECT_TRUE(
      has_finding(a, "blocks SIGTERM in its main thread, but thread 7 leaves it unblocked"));
  const std::string text = render_text(a, s, false);
  EXPECT_NE(text.find("  threads: 2\n"), std::string::npos) << text;
}

TEST(Analysis, AWaitOnAnUnreadableSetIsANoteNotAWarning) {
  Thread t = thread(1, 0, "do_sigtimedwait.isra.0");
  t.wait = SigWait::kUnknownSet;
  const Snapshot s = one_init("waiter", {t});
  const Analysis a = analyze(s);
  EXPECT_EQ(row(a, SIGTERM).from_inside, Delivery::kProbablyWaited);
  EXPECT_EQ(a.warnings(), 0);
  EXPECT_TRUE(has_finding(a, "SIGTERM is probably received"));
}

TEST(Analysis, InspectItselfIsNotOneOfTheApplicationsOtherProcesses) {
  Snapshot s = one_init("server", {thread(1, 0)}, bit(SIGTERM));
  s.processes.push_back(process(9, 0, "pidone-inspect", 'R'));
  s.self = 9;
  EXPECT_FALSE(has_finding(analyze(s), "SIGKILLs the other"));
  s.self = 0;
  EXPECT_TRUE(has_finding(analyze(s), "SIGKILLs the other 1 processes"));
}

// Zombies under a child of the shell: who reaps them once that child exits depends on the
// shell (bash's SIGCHLD handler reaps; dash only while it waits for a job) and on whether it is
// waiting for any child right now.
TEST(Analysis, AShellPid1ReapsOrphansAsThatShellDoes) {
  const auto with_zombies = [](Snapshot s) {
    s.processes.push_back(process(2, 1, "app-test"));
    s.processes.push_back(process(3, 2, "app-test", 'Z'));
    return s;
  };
  const std::uint64_t chld = bit(SIGCHLD);
  Thread in_wait4 = thread(1, chld, "do_wait");
  in_wait4.syscall = parse_syscall("61 0xffffffffffffffff 0x7ffd1 0x0 0x0 0x0 0x0 0x7ffd2 0x7f3");
  const Analysis waiting = analyze(with_zombies(one_init("dash", {in_wait4}, chld)));
  ASSERT_EQ(waiting.zombies.size(), 1U);
  EXPECT_EQ(waiting.reaping, InitReaping::kWaitingNow);
  EXPECT_NE(waiting.zombies[0].verdict.find("which reaps them: it is waiting for any child now"),
            std::string::npos);

  const Analysis dash_reading =
      analyze(with_zombies(one_init("dash", {thread(1, 0, "anon_pipe_read")}, chld)));
  EXPECT_EQ(dash_reading.reaping, InitReaping::kOnlyWhileWaiting);
  EXPECT_NE(dash_reading.zombies[0].verdict.find(
                "which reaps them only while it waits for a job (a foreground command or "
                "`wait`), and it is not waiting now"),
            std::string::npos);

  const Analysis bash_reading =
      analyze(with_zombies(one_init("bash", {thread(1, 0, "anon_pipe_read")}, chld)));
  EXPECT_EQ(bash_reading.reaping, InitReaping::kFromItsHandler);
  EXPECT_NE(bash_reading.zombies[0].verdict.find("bash's SIGCHLD handler reaps any child"),
            std::string::npos);

  // A program named bash that does not catch SIGCHLD is not believed to be bash.
  const Analysis fake_bash =
      analyze(with_zombies(one_init("bash", {thread(1, 0, "anon_pipe_read")})));
  EXPECT_EQ(fake_bash.init.kind, InitKind::kUnknown);
  EXPECT_NE(fake_bash.zombies[0].verdict.find("which will not reap them either"),
            std::string::npos);
}

TEST(Analysis, OrphansOfAnApplicationPid1AreItsToReap) {
  Snapshot s = one_init("app-test", {thread(1, 0, "hrtimer_nanosleep")});
  s.processes.push_back(process(2, 1, "app-test", 'Z'));
  const Analysis a = analyze(s);
  ASSERT_EQ(a.zombies.size(), 1U);
  EXPECT_NE(a.zombies[0].verdict.find("PID 1 must call wait()"), std::string::npos);
}

}  // namespace
}  // namespace pidone::inspect

namespace pidone::inspect {
namespace {

// A task folder made of plain files, read as /proc/PID/task/TID is: "mem" is a sparse file
// holding the awaited set at the address the syscall line gives.
class FakeTask {
 public:
  FakeTask() {
    std::string pattern = ::testing::TempDir() + "/pidone-task.XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) {
      dir_ = pattern;
    }
  }
  ~FakeTask() {
    for (const char* name : {"syscall", "status", "wchan", "mem"}) {
      ::unlink((dir_ + "/" + name).c_str());
    }
    ::rmdir(dir_.c_str());
  }
  FakeTask(const FakeTask&) = delete;
  FakeTask& operator=(const FakeTask&) = delete;

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ + "/" + name) << text;
  }
  void write_set(std::uint64_t address, std::uint64_t set) const {
    std::fstream mem(dir_ + "/mem", std::ios::out | std::ios::binary);
    mem.seekp(static_cast<std::streamoff>(address));
    mem.write(reinterpret_cast<const char*>(&set), sizeof(set));
  }
  [[nodiscard]] const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

std::string status_with_blocked(const std::string& sig_blk) {
  return "Name:\ttini\nState:\tS (sleeping)\nPid:\t4242\nNSpid:\t4242\t1\nSigPnd:\t"
         "0000000000000000\nShdPnd:\t0000000000000000\nSigBlk:\t" +
         sig_blk + "\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\n";
}

constexpr const char* kSigtimedwaitAt4096 = "128 0x1000 0x7ffd0 0x0 0x8 0x0 0x0 0x7ffc0 0x7f000\n";

TEST(ReadThread, ASetReadFromMemoryThatAgreesWithTheMaskIsKnown) {
  if (native_arch() != Arch::kX86_64) {
    GTEST_SKIP() << "the fake syscall line uses x86_64's number";
  }
  FakeTask task;
  task.write("syscall", kSigtimedwaitAt4096);
  task.write("status", status_with_blocked("0000000000000000"));
  task.write("wchan", "do_sigtimedwait.isra.0");
  task.write_set(0x1000, bit(SIGTERM) | bit(SIGKILL));
  const Thread t = read_thread(task.dir(), 1);
  EXPECT_EQ(t.tid, 1);  // NSpid at depth 1: its PID inside
  EXPECT_EQ(t.wait, SigWait::kKnownSet);
  EXPECT_EQ(t.wait_set, bit(SIGTERM));  // SIGKILL can never be waited for
  EXPECT_TRUE(t.settled);
}

TEST(ReadThread, ASetTheMaskContradictsIsNotTrusted) {
  if (native_arch() != Arch::kX86_64) {
    GTEST_SKIP() << "the fake syscall line uses x86_64's number";
  }
  FakeTask task;
  task.write("syscall", kSigtimedwaitAt4096);
  // SIGTERM blocked: the kernel would have unblocked it for a wait on it.
  task.write("status", status_with_blocked("0000000000004000"));
  task.write("wchan", "do_sigtimedwait.isra.0");
  task.write_set(0x1000, bit(SIGTERM));
  EXPECT_EQ(read_thread(task.dir(), 0).wait, SigWait::kUnknownSet);
}

TEST(ReadThread, WithoutTheMemoryOrTheSyscallFileTheWaitComesFromWchan) {
  FakeTask task;
  task.write("status", status_with_blocked("0000000000000000"));
  task.write("wchan", "do_sigtimedwait.isra.0");
  // No syscall file (no ptrace permission): wchan alone says it waits, the set is unknown.
  Thread t = read_thread(task.dir(), 0);
  EXPECT_EQ(t.syscall.kind, SyscallState::Kind::kUnknown);
  EXPECT_EQ(t.wait, SigWait::kUnknownSet);
  if (native_arch() == Arch::kX86_64) {
    task.write("syscall", kSigtimedwaitAt4096);  // readable, but no mem file
    EXPECT_EQ(read_thread(task.dir(), 0).wait, SigWait::kUnknownSet);
  }
  task.write("wchan", "do_nanosleep");
  task.write("syscall", "running\n");
  EXPECT_EQ(read_thread(task.dir(), 0).wait, SigWait::kNone);
}

}  // namespace
}  // namespace pidone::inspect

#include <gtest/gtest.h>
#include <signal.h>

#include "inspect/delivery.h"
#include "inspect/known_inits.h"
#include "inspect/syscall_state.h"
#include "proc/pids_cgroup.h"

namespace pidone::inspect {
namespace {

std::uint64_t bit(int sig) {
  return std::uint64_t{1} << (sig - 1);
}

constexpr std::uint64_t kAll = ~std::uint64_t{0};

// An init whose one signalfd asks for everything (as pidone's and catatonit's nearly do),
// unless a test says otherwise.
Delivery by_masks(int sig, const SignalMasks& masks, bool from_parent) {
  return delivery_to_init(sig, one_thread(masks, kAll), from_parent);
}

ThreadSignals main_thread(std::uint64_t blocked, SigWait wait = SigWait::kNone,
                          std::uint64_t wait_set = 0) {
  return {1, true, false, blocked, wait, wait_set};
}

ThreadSignals other_thread(pid_t tid, std::uint64_t blocked, SigWait wait = SigWait::kNone,
                           std::uint64_t wait_set = 0) {
  return {tid, false, false, blocked, wait, wait_set};
}

InitSignals init_with(std::vector<ThreadSignals> threads, std::uint64_t ignored = 0,
                      std::uint64_t caught = 0) {
  return {ignored, caught, std::move(threads), kAll};
}

TEST(Delivery, SigkillAndSigstopAreDroppedInsideAndForcedFromAbove) {
  const SignalMasks any{kAll, kAll, kAll};
  EXPECT_EQ(by_masks(SIGKILL, any, false), Delivery::kDropped);
  EXPECT_EQ(by_masks(SIGSTOP, {}, false), Delivery::kDropped);
  EXPECT_EQ(by_masks(SIGKILL, {}, true), Delivery::kForcedKill);
  EXPECT_EQ(by_masks(SIGSTOP, {}, true), Delivery::kForcedStop);
}

TEST(Delivery, DefaultDispositionIsDroppedFromAnywhere) {
  EXPECT_EQ(by_masks(SIGTERM, {}, false), Delivery::kDropped);
  EXPECT_EQ(by_masks(SIGTERM, {}, true), Delivery::kDropped);
  EXPECT_FALSE(reaches_init(Delivery::kDropped));
}

TEST(Delivery, BlockedBeatsIgnoredBeatsCaught) {
  EXPECT_EQ(by_masks(SIGTERM, {bit(SIGTERM), bit(SIGTERM), bit(SIGTERM)}, false),
            Delivery::kQueued);
  EXPECT_EQ(by_masks(SIGTERM, {0, bit(SIGTERM), bit(SIGTERM)}, false), Delivery::kIgnored);
  EXPECT_EQ(by_masks(SIGTERM, {0, 0, bit(SIGTERM)}, false), Delivery::kHandled);
  EXPECT_TRUE(reaches_init(Delivery::kQueued));
  EXPECT_TRUE(reaches_init(Delivery::kHandled));
}

// Blocked in every thread, waited for by none: only a signalfd that asks for it reads it.
// Without one it stays pending and nothing happens (a program that blocks SIGTERM and never
// reads it: `kill 1` and docker stop do nothing). Descriptors that could not be read make no
// claim either way.
TEST(Delivery, ABlockedSignalIsReadOnlyIfASignalfdAsksForIt) {
  const SignalMasks blocks_term{bit(SIGTERM), 0, 0};
  EXPECT_EQ(delivery_to_init(SIGTERM, one_thread(blocks_term, bit(SIGTERM)), false),
            Delivery::kQueued);
  EXPECT_EQ(delivery_to_init(SIGTERM, one_thread(blocks_term, bit(SIGINT)), false),
            Delivery::kUnread);
  EXPECT_EQ(delivery_to_init(SIGTERM, one_thread(blocks_term, 0), true), Delivery::kUnread);
  EXPECT_FALSE(reaches_init(Delivery::kUnread));
  EXPECT_EQ(delivery_to_init(SIGTERM, one_thread(blocks_term), false), Delivery::kQueuedUnseen);
  EXPECT_TRUE(reaches_init(Delivery::kQueuedUnseen));
  // Running when read: perhaps between two waits, as tini is once a second. Not "unread".
  InitSignals between_waits = one_thread(blocks_term, 0);
  between_waits.threads.front().running = true;
  EXPECT_EQ(delivery_to_init(SIGTERM, between_waits, false), Delivery::kQueuedUnseen);
  // A thread waiting for it still takes it, signalfd or not.
  auto waits =
      init_with({main_thread(bit(SIGTERM)), other_thread(2, 0, SigWait::kKnownSet, bit(SIGTERM))});
  waits.signalfd = 0;
  EXPECT_EQ(delivery_to_init(SIGTERM, waits, false), Delivery::kWaited);
  // The signalfd matters only once every thread blocks it.
  auto open = init_with({main_thread(0)}, 0, bit(SIGTERM));
  open.signalfd = 0;
  EXPECT_EQ(delivery_to_init(SIGTERM, open, false), Delivery::kHandled);
}

// tini waiting in sigtimedwait: SigBlk reads 0 (the kernel unblocked the awaited set), nothing
// caught; /proc/PID/status alone made this "dropped" (issue 15).
TEST(Delivery, AMainThreadWaitingInSigtimedwaitReceivesWhatItWaitsFor) {
  const std::uint64_t tini_set =
      kAll & ~(bit(SIGKILL) | bit(SIGSTOP) | bit(SIGTTIN) | bit(SIGTTOU));
  const auto tini =
      init_with({main_thread(0, SigWait::kKnownSet, tini_set)}, bit(SIGTTIN) | bit(SIGTTOU));
  EXPECT_EQ(delivery_to_init(SIGTERM, tini, false), Delivery::kWaited);
  EXPECT_EQ(delivery_to_init(SIGTERM, tini, true), Delivery::kWaited);
  EXPECT_EQ(delivery_to_init(SIGCHLD, tini, false), Delivery::kWaited);
  EXPECT_EQ(delivery_to_init(SIGTTIN, tini, false), Delivery::kIgnored);
  EXPECT_EQ(delivery_to_init(SIGKILL, tini, true), Delivery::kForcedKill);
  EXPECT_TRUE(reaches_init(Delivery::kWaited));
  // Not in the set and not blocked: the main thread's mask decides, as for any init.
  const auto only_term = init_with({main_thread(0, SigWait::kKnownSet, bit(SIGTERM))});
  EXPECT_EQ(delivery_to_init(SIGINT, only_term, false), Delivery::kDropped);
}

TEST(Delivery, ASecondThreadWaitsForWhatTheMainThreadBlocks) {
  const auto init =
      init_with({main_thread(bit(SIGTERM)), other_thread(2, 0, SigWait::kKnownSet, bit(SIGTERM))});
  EXPECT_EQ(delivery_to_init(SIGTERM, init, false), Delivery::kWaited);
  EXPECT_EQ(delivery_to_init(SIGTERM, init, true), Delivery::kWaited);
}

// The kernel decides whether to drop a signal on the main thread's mask alone: a wait in
// another thread does not save a signal the main thread leaves at SIG_DFL.
TEST(Delivery, AWaitInASecondThreadDoesNotShieldAnUnblockedMainThread) {
  const auto init =
      init_with({main_thread(0), other_thread(2, 0, SigWait::kKnownSet, bit(SIGTERM))});
  EXPECT_EQ(delivery_to_init(SIGTERM, init, false), Delivery::kDropped);
}

TEST(Delivery, AThreadThatDoesNotBlockItTakesItOffTheQueue) {
  const auto dropped = init_with({main_thread(bit(SIGTERM)), other_thread(2, 0)});
  EXPECT_EQ(delivery_to_init(SIGTERM, dropped, false), Delivery::kDropped);
  const auto handled = init_with({main_thread(bit(SIGTERM)), other_thread(2, 0)}, 0, bit(SIGTERM));
  EXPECT_EQ(delivery_to_init(SIGTERM, handled, false), Delivery::kHandled);
  const auto ignored = init_with({main_thread(bit(SIGTERM)), other_thread(2, 0)}, bit(SIGTERM));
  EXPECT_EQ(delivery_to_init(SIGTERM, ignored, false), Delivery::kIgnored);
  // Every thread blocks it: queued until the init reads or unblocks it.
  const auto queued = init_with({main_thread(bit(SIGTERM)), other_thread(2, bit(SIGTERM))});
  EXPECT_EQ(delivery_to_init(SIGTERM, queued, false), Delivery::kQueued);
}

TEST(Delivery, AWaiterAndAThreadThatWouldDropItRace) {
  const auto init = init_with({main_thread(bit(SIGTERM)), other_thread(2, 0),
                               other_thread(3, 0, SigWait::kKnownSet, bit(SIGTERM))});
  EXPECT_EQ(delivery_to_init(SIGTERM, init, false), Delivery::kRace);
  EXPECT_FALSE(reaches_init(Delivery::kRace));
  // The main thread waiting wins: complete_signal tries it first.
  const auto main_waits =
      init_with({main_thread(0, SigWait::kKnownSet, bit(SIGTERM)), other_thread(2, 0)});
  EXPECT_EQ(delivery_to_init(SIGTERM, main_waits, false), Delivery::kWaited);
}

TEST(Delivery, ADeadThreadTakesNothing) {
  ThreadSignals dead = other_thread(2, 0);
  dead.exiting = true;
  const auto init = init_with({main_thread(bit(SIGTERM)), dead});
  EXPECT_EQ(delivery_to_init(SIGTERM, init, false), Delivery::kQueued);
}

TEST(Delivery, AWaitOnASetThatCannotBeReadIsProbablyReceivedNeverDropped) {
  const auto init =
      init_with({main_thread(bit(SIGUSR1), SigWait::kUnknownSet)}, bit(SIGINT), bit(SIGHUP));
  EXPECT_EQ(delivery_to_init(SIGTERM, init, false), Delivery::kProbablyWaited);
  EXPECT_TRUE(reaches_init(Delivery::kProbablyWaited));
  EXPECT_EQ(delivery_to_init(SIGHUP, init, false), Delivery::kHandled);
  // Blocked while it waits: not in the set (the kernel unblocks the whole set), so queued.
  EXPECT_EQ(delivery_to_init(SIGUSR1, init, false), Delivery::kQueued);
  const auto in_a_thread =
      init_with({main_thread(bit(SIGTERM)), other_thread(2, 0, SigWait::kUnknownSet)});
  EXPECT_EQ(delivery_to_init(SIGTERM, in_a_thread, false), Delivery::kProbablyWaited);
}

TEST(Delivery, TheDocumentedVerdicts) {
  EXPECT_STREQ(describe(Delivery::kDropped), "dropped");
  EXPECT_STREQ(describe(Delivery::kIgnored), "ignored");
  EXPECT_STREQ(describe(Delivery::kHandled), "delivered to its handler");
  EXPECT_STREQ(describe(Delivery::kQueued), "queued (blocked; read by PID 1)");
  EXPECT_STREQ(describe(Delivery::kUnread),
               "pending, unread (blocked; no signalfd or wait takes it)");
  EXPECT_STREQ(describe(Delivery::kQueuedUnseen),
               "queued (blocked; whether PID 1 reads it could not be seen)");
  EXPECT_STREQ(describe(Delivery::kForcedKill), "kills PID 1");
  EXPECT_STREQ(describe(Delivery::kForcedStop), "stops PID 1");
  EXPECT_STREQ(describe(Delivery::kWaited), "waited for (sigwait)");
  EXPECT_STREQ(describe(Delivery::kProbablyWaited),
               "probably received (PID 1 waits for signals synchronously)");
  EXPECT_STREQ(describe(Delivery::kRace), "waited for (sigwait) or dropped (threads race for it)");
}

TEST(SyscallState, ParsesTheThreeShapes) {
  EXPECT_EQ(parse_syscall("running\n").kind, SyscallState::Kind::kRunning);
  EXPECT_EQ(parse_syscall("-1 0x7ffe6b054430 0x7f6394d4cc2f\n").kind, SyscallState::Kind::kBlocked);
  const auto tini = parse_syscall(
      "128 0x7ffe6b054430 0x7ffe6b054360 0x5606c4e67020 0x8 0x7 0x5606f256d2a0 0x7ffe6b054330 "
      "0x7f6394d4cc2f\n");
  EXPECT_EQ(tini.kind, SyscallState::Kind::kInSyscall);
  EXPECT_EQ(tini.number, 128);
  EXPECT_EQ(tini.args[0], 0x7ffe6b054430U);
  EXPECT_EQ(tini.args[3], 8U);
  for (const char* bad : {"", "x", "128 0x1 0x2", "128 1 2 3 4 5 6 7 8", "12a 0x1"}) {
    EXPECT_EQ(parse_syscall(bad).kind, SyscallState::Kind::kUnknown) << bad;
  }
}

TEST(SyscallState, KnowsSigtimedwaitOnEachArchitecture) {
  const auto call = [](long nr) {
    SyscallState s;
    s.kind = SyscallState::Kind::kInSyscall;
    s.number = nr;
    return s;
  };
  EXPECT_TRUE(is_sigtimedwait(call(128), Arch::kX86_64));
  EXPECT_TRUE(is_sigtimedwait(call(177), Arch::kX86_64));  // an i386 program
  EXPECT_TRUE(is_sigtimedwait(call(421), Arch::kX86_64));  // i386 rt_sigtimedwait_time64
  EXPECT_FALSE(is_sigtimedwait(call(137), Arch::kX86_64));
  EXPECT_TRUE(is_sigtimedwait(call(137), Arch::kAarch64));
  EXPECT_FALSE(is_sigtimedwait(call(128), Arch::kAarch64));
  EXPECT_FALSE(is_sigtimedwait(parse_syscall("running"), native_arch()));
}

TEST(SyscallState, AWaitForAnyChildIsWait4MinusOneOrWaitidPAll) {
  // bash waiting for a job; busybox sh (the kernel prints its int argument's register, whose
  // upper half is zero); waitpid(5); waitid(P_ALL) and waitid(P_PID).
  const auto line = [](const char* head) {
    return parse_syscall(std::string(head) + " 0x0 0x0 0x0 0x0 0x0 0x7ffc00000000 0x7f0000000000");
  };
  EXPECT_TRUE(is_wait_for_any_child(parse_syscall("61 0xffffffffffffffff 0x7ffd1 0x0 0x0 0x0 0x0 "
                                                  "0x7ffd2 0x7f3"),
                                    Arch::kX86_64));
  EXPECT_TRUE(is_wait_for_any_child(line("61 0xffffffff"), Arch::kX86_64));
  EXPECT_FALSE(is_wait_for_any_child(line("61 0x5"), Arch::kX86_64));
  EXPECT_TRUE(is_wait_for_any_child(line("247 0x0"), Arch::kX86_64));
  EXPECT_FALSE(is_wait_for_any_child(line("247 0x1"), Arch::kX86_64));
  EXPECT_TRUE(is_wait_for_any_child(line("260 0xffffffffffffffff"), Arch::kAarch64));
  EXPECT_TRUE(is_wait_for_any_child(line("95 0x0"), Arch::kAarch64));
  EXPECT_FALSE(is_wait_for_any_child(line("61 0xffffffffffffffff"), Arch::kAarch64));
}

TEST(KnownInits, RecognisesTheAnchorsAndShells) {
  EXPECT_EQ(identify_init("pidone").kind, InitKind::kForwardingInit);
  EXPECT_EQ(identify_init("tini").kind, InitKind::kForwardingInit);
  EXPECT_EQ(identify_init("catatonit").kind, InitKind::kForwardingInit);
  EXPECT_EQ(identify_init("s6-svscan").kind, InitKind::kSupervisor);
  EXPECT_EQ(identify_init("bash").kind, InitKind::kShell);
  EXPECT_EQ(identify_init("bash").label, "a shell (bash)");
  EXPECT_EQ(identify_init("nginx").kind, InitKind::kUnknown);
  EXPECT_FALSE(identify_init("nginx").note.empty());
}

TEST(KnownInits, EveryDropInNameIsKnown) {
  for (const char* name :
       {"tini", "tini-static", "docker-init", "dumb-init", "catatonit", "pidone"}) {
    const KnownInit init = identify_init(name, name);
    EXPECT_EQ(init.kind, InitKind::kForwardingInit) << name;
    EXPECT_EQ(init.label, name);
  }
}

TEST(KnownInits, ADropInIsNamedByTheFileThatRuns) {
  const KnownInit as_tini = identify_init("tini", "pidone");
  EXPECT_EQ(as_tini.label, "pidone as tini");
  EXPECT_EQ(as_tini.note, identify_init("pidone").note);
  // sh is dash here, busybox on Alpine: their reaping differs from bash's.
  EXPECT_EQ(identify_init("sh", "dash").reaping, ShellReaping::kWhileWaitingOnly);
  EXPECT_EQ(identify_init("sh", "dash").label, "a shell (dash as sh)");
  EXPECT_EQ(identify_init("sh", "busybox").reaping, ShellReaping::kWhileWaitingOnly);
  EXPECT_EQ(identify_init("sh").reaping, ShellReaping::kNotMeasured);
  EXPECT_EQ(identify_init("bash", "bash").reaping, ShellReaping::kFromItsHandler);
  // A file with an unknown name under a known one: the known name stands (and is then checked
  // against the kernel's facts by the analysis).
  EXPECT_EQ(identify_init("tini", "sleep").label, "tini");
}

TEST(KnownInits, ANameIsMatchedWhole) {
  EXPECT_EQ(identify_init("tini\n\x1b[31mFAKE").kind, InitKind::kUnknown);
  EXPECT_EQ(identify_init("tini ").kind, InitKind::kUnknown);
  EXPECT_EQ(identify_init("").kind, InitKind::kUnknown);
}

TEST(PidsCgroup, ParsesMaxAndEvents) {
  EXPECT_EQ(proc::parse_pids_max("max\n"), -1);
  EXPECT_EQ(proc::parse_pids_max("20\n"), 20);
  EXPECT_FALSE(proc::parse_pids_max("-3"));
  EXPECT_FALSE(proc::parse_pids_max(""));
  EXPECT_EQ(proc::parse_pids_events("max 7\n"), 7);
  EXPECT_EQ(proc::parse_pids_events("other 1\nmax 0\n"), 0);
  EXPECT_FALSE(proc::parse_pids_events("max x\n"));
  EXPECT_FALSE(proc::parse_pids_events(""));
}

}  // namespace
}  // namespace pidone::inspect

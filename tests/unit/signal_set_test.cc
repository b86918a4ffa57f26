#include "sys/signal_set.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace pidone::sys {
namespace {

TEST(SignalSet, BitNMinusOneIsSignalN) {
  // As in /proc/PID/status: SigBlk 0000000000010000 is SIGCHLD (17).
  EXPECT_EQ(SignalSet().add(SIGCHLD).bits(), 0x10000U);
  EXPECT_TRUE(SignalSet(0x10000).contains(SIGCHLD));
}

TEST(SignalSet, IgnoresOutOfRange) {
  SignalSet set;
  set.add(0).add(65).add(-3);
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.contains(0));
}

TEST(SignalSet, FaultSignalsAreTheSynchronousOnes) {
  const SignalSet faults = fault_signals();
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT}) {
    EXPECT_TRUE(faults.contains(sig)) << sig;
  }
  EXPECT_FALSE(faults.contains(SIGTERM));
}

TEST(SignalSet, MaskRoundTripsThroughTheKernelIncludingGlibcReserved) {
  const SignalSet wanted = SignalSet().add(SIGUSR1).add(32).add(33).add(64);
  auto previous = set_signal_mask(wanted);
  ASSERT_TRUE(previous);
  auto now = set_signal_mask(*previous);
  ASSERT_TRUE(now);
  EXPECT_EQ(*now, wanted);
}

}  // namespace
}  // namespace pidone::sys

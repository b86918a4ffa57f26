#include <gtest/gtest.h>
#include <signal.h>

#include "inspect/delivery.h"
#include "inspect/known_inits.h"
#include "proc/pids_cgroup.h"

namespace pidone::inspect {
namespace {

std::uint64_t bit(int sig) {
  return std::uint64_t{1} << (sig - 1);
}

TEST(Delivery, SigkillAndSigstopAreDroppedInsideAndForcedFromAbove) {
  const SignalMasks any{~std::uint64_t{0}, ~std::uint64_t{0}, ~std::uint64_t{0}};
  EXPECT_EQ(delivery_to_init(SIGKILL, any, false), Delivery::kDropped);
  EXPECT_EQ(delivery_to_init(SIGSTOP, {}, false), Delivery::kDropped);
  EXPECT_EQ(delivery_to_init(SIGKILL, {}, true), Delivery::kForcedKill);
  EXPECT_EQ(delivery_to_init(SIGSTOP, {}, true), Delivery::kForcedStop);
}

TEST(Delivery, DefaultDispositionIsDroppedFromAnywhere) {
  EXPECT_EQ(delivery_to_init(SIGTERM, {}, false), Delivery::kDropped);
  EXPECT_EQ(delivery_to_init(SIGTERM, {}, true), Delivery::kDropped);
  EXPECT_FALSE(reaches_init(Delivery::kDropped));
}

TEST(Delivery, BlockedBeatsIgnoredBeatsCaught) {
  EXPECT_EQ(delivery_to_init(SIGTERM, {bit(SIGTERM), bit(SIGTERM), bit(SIGTERM)}, false),
            Delivery::kQueued);
  EXPECT_EQ(delivery_to_init(SIGTERM, {0, bit(SIGTERM), bit(SIGTERM)}, false), Delivery::kIgnored);
  EXPECT_EQ(delivery_to_init(SIGTERM, {0, 0, bit(SIGTERM)}, false), Delivery::kHandled);
  EXPECT_TRUE(reaches_init(Delivery::kQueued));
  EXPECT_TRUE(reaches_init(Delivery::kHandled));
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

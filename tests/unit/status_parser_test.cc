#include "proc/status_parser.h"

#include <gtest/gtest.h>

namespace pidone::proc {
namespace {

constexpr const char* kBash =
    "Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\nNgid:\t0\nPid:\t1\nPPid:\t0\n"
    "TracerPid:\t0\nNSpid:\t4242\t1\nThreads:\t1\nSigQ:\t0/95152\nSigPnd:\t0000000000000000\n"
    "ShdPnd:\t0000000000004000\nSigBlk:\t0000000000010000\nSigIgn:\t0000000000000006\n"
    "SigCgt:\t0000000000010002\nCapInh:\t0000000000000000\n";

TEST(StatusParser, ReadsTheFieldsInspectNeeds) {
  auto s = parse_status(kBash);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->name, "bash");
  EXPECT_EQ(s->state, 'S');
  EXPECT_EQ(s->pid, 1);
  EXPECT_EQ(s->ppid, 0);
  EXPECT_EQ(s->threads, 1);
  EXPECT_EQ(s->nspid, (std::vector<pid_t>{4242, 1}));
  EXPECT_EQ(s->shd_pnd, 0x4000U);   // SIGTERM pending
  EXPECT_EQ(s->sig_blk, 0x10000U);  // SIGCHLD
  EXPECT_EQ(s->sig_ign, 0x6U);      // SIGINT, SIGQUIT
  EXPECT_EQ(s->sig_cgt, 0x10002U);  // SIGINT (bit 1) and SIGCHLD (bit 16)
}

TEST(StatusParser, MalformedFieldsGiveAReason) {
  for (const char* bad :
       {"Pid:\tx\n", "Name:\ta\nPid:\t1\nSigBlk:\tzz\n", "Pid:\t1\nSigBlk:\t00000000000000000\n",
        "NSpid:\t1 x\nPid:\t1\n", "Threads:\t-\nPid:\t1\n", "State:\t\nPid:\t1\n"}) {
    auto s = parse_status(bad);
    EXPECT_FALSE(s) << bad;
    if (!s) {
      EXPECT_FALSE(s.error().empty());
    }
  }
}

TEST(StatusParser, TruncatedAtEveryLengthNeverCrashesAndFailsUntilComplete) {
  const std::string full = kBash;
  const auto complete = full.find("CapInh");
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto s = parse_status(std::string_view(full).substr(0, n));
    if (n < full.find("SigCgt")) {
      EXPECT_FALSE(s) << "accepted at " << n;
    }
  }
  EXPECT_TRUE(parse_status(std::string_view(full).substr(0, complete)));
}

TEST(StatusParser, SignalMasks) {
  EXPECT_EQ(parse_signal_mask("0000000000010000"), 0x10000U);
  EXPECT_EQ(parse_signal_mask("ffffffffffffffff"), ~std::uint64_t{0});
  EXPECT_FALSE(parse_signal_mask(""));
  EXPECT_FALSE(parse_signal_mask("g"));
  EXPECT_FALSE(parse_signal_mask("1ffffffffffffffff"));
}

}  // namespace
}  // namespace pidone::proc

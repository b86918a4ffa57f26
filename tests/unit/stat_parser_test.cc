#include "proc/stat_parser.h"

#include <gtest/gtest.h>

namespace pidone::proc {
namespace {

constexpr const char* kSleep =
    "4242 (sleep) S 1 4242 4242 0 -1 4194560 101 0 0 0 0 0 0 0 20 0 1 0 987654 5636096 224 "
    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(StatParser, ReadsTheFieldsTheInitNeeds) {
  auto stat = parse_stat(kSleep);
  ASSERT_TRUE(stat) << stat.error();
  EXPECT_EQ(stat->pid, 4242);
  EXPECT_EQ(stat->comm, "sleep");
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->ppid, 1);
  EXPECT_EQ(stat->pgrp, 4242);
  EXPECT_EQ(stat->session, 4242);
  EXPECT_EQ(stat->start_time, 987654U);
}

TEST(StatParser, CommandWithSpacesAndParentheses) {
  auto stat = parse_stat(
      "7 (a) b (c)) Z 3 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
  ASSERT_TRUE(stat) << stat.error();
  EXPECT_EQ(stat->comm, "a) b (c)");
  EXPECT_EQ(stat->state, 'Z');
  EXPECT_EQ(stat->ppid, 3);
  EXPECT_EQ(stat->start_time, 55U);
}

TEST(StatParser, MalformedInputGivesAReasonNotACrash) {
  for (const char* bad : {"", "(", ")", "12", "x (sleep) S 1", "12 (sleep) S 1 2 3",
                          "12 (sleep) SS 1 2 3 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5",
                          "12 (sleep) S one 2 3 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5",
                          "12 ) sleep ( S 1 2 3 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5"}) {
    auto stat = parse_stat(bad);
    EXPECT_FALSE(stat) << bad;
    if (!stat) {
      EXPECT_FALSE(stat.error().empty());
    }
  }
}

TEST(StatParser, TruncatedAtEveryLengthNeverCrashes) {
  const std::string full = kSleep;
  for (std::size_t n = 0; n < full.size(); ++n) {
    (void)parse_stat(std::string_view(full).substr(0, n));
  }
  SUCCEED();
}

}  // namespace
}  // namespace pidone::proc

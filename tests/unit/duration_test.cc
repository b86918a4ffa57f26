#include "pidone/duration.h"

#include <gtest/gtest.h>

namespace pidone {
namespace {

TEST(Duration, UnitsAndBareSeconds) {
  EXPECT_EQ(parse_duration("5s"), 5000);
  EXPECT_EQ(parse_duration("5"), 5000);
  EXPECT_EQ(parse_duration("0"), 0);
  EXPECT_EQ(parse_duration("250ms"), 250);
  EXPECT_EQ(parse_duration("2m"), 120000);
  EXPECT_EQ(parse_duration("1h"), 3600000);
  EXPECT_EQ(parse_duration("1.5s"), 1500);
  EXPECT_EQ(parse_duration("0.001s"), 1);
  EXPECT_EQ(parse_duration("24h"), 86400000);
}

TEST(Duration, RejectsMalformed) {
  for (const char* bad : {"", "s", "-1s", "1.s", ".5s", "1..5s", "1.5ms", "5 s", "5x", "1.2345s",
                          "25h", "99999999999s", "1e3", "0x10"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(Duration, Formats) {
  EXPECT_EQ(format_duration(5000), "5s");
  EXPECT_EQ(format_duration(250), "250ms");
  EXPECT_EQ(format_duration(1500), "1.500s");
}

}  // namespace
}  // namespace pidone

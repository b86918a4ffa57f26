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
  EXPECT_EQ(parse_duration("0.5m"), 30000);
  EXPECT_EQ(parse_duration("0.0001h"), 360);
  EXPECT_EQ(parse_duration("24h"), 86400000);
  EXPECT_EQ(parse_duration("86400"), 86400000);
}

TEST(Duration, DigitsAsEveryNumber) {
  EXPECT_EQ(parse_duration("000005"), 5000);
  EXPECT_EQ(parse_duration("0000000005"), 5000);
  EXPECT_EQ(parse_duration(std::string(50, '0') + "1ms"), 1);
  EXPECT_EQ(parse_duration("1.5000s"), 1500);  // trailing zeros of a fraction say nothing
  EXPECT_EQ(parse_duration("1.000000000000s"), 1000);
}

TEST(Duration, RejectsMalformed) {
  for (const char* bad :
       {"",      "s",     "-1s",          "+1s",     "1.s",        ".5s",   "1..5s", "1.5ms",
        "5 s",   " 5",    "5x",           "1.2345s", "0.0000001h", "5S",    "25h",   "24.001h",
        "86401", "1441m", "99999999999s", "1e3",     "0x10",       "1.5.0s"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(Duration, FormatsInTheNaturalUnit) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(5000), "5s");
  EXPECT_EQ(format_duration(250), "250ms");
  EXPECT_EQ(format_duration(1500), "1.5s");
  EXPECT_EQ(format_duration(1250), "1.25s");
  EXPECT_EQ(format_duration(1001), "1.001s");
  EXPECT_EQ(format_duration(3600000), "1h");
  EXPECT_EQ(format_duration(86400000), "24h");
  EXPECT_EQ(format_duration(120000), "2m");
  EXPECT_EQ(format_duration(5400000), "90m");
  EXPECT_EQ(format_duration(61000), "61s");
}

TEST(Duration, FormatReadsBack) {
  for (const sys::Millis ms : {0LL, 1LL, 999LL, 1000LL, 1001LL, 59999LL, 60000LL, 3599999LL,
                               3600000LL, 5400000LL, 86400000LL}) {
    EXPECT_EQ(parse_duration(format_duration(ms)), ms) << format_duration(ms);
  }
}

}  // namespace
}  // namespace pidone

#include "sys/signal_names.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace pidone::sys {
namespace {

TEST(SignalNames, AcceptsEveryForm) {
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
  EXPECT_EQ(parse_signal("sigterm"), SIGTERM);
  EXPECT_EQ(parse_signal("15"), SIGTERM);
  EXPECT_EQ(parse_signal("RTMIN"), SIGRTMIN);
  EXPECT_EQ(parse_signal("SIGRTMIN+3"), SIGRTMIN + 3);
  EXPECT_EQ(parse_signal("RTMAX-1"), SIGRTMAX - 1);
  EXPECT_EQ(parse_signal("64"), 64);
  EXPECT_EQ(parse_signal("Term"), SIGTERM);
  EXPECT_EQ(parse_signal("sigrtmax-2"), SIGRTMAX - 2);
}

TEST(SignalNames, NumbersAsEveryNumber) {
  EXPECT_EQ(parse_signal("015"), SIGTERM);
  EXPECT_EQ(parse_signal("0000000009"), SIGKILL);
  EXPECT_EQ(parse_signal("RTMIN+002"), SIGRTMIN + 2);
  for (const char* bad : {"+15", " 15", "0x0f", "99999999999999999999", "RTMIN+-1"}) {
    EXPECT_FALSE(parse_signal(bad)) << bad;
  }
}

TEST(SignalNames, RejectsOutOfRangeAndUnknown) {
  for (const char* bad : {"", "0", "65", "-1", "SIG", "NOPE", "RTMIN+99", "RTMAX+1", "RTMIN-1",
                          "15x", "TERM ", "RTMIN+", "RTMIN++1"}) {
    EXPECT_FALSE(parse_signal(bad)) << bad;
  }
}

TEST(SignalNames, NamesRoundTrip) {
  for (int sig = 1; sig <= 64; ++sig) {
    const std::string name = signal_name(sig);
    if (sig == 32 || sig == 33) {
      EXPECT_EQ(name, "SIG" + std::to_string(sig));
      continue;
    }
    EXPECT_EQ(parse_signal(name), sig) << name;
  }
  EXPECT_EQ(signal_name(SIGABRT), "SIGABRT");
}

}  // namespace
}  // namespace pidone::sys

#include "sys/write_all.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>

namespace pidone::sys {
namespace {

// Reads `fd` to its end.
std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return text;
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

// Far more than a pipe holds (64 KiB by default), so the writer has to wait for the reader.
std::string big_text() {
  std::string text;
  for (int i = 0; text.size() < 1024 * 1024; ++i) {
    text += "line " + std::to_string(i) + " of a long help text\n";
  }
  return text;
}

void check_through_pipe(int flags) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC | flags), 0);
  if (flags != 0) {
    // Only the writing end non-blocking, as a shared stdout set O_NONBLOCK by someone else.
    ASSERT_EQ(::fcntl(fds[0], F_SETFL, 0), 0);
  }
  const std::string text = big_text();
  std::string received;
  std::thread reader([&] { received = read_all(fds[0]); });
  const auto written = write_all(fds[1], text);
  (void)::close(fds[1]);
  reader.join();
  (void)::close(fds[0]);
  EXPECT_TRUE(written.has_value());
  EXPECT_EQ(received.size(), text.size());
  EXPECT_TRUE(received == text);
}

TEST(WriteAll, AllOfALargeTextThroughAPipe) {
  check_through_pipe(0);
}

TEST(WriteAll, AllOfALargeTextThroughANonBlockingPipe) {
  check_through_pipe(O_NONBLOCK);
}

TEST(WriteAll, NothingToWriteIsDone) {
  EXPECT_TRUE(write_all(-1, "").has_value());
}

TEST(WriteAll, AGoneReaderIsAnErrorNotAHang) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  (void)::close(fds[0]);
  struct sigaction ignore {};
  struct sigaction old {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGPIPE, &ignore, &old), 0);
  const auto written = write_all(fds[1], "to nobody\n");
  (void)::sigaction(SIGPIPE, &old, nullptr);
  (void)::close(fds[1]);
  ASSERT_FALSE(written.has_value());
  EXPECT_EQ(written.error().code, EPIPE);
  EXPECT_FALSE(write_all(-1, "x").has_value());
}

}  // namespace
}  // namespace pidone::sys

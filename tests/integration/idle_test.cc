// Idle means idle: with nothing to do pidone sits in one blocking read() of its signalfd.
#include <sstream>

#include "fixture.h"
#include "proc/text_file.h"

namespace pidone::testing {
namespace {

long context_switches(pid_t pid) {
  const std::string status = proc::read_text_file("/proc/" + std::to_string(pid) + "/status");
  long total = 0;
  for (const char* key : {"voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:"}) {
    const auto pos = status.find(key);
    if (pos != std::string::npos) {
      total += std::stol(status.substr(pos + std::string(key).size()));
    }
  }
  return total;
}

TEST(Idle, BlocksReadingItsSignalfd) {
#if defined(__x86_64__)
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  // /proc/PID/syscall: "0 0x<fd> 0x<buf> 0x<len> ...": blocked in read(fd, ...), and the fd is
  // a signalfd. A read has no timeout: nothing but a signal can wake it.
  std::string syscall;
  const bool blocked = eventually(
      [&] {
        syscall = proc::read_text_file("/proc/" + std::to_string(init.pid()) + "/syscall");
        return syscall.starts_with("0 ");
      },
      10s);
  ASSERT_TRUE(blocked) << syscall;
  std::istringstream fields(syscall);
  std::string number, fd_hex;
  fields >> number >> fd_hex;
  const long fd = std::stol(fd_hex, nullptr, 16);
  std::array<char, 128> target{};
  const std::string link = "/proc/" + std::to_string(init.pid()) + "/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(link.c_str(), target.data(), target.size() - 1);
  ASSERT_GT(n, 0);
  EXPECT_STREQ(target.data(), "anon_inode:[signalfd]") << syscall;

  // And it stays there: no wakeup across a window longer than tini's 1 s tick. The wait is the
  // measurement here, not a synchronisation.
  const long before = context_switches(init.pid());
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(context_switches(init.pid()), before);
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
#else
  GTEST_SKIP() << "reads x86_64 system call numbers from /proc/PID/syscall";
#endif
}

}  // namespace
}  // namespace pidone::testing

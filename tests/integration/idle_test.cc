// Idle means idle: with nothing to do pidone sits in one poll() with no timeout.
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

// What /proc/PID/fd/FD links to, or "".
std::string fd_target(pid_t pid, long fd) {
  std::array<char, 128> target{};
  const std::string link = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(link.c_str(), target.data(), target.size() - 1);
  return n > 0 ? std::string(target.data(), static_cast<std::size_t>(n)) : std::string();
}

TEST(Idle, BlocksInOnePollOfItsSignalfdAndTheChildsPidfd) {
#if defined(__x86_64__)
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"signals"})));
  ASSERT_TRUE(init.out().wait_for("ready"));
  // /proc/PID/syscall: "7 0x<fds> 0x<nfds> 0x<timeout> ...": blocked in poll() on two
  // descriptors with no timeout (-1): nothing but a signal or the child's exit can wake it.
  std::string syscall;
  const bool blocked = eventually(
      [&] {
        syscall = proc::read_text_file("/proc/" + std::to_string(init.pid()) + "/syscall");
        return syscall.starts_with("7 ");
      },
      10s);
  ASSERT_TRUE(blocked) << syscall;
  std::istringstream fields(syscall);
  std::string number, fds_hex, nfds_hex, timeout_hex;
  fields >> number >> fds_hex >> nfds_hex >> timeout_hex;
  EXPECT_EQ(std::stoul(nfds_hex, nullptr, 16), 2U) << syscall;
  EXPECT_EQ(static_cast<int>(std::stoull(timeout_hex, nullptr, 16)), -1) << syscall;
  // Its descriptors: stdio, the signalfd, the pidfd, and at most the log's own two.
  std::vector<std::string> kinds;
  for (long fd = 3; fd < 16; ++fd) {
    if (auto target = fd_target(init.pid(), fd); !target.empty()) {
      kinds.push_back(target);
    }
  }
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "anon_inode:[signalfd]"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "anon_inode:[pidfd]"), kinds.end());
  EXPECT_LE(kinds.size(), 4U);

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

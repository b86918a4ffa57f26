#include "sys/signal_fd.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <array>

#include "sys/retry.h"

namespace pidone::sys {

Result<SignalFd> SignalFd::open(SignalSet signals) {
  std::uint64_t mask = signals.bits();
  const auto raw = static_cast<int>(::syscall(SYS_signalfd4, -1, &mask, sizeof(mask), SFD_CLOEXEC));
  if (raw < 0) {
    return errno_error("signalfd");
  }
  return SignalFd(UniqueFd(raw));
}

Result<void> SignalFd::read_batch(std::vector<signalfd_siginfo>& out) const {
  std::array<signalfd_siginfo, kBatch> batch;
  const ssize_t n = retry_on_eintr([&] { return ::read(fd_.get(), batch.data(), sizeof(batch)); });
  if (n < 0) {
    return errno_error("read signalfd");
  }
  const auto count = static_cast<std::size_t>(n) / sizeof(signalfd_siginfo);
  out.insert(out.end(), batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(count));
  return {};
}

}  // namespace pidone::sys

#include "sys/signal_set.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

namespace pidone::sys {
namespace {

// The layout rt_sigaction takes on x86_64 and aarch64 (not glibc's struct sigaction); every
// member is read by the kernel.
// cppcheck-suppress-begin unusedStructMember
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  std::uint64_t mask;
};
// cppcheck-suppress-end unusedStructMember

}  // namespace

SignalSet fault_signals() {
  return SignalSet().add(SIGSEGV).add(SIGBUS).add(SIGFPE).add(SIGILL).add(SIGTRAP).add(SIGSYS).add(
      SIGABRT);
}

Result<SignalSet> set_signal_mask(SignalSet mask) {
  std::uint64_t next = mask.bits();
  std::uint64_t previous = 0;
  if (::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &next, &previous, sizeof(next)) != 0) {
    return errno_error("rt_sigprocmask");
  }
  return SignalSet(previous);
}

Result<void> reset_disposition(int sig) {
  KernelSigaction action;
  std::memset(&action, 0, sizeof(action));
  action.handler = SIG_DFL;
  if (::syscall(SYS_rt_sigaction, sig, &action, nullptr, sizeof(std::uint64_t)) != 0) {
    return errno_error("rt_sigaction");
  }
  return {};
}

}  // namespace pidone::sys

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

Result<SignalSet> current_signal_mask() {
  std::uint64_t current = 0;
  if (::syscall(SYS_rt_sigprocmask, SIG_BLOCK, nullptr, &current, sizeof(current)) != 0) {
    return errno_error("rt_sigprocmask");
  }
  return SignalSet(current);
}

Result<SignalSet> ignored_signals() {
  SignalSet ignored;
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    KernelSigaction action;
    std::memset(&action, 0, sizeof(action));
    if (::syscall(SYS_rt_sigaction, sig, nullptr, &action, sizeof(std::uint64_t)) != 0) {
      return errno_error("rt_sigaction");
    }
    if (action.handler == SIG_IGN) {
      ignored.add(sig);
    }
  }
  return ignored;
}

Result<InheritedSignals> inherited_signals() {
  auto blocked = current_signal_mask();
  if (!blocked) {
    return std::unexpected(blocked.error());
  }
  auto ignored = ignored_signals();
  if (!ignored) {
    return std::unexpected(ignored.error());
  }
  return InheritedSignals{*blocked, *ignored};
}

Result<void> set_disposition(int sig, bool ignore) {
  KernelSigaction action;
  std::memset(&action, 0, sizeof(action));
  action.handler = ignore ? SIG_IGN : SIG_DFL;
  if (::syscall(SYS_rt_sigaction, sig, &action, nullptr, sizeof(std::uint64_t)) != 0) {
    return errno_error("rt_sigaction");
  }
  return {};
}

}  // namespace pidone::sys

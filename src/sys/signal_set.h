// SignalSet: a value type over the kernel's 64-bit signal mask, and the calls that take one.
//
// glibc's sigset_t API refuses signals 32 and 33 (it reserves them for its threads), but an init
// must be able to block and forward every signal, so the mask goes to the kernel through the raw
// rt_sigprocmask/rt_sigaction system calls. Signal n is bit n-1, as in /proc/PID/status.
#pragma once

#include <cstdint>

#include "sys/error.h"

namespace pidone::sys {

inline constexpr int kMaxSignal = 64;

class SignalSet {
 public:
  constexpr SignalSet() = default;
  constexpr explicit SignalSet(std::uint64_t bits) : bits_(bits) {}

  // Every signal 1..64 (SIGKILL and SIGSTOP included; the kernel ignores them in masks).
  static constexpr SignalSet full() { return SignalSet(~std::uint64_t{0}); }

  [[nodiscard]] static constexpr bool valid(int sig) { return sig >= 1 && sig <= kMaxSignal; }
  constexpr SignalSet& add(int sig) {
    if (valid(sig)) {
      bits_ |= bit(sig);
    }
    return *this;
  }
  constexpr SignalSet& remove(int sig) {
    if (valid(sig)) {
      bits_ &= ~bit(sig);
    }
    return *this;
  }
  [[nodiscard]] constexpr bool contains(int sig) const {
    return valid(sig) && (bits_ & bit(sig)) != 0;
  }
  [[nodiscard]] constexpr bool empty() const { return bits_ == 0; }
  [[nodiscard]] constexpr std::uint64_t bits() const { return bits_; }
  constexpr bool operator==(const SignalSet&) const = default;

 private:
  static constexpr std::uint64_t bit(int sig) { return std::uint64_t{1} << (sig - 1); }
  std::uint64_t bits_ = 0;
};

// Signals the kernel raises synchronously for a fault in the calling thread. Blocking them would
// turn a crash into a hang, so they are never blocked and never forwarded.
[[nodiscard]] SignalSet fault_signals();

// Replaces the calling thread's mask; returns the previous one.
[[nodiscard]] Result<SignalSet> set_signal_mask(SignalSet mask);

// Sets the disposition of `sig` to SIG_DFL. Async-signal-safe: used between fork and exec.
[[nodiscard]] Result<void> reset_disposition(int sig);

}  // namespace pidone::sys

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

// What a process was given by its caller, as exec passes it on: the blocked mask and the
// ignored dispositions (handlers are reset by exec, SIG_IGN is kept).
struct InheritedSignals {
  SignalSet blocked;
  SignalSet ignored;
};

// Signals the kernel raises synchronously for a fault in the calling thread. When one of them is
// blocked and the fault is real, the kernel unblocks it and delivers it with its default
// action anyway: blocking them hides no crash, and lets a kill() of them be read and forwarded.
[[nodiscard]] SignalSet fault_signals();

// Replaces the calling thread's mask; returns the previous one.
[[nodiscard]] Result<SignalSet> set_signal_mask(SignalSet mask);

// The calling thread's mask, unchanged.
[[nodiscard]] Result<SignalSet> current_signal_mask();

// The signals whose disposition is SIG_IGN (exec keeps them ignored: that is how nohup works).
[[nodiscard]] Result<SignalSet> ignored_signals();

// The calling thread's mask and the process's ignored signals, read before anything changes
// them.
[[nodiscard]] Result<InheritedSignals> inherited_signals();

// Sets the disposition of `sig` to SIG_DFL, or to SIG_IGN with `ignore`. Async-signal-safe:
// used between clone and exec.
[[nodiscard]] Result<void> set_disposition(int sig, bool ignore = false);

}  // namespace pidone::sys

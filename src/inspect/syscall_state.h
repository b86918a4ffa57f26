// What a thread is doing in the kernel, read from /proc/PID/task/TID/syscall, and the few
// system calls pidone-inspect needs to recognise there, by architecture.
//
// /proc/PID/syscall reads "running", "-1 SP PC" (blocked, not in a system call) or
// "NR ARG1 ... ARG6 SP PC" (blocked in system call NR; the arguments in hex). Reading it needs
// the permission ptrace would (PTRACE_MODE_ATTACH): without it the file cannot be read at all.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace pidone::inspect {

struct SyscallState {
  enum class Kind {
    kUnknown,   // unreadable or malformed
    kRunning,   // on a CPU (or runnable): in no system call that waits
    kBlocked,   // blocked outside a system call (a page fault, a stop)
    kInSyscall  // blocked in system call `number`
  };
  Kind kind = Kind::kUnknown;
  long number = -1;
  std::array<std::uint64_t, 6> args{};

  bool operator==(const SyscallState&) const = default;
};

[[nodiscard]] SyscallState parse_syscall(std::string_view text);

// The instruction sets whose system call numbers pidone-inspect knows. A process runs the
// kernel's native set, or on x86_64 possibly i386's (a 32-bit program); on aarch64 a 32-bit
// program's calls are not told apart here (it falls back on wchan).
enum class Arch { kX86_64, kAarch64 };

// The architecture pidone-inspect was built for, which is the kernel's.
[[nodiscard]] Arch native_arch();

// Blocked in rt_sigtimedwait (sigwait, sigwaitinfo, sigtimedwait): ARG1 is the address of the
// awaited set in the thread's memory, ARG4 its size. x86_64 128 (i386 177 and 421, the time64
// variant); aarch64 137.
[[nodiscard]] bool is_sigtimedwait(const SyscallState& state, Arch arch);

// Blocked waiting for any child at all, the way a reaper waits: wait4(-1, ...) or
// waitid(P_ALL, ...). A wait for one PID (or one process group) reaps nothing else.
// x86_64 wait4 61, waitid 247; aarch64 wait4 260, waitid 95. (i386's numbers are not read:
// 7, its waitpid, is x86_64's poll.)
[[nodiscard]] bool is_wait_for_any_child(const SyscallState& state, Arch arch);

}  // namespace pidone::inspect

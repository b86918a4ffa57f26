#include "inspect/syscall_state.h"

#include <charconv>

namespace pidone::inspect {
namespace {

std::string_view next_word(std::string_view& text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  std::size_t end = 0;
  while (end < text.size() && text[end] != ' ' && text[end] != '\n') {
    ++end;
  }
  const std::string_view word = text.substr(0, end);
  text.remove_prefix(end);
  return word;
}

bool parse_hex(std::string_view word, std::uint64_t& value) {
  if (!word.starts_with("0x")) {
    return false;
  }
  word.remove_prefix(2);
  const auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), value, 16);
  return !word.empty() && ec == std::errc() && ptr == word.data() + word.size();
}

// The kernel prints each argument as an unsigned long; a C int argument (a PID, an idtype)
// fills only the low 32 bits of its register, and the rest may be anything.
std::int32_t low_int(std::uint64_t value) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(value & 0xFFFFFFFFU));
}

constexpr int kPAll = 0;  // waitid's idtype P_ALL

}  // namespace

SyscallState parse_syscall(std::string_view text) {
  SyscallState state;
  std::string_view rest = text;
  const std::string_view first = next_word(rest);
  if (first == "running") {
    state.kind = SyscallState::Kind::kRunning;
    return state;
  }
  long number = 0;
  const auto [ptr, ec] = std::from_chars(first.data(), first.data() + first.size(), number);
  if (first.empty() || ec != std::errc() || ptr != first.data() + first.size()) {
    return state;
  }
  if (number < 0) {
    state.kind = SyscallState::Kind::kBlocked;
    return state;
  }
  for (auto& arg : state.args) {
    if (!parse_hex(next_word(rest), arg)) {
      return state;  // truncated: unknown
    }
  }
  state.kind = SyscallState::Kind::kInSyscall;
  state.number = number;
  return state;
}

#if !defined(__x86_64__) && !defined(__aarch64__)
static_assert(false, "pidone-inspect knows the system call numbers of x86_64 and aarch64 only");
#endif

Arch native_arch() {
#if defined(__aarch64__)
  return Arch::kAarch64;
#else
  return Arch::kX86_64;
#endif
}

bool is_sigtimedwait(const SyscallState& state, Arch arch) {
  if (state.kind != SyscallState::Kind::kInSyscall) {
    return false;
  }
  switch (arch) {
    case Arch::kX86_64:
      // 177 and 421 are free on x86_64 itself: only an i386 program can be blocked in them.
      return state.number == 128 || state.number == 177 || state.number == 421;
    case Arch::kAarch64:
      return state.number == 137;
  }
  return false;
}

bool is_wait_for_any_child(const SyscallState& state, Arch arch) {
  if (state.kind != SyscallState::Kind::kInSyscall) {
    return false;
  }
  const long n = state.number;
  const std::int32_t first = low_int(state.args[0]);
  switch (arch) {
    case Arch::kX86_64:
      if (n == 61) {
        return first == -1;
      }
      return (n == 247 || n == 284) && first == kPAll;
    case Arch::kAarch64:
      if (n == 260) {
        return first == -1;
      }
      return n == 95 && first == kPAll;
  }
  return false;
}

}  // namespace pidone::inspect

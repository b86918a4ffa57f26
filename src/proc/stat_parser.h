// Pure parser for /proc/PID/stat. The command (field 2) is in parentheses and may itself hold
// spaces and ')' characters, so the fields after it are found from the *last* ')'.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace pidone::proc {

struct ProcStat {
  pid_t pid = 0;
  std::string comm;
  char state = '?';  // R, S, D, Z, T, t, X, I, ...
  pid_t ppid = 0;
  pid_t pgrp = 0;
  pid_t session = 0;
  std::uint64_t start_time = 0;  // clock ticks after boot (field 22): with pid, names a process
};

// Returns a one-line reason on malformed or truncated input; never throws.
[[nodiscard]] std::expected<ProcStat, std::string> parse_stat(std::string_view text);

}  // namespace pidone::proc

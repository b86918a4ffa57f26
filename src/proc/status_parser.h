// Pure parser for /proc/PID/status: the fields pidone-inspect and the lab read.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace pidone::proc {

struct ProcStatus {
  std::string name;
  char state = '?';
  pid_t pid = 0;
  pid_t ppid = 0;
  int threads = 0;
  std::vector<pid_t> nspid;   // outermost namespace first; the last is the innermost PID
  std::uint64_t sig_pnd = 0;  // pending for the thread
  std::uint64_t shd_pnd = 0;  // pending for the process
  std::uint64_t sig_blk = 0;
  std::uint64_t sig_ign = 0;
  std::uint64_t sig_cgt = 0;
};

// A one-line reason on malformed or truncated input (a required field missing or
// unparsable); never throws. Unknown fields are ignored.
[[nodiscard]] std::expected<ProcStatus, std::string> parse_status(std::string_view text);

// "0000000000014002" -> bits; nullopt-like error on anything but 1..16 hex digits.
[[nodiscard]] std::expected<std::uint64_t, std::string> parse_signal_mask(std::string_view hex);

}  // namespace pidone::proc

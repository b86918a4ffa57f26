// LineReader: reads lines from a pipe or pty with a deadline, keeping what it saw for messages.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sys/unique_fd.h"

namespace pidone::nsrun {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

class LineReader {
 public:
  LineReader() = default;
  explicit LineReader(sys::UniqueFd fd) : fd_(std::move(fd)) {}

  // The next complete line (without '\n'), or nullopt at the deadline or at EOF.
  std::optional<std::string> next_line(Clock::time_point deadline);
  // Reads lines until one contains `needle`; returns it, or nullopt at deadline/EOF.
  std::optional<std::string> wait_for(std::string_view needle, Clock::duration timeout = 10s);
  // Everything until EOF or the deadline, as one string.
  std::string read_rest(Clock::duration timeout = 5s);
  // All lines seen so far, joined, for failure messages.
  [[nodiscard]] std::string seen() const;
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  bool fill(Clock::time_point deadline);  // false at deadline or EOF
  sys::UniqueFd fd_;
  std::string buffer_;
  std::vector<std::string> seen_;
  bool eof_ = false;
};

}  // namespace pidone::nsrun

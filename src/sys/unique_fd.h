// UniqueFd: owns one file descriptor and closes it once.
#pragma once

#include <span>
#include <utility>

#include "sys/error.h"

namespace pidone::sys {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  // Gives up ownership without closing.
  [[nodiscard]] int release() { return std::exchange(fd_, -1); }
  // Closes the held descriptor (never retried on EINTR) and holds `fd` instead.
  void reset(int fd = -1);

 private:
  int fd_ = -1;  // -1 when empty
};

// Closes every descriptor from 3 up but those in `keep` (close_range, or /proc/self/fd where
// the kernel lacks it). What the caller shared with a child stays open in the child.
[[nodiscard]] Result<void> close_descriptors_but(std::span<const int> keep);

}  // namespace pidone::sys

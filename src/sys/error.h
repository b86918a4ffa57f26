// SysError and Result<T>: how every wrapper in sys/ reports failure.
// The sys layer never logs and never exits; it returns the errno and the operation that failed.
#pragma once

#include <cerrno>
#include <expected>
#include <string>

namespace pidone::sys {

struct SysError {
  int code = 0;                // errno value, captured right after the failing call
  const char* operation = "";  // static string naming the call, e.g. "signalfd"

  // "signalfd: Too many open files"
  [[nodiscard]] std::string to_string() const;
};

template <class T>
using Result = std::expected<T, SysError>;

// Builds the error from the current errno; call it on the line right after the failing call.
[[nodiscard]] inline std::unexpected<SysError> errno_error(const char* operation) {
  return std::unexpected(SysError{errno, operation});
}

}  // namespace pidone::sys

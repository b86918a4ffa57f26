#include "nsrun/lines.h"

#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace pidone::nsrun {

bool LineReader::fill(Clock::time_point deadline) {
  if (eof_ || !fd_.valid()) {
    return false;
  }
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      return false;
    }
    pollfd p{fd_.get(), POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR) {
      continue;
    }
    if (rc <= 0) {
      return false;
    }
    std::array<char, 4096> chunk;
    const ssize_t n = ::read(fd_.get(), chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {  // EOF, or EIO on a pty whose other side closed
      eof_ = true;
      return false;
    }
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<std::string> LineReader::next_line(Clock::time_point deadline) {
  for (;;) {
    const auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      buffer_.erase(0, newline + 1);
      seen_.push_back(line);
      return line;
    }
    if (!fill(deadline)) {
      return std::nullopt;
    }
  }
}

std::optional<std::string> LineReader::wait_for(std::string_view needle, Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    for (auto newline = buffer_.find('\n'); newline != std::string::npos;
         newline = buffer_.find('\n')) {
      std::string line = buffer_.substr(0, newline);
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      buffer_.erase(0, newline + 1);
      seen_.push_back(line);
      if (line.find(needle) != std::string::npos) {
        return line;
      }
    }
    // A pty prompt has no newline: the partial line counts too.
    if (buffer_.find(needle) != std::string::npos) {
      std::string partial = std::move(buffer_);
      buffer_.clear();
      seen_.push_back(partial);
      return partial;
    }
    if (!fill(deadline)) {
      return std::nullopt;
    }
  }
}

std::string LineReader::read_rest(Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  while (fill(deadline)) {
  }
  std::string rest = std::move(buffer_);
  buffer_.clear();
  if (!rest.empty()) {
    seen_.push_back(rest);
  }
  return rest;
}

std::string LineReader::seen() const {
  std::string all;
  for (const auto& line : seen_) {
    all += line;
    all += '\n';
  }
  return all + buffer_;
}

}  // namespace pidone::nsrun

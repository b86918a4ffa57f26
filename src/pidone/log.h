// Log: where pidone's lines go, and the promise that writing one never stops pidone.
//
// Each line is escaped (text::printable: a process name or an option value cannot add a line
// or drive the reader's terminal), ends in one newline, and is written with a single write().
// A line that cannot be written now is dropped and counted, never waited for: stderr may be a
// full pipe nobody reads. For that, open_private() gives pidone a description of its own of a
// pipe, FIFO or terminal on stdout/stderr (through /proc/self/fd), set O_NONBLOCK there without
// touching the description the child shares. Where that cannot be had (no /proc, no descriptor
// to spare), a line is written only if poll() says the pipe has room for it.
#pragma once

#include <cstdint>
#include <string_view>

namespace pidone {

enum class Level { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kTrace = 4 };

class Log {
 public:
  // verbosity: 0 errors only (-q), 1 warnings (default), 2 info (-v), 3 debug, 4 trace.
  explicit Log(int verbosity) : verbosity_(verbosity) {}
  ~Log();
  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

  [[nodiscard]] bool enabled(Level level) const { return static_cast<int>(level) <= verbosity_; }

  // Opens the private non-blocking descriptions (see above). Once, at start; harmless to skip.
  // Returns the errno of the first pipe or terminal that could not have one (0: none), for
  // the -v note that says which fallback pidone took.
  int open_private();

  // Writes `text` and a newline to fd 1 or 2, escaped, without blocking.
  void line(int stream, std::string_view text) const;

  // Lines dropped because the stream was full or gone.
  [[nodiscard]] std::uint64_t dropped() const { return dropped_; }

  // The descriptors the Log holds, -1 when none: pidone keeps them when it closes the rest.
  [[nodiscard]] int private_fd(int stream) const { return stream == 1 ? out_ : err_; }

 private:
  enum class Kind { kUnknown, kBlockingSafe, kNonblocking, kPollFirst, kSocket };
  struct Target {
    int fd;
    Kind kind;
  };
  [[nodiscard]] Target target(int stream) const;

  int verbosity_;
  int out_ = -1;  // private O_NONBLOCK description of stdout, or -1
  int err_ = -1;  // the same for stderr
  Kind out_kind_ = Kind::kUnknown;
  Kind err_kind_ = Kind::kUnknown;
  mutable std::uint64_t dropped_ = 0;
};

}  // namespace pidone

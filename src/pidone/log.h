// Log: one line per message to stderr, "pidone: " first, written with a single write() so lines
// from several processes do not interleave. Never fails the caller: a closed or full stderr
// (EPIPE, EAGAIN) loses the line, nothing else. errno is preserved.
#pragma once

namespace pidone {

enum class Level { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

class Log {
 public:
  // verbosity: 0 errors only (-q), 1 warnings (default), 2 info (-v), 3+ debug (-vv).
  explicit Log(int verbosity, const char* prefix = "pidone")
      : verbosity_(verbosity), prefix_(prefix) {}

  [[nodiscard]] bool enabled(Level level) const { return static_cast<int>(level) <= verbosity_; }

  [[gnu::format(printf, 3, 4)]] void write(Level level, const char* format, ...) const;

 private:
  int verbosity_;
  const char* prefix_;
};

}  // namespace pidone

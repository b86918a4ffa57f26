// tini's voice: "[LEVEL tini (PID)] ", the level padded to five; FATAL and WARN on stderr,
// INFO, DEBUG and TRACE on stdout; signals by strsignal()'s words. Levels as tini's: WARN by
// default, INFO with -v, DEBUG with -vv (or TINI_VERBOSITY=3), TRACE with -vvv.
#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "pidone/voice.h"

namespace pidone {
namespace {

class TiniVoice final : public Voice {
 public:
  using Voice::Voice;

  void reaper(ReaperOutcome outcome, pid_t self, int err) override {
    switch (outcome) {
      case ReaperOutcome::kRegistered:
        say(Level::kTrace, "Registered as child subreaper");
        break;
      case ReaperOutcome::kNotAsked:
        if (options_.warn_not_subreaper) {
          say(Level::kWarn,
              "Tini is not running as PID 1 and isn't registered as a child subreaper.");
          say_plain(Level::kWarn,
                    "Zombie processes will not be re-parented to Tini, so zombie reaping won't "
                    "work.");
          say_plain(Level::kWarn,
                    "To fix the problem, use the -s option or set the environment variable "
                    "TINI_SUBREAPER to register Tini as a child subreaper, or run Tini as PID 1.");
        }
        break;
      case ReaperOutcome::kFailed:
        say(Level::kWarn, "Failed to register as child subreaper: %s", std::strerror(err));
        break;
      case ReaperOutcome::kPid1:
      case ReaperOutcome::kAlready:
        (void)self;
        break;
    }
  }
  void spawned(pid_t pid, const std::string& command, int /*tty_error*/) override {
    say(Level::kInfo, "Spawned child process '%s' with pid '%d'", command.c_str(), pid);
  }
  void exec_failed(const std::string& command, int err,
                   const std::string& /*missing_interpreter*/) override {
    say(Level::kError, "exec %s failed: %s", command.c_str(), std::strerror(err));
  }
  void signal_received(int sig) override {
    if (sig == SIGCHLD) {
      say(Level::kDebug, "Received SIGCHLD");
    }
  }
  void handoff_ignored(int /*sig*/) override {}
  void forwarded(int sig, int /*sent*/, pid_t /*to*/, bool /*group*/) override {
    say(Level::kDebug, "Passing signal: '%s'", ::strsignal(sig));
  }
  void reaped(const sys::ChildExit& exit, bool main_child) override {
    say(Level::kDebug, "Reaped child with pid: '%d'", exit.pid);
    if (!main_child) {
      if (options_.warn_on_reap) {
        say(Level::kWarn, "Reaped zombie process with pid=%d", exit.pid);
      }
      return;
    }
    if (exit.signaled) {
      say(Level::kInfo, "Main child exited with signal (with signal '%s')",
          ::strsignal(exit.value));
    } else {
      say(Level::kInfo, "Main child exited normally (with status '%d')", exit.value);
    }
  }
  void reap_pass_done(bool no_children_left) override {
    say(Level::kTrace, no_children_left ? "No child to wait" : "No child to reap");
  }
  void exiting(int /*status*/, int /*remapped*/) override {
    say(Level::kTrace, "Exiting: child has exited");
  }

 private:
  [[nodiscard]] std::string prefix(Level level) const override {
    static constexpr const char* kNames[] = {"FATAL", "WARN ", "INFO ", "DEBUG", "TRACE"};
    return std::string("[") + kNames[static_cast<int>(level)] + " tini (" +
           std::to_string(::getpid()) + ")] ";
  }
  [[nodiscard]] int stream(Level level) const override { return level <= Level::kWarn ? 2 : 1; }
  // The continuation lines of tini's three-line warning carry no prefix.
  void say_plain(Level level, const char* text) const {
    if (log_.enabled(level)) {
      log_.line(stream(level), text);
    }
  }
};

}  // namespace

std::unique_ptr<Voice> make_tini_voice(const Options& options, Log& log) {
  return std::make_unique<TiniVoice>(options, log);
}

}  // namespace pidone

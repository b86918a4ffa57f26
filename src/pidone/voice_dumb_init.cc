// dumb-init's voice: "[dumb-init] " on stderr, signals by number. Its messages are debug
// messages (-v or DUMB_INIT_DEBUG=1) but for an exec failure, which is always printed.
#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "pidone/voice.h"

namespace pidone {
namespace {

bool env_is(const char* name, std::string_view value) {
  const char* set = std::getenv(name);
  return set != nullptr && value == set;
}

class DumbInitVoice final : public Voice {
 public:
  using Voice::Voice;

  void starting() override {
    if (env_is("DUMB_INIT_DEBUG", "1")) {
      say(Level::kDebug, "Running in debug mode.");
    }
    if (env_is("DUMB_INIT_SETSID", "0")) {
      say(Level::kDebug, "Not running in setsid mode.");
    }
  }
  void reaper(ReaperOutcome /*outcome*/, pid_t /*self*/, int /*err*/) override {}
  void terminal_released(int err, bool was_leader) override {
    if (err != 0) {
      say(Level::kDebug, "Unable to detach from controlling tty (errno=%d %s).", err,
          std::strerror(err));
    } else if (was_leader) {
      say(Level::kDebug,
          "Detached from controlling tty, ignoring the first SIGHUP and SIGCONT we receive.");
    } else {
      say(Level::kDebug, "Detached from controlling tty, but was not session leader.");
    }
  }
  void spawned(pid_t pid, const std::string& /*command*/, int tty_error) override {
    say(Level::kDebug, "Child spawned with PID %d.", pid);
    if (options_.new_session) {
      if (tty_error != 0) {
        say(Level::kDebug, "Unable to attach to controlling tty (errno=%d %s).", tty_error,
            std::strerror(tty_error));
      }
      say(Level::kDebug, "setsid complete.");
    }
  }
  void exec_failed(const std::string& command, int err,
                   const std::string& /*missing_interpreter*/) override {
    say(Level::kError, "%s: %s", command.c_str(), std::strerror(err));
  }
  void signal_received(int sig) override { say(Level::kDebug, "Received signal %d.", sig); }
  void handoff_ignored(int sig) override {
    say(Level::kDebug, "Ignoring tty hand-off signal %d.", sig);
  }
  void forwarded(int sig, int sent, pid_t /*to*/, bool /*group*/) override {
    if (sent != sig) {
      say(Level::kDebug, "Translating signal %d to %d.", sig, sent);
    }
    if (sent == 0) {
      say(Level::kDebug, "Not forwarding signal %d to children (ignored).", sent);
    } else {
      say(Level::kDebug, "Forwarded signal %d to children.", sent);
    }
  }
  void suspending() override { say(Level::kDebug, "Suspending self due to TTY signal."); }
  void reaped(const sys::ChildExit& exit, bool /*main_child*/) override {
    if (exit.signaled) {
      say(Level::kDebug, "A child with PID %d was terminated by signal %d.", exit.pid, exit.value);
    } else {
      say(Level::kDebug, "A child with PID %d exited with exit status %d.", exit.pid, exit.value);
    }
  }
  // When its child exits, dumb-init sends SIGTERM (through -r) to the children it has left:
  // whichever way pidone does that (the drain, the group, or nothing to do), it says so once.
  void term_group(pid_t /*group*/, int /*sig*/) override { told_children(); }
  void drained(const DrainNote& note) override {
    if (note.signal == SIGTERM && !note.unlisted) {
      told_children();
      return;
    }
    Voice::drained(note);
  }
  void exiting(int status, int /*remapped*/) override {
    told_children();
    say(Level::kDebug, "Child exited with status %d. Goodbye.", status);
  }

 private:
  void told_children() {
    if (told_) {
      return;
    }
    told_ = true;
    forwarded(SIGTERM, options_.signal_map[SIGTERM], 0, true);
  }
  [[nodiscard]] std::string prefix(Level /*level*/) const override { return "[dumb-init] "; }

  bool told_ = false;
};

}  // namespace

std::unique_ptr<Voice> make_dumb_init_voice(const Options& options, Log& log) {
  return std::make_unique<DumbInitVoice>(options, log);
}

}  // namespace pidone

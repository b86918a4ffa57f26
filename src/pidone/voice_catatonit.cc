// catatonit's voice: "LEVEL (catatonit:PID): " on stderr.
#include <unistd.h>

#include <cstring>

#include "pidone/voice.h"

namespace pidone {
namespace {

class CatatonitVoice final : public Voice {
 public:
  using Voice::Voice;

  void spawned(pid_t pid, const std::string& command, int /*tty_error*/) override {
    say(Level::kDebug, "pid1 (%d) spawned: %s", pid, command.c_str());
  }
  void exec_failed(const std::string& /*command*/, int err,
                   const std::string& /*missing_interpreter*/) override {
    say(Level::kError, "failed to exec pid1: %s", std::strerror(err));
  }
  void handoff_ignored(int sig) override { say(Level::kDebug, "ignoring signal %d", sig); }
  void forwarded(int sig, int sent, pid_t to, bool /*group*/) override {
    say(Level::kDebug, "forwarding signal %d to pid1 (%d) as %d", sig, to, sent);
  }
  void reaped(const sys::ChildExit& exit, bool /*main_child*/) override {
    if (exit.signaled) {
      say(Level::kDebug, "child process %d exited with signal %d", exit.pid, exit.value);
    } else {
      say(Level::kDebug, "child process %d exited with code %d", exit.pid, exit.value);
    }
  }
  void reap_pass_done(bool no_children_left) override {
    if (no_children_left) {
      say(Level::kDebug, "got ECHILD: no children left to monitor");
    }
  }
  void exiting(int /*status*/, int /*remapped*/) override {}

 private:
  [[nodiscard]] std::string prefix(Level level) const override {
    static constexpr const char* kNames[] = {"ERROR", "WARN", "INFO", "DEBUG", "DEBUG"};
    return std::string(kNames[static_cast<int>(level)]) +
           " (catatonit:" + std::to_string(::getpid()) + "): ";
  }
};

}  // namespace

std::unique_ptr<Voice> make_catatonit_voice(const Options& options, Log& log) {
  return std::make_unique<CatatonitVoice>(options, log);
}

}  // namespace pidone

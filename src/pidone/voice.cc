// The Voice base (what every personality says alike) and pidone's own voice.
#include "pidone/voice.h"

#include <signal.h>

#include <cstdarg>
#include <cstring>

#include "pidone/duration.h"
#include "sys/signal_names.h"
#include "text/format.h"

namespace pidone {

std::unique_ptr<Voice> make_tini_voice(const Options& options, Log& log);
std::unique_ptr<Voice> make_dumb_init_voice(const Options& options, Log& log);
std::unique_ptr<Voice> make_catatonit_voice(const Options& options, Log& log);

namespace {

// What follows the prefix is cut here, as it always was (a 1024-byte buffer).
constexpr std::size_t kMaxBody = 1023;

}  // namespace

void Voice::say(Level level, const char* format, ...) const {
  if (!log_.enabled(level)) {
    return;
  }
  const int saved_errno = errno;
  va_list args;
  va_start(args, format);
  std::string body = text::vformat(format, args);
  va_end(args);
  if (body.size() > kMaxBody) {
    body.resize(kMaxBody);
  }
  log_.line(stream(level), prefix(level) + body);
  errno = saved_errno;
}

void Voice::reaper(ReaperOutcome outcome, pid_t self, int err) {
  switch (outcome) {
    case ReaperOutcome::kRegistered:
      say(Level::kInfo, "not PID 1 (pid %d): registered as a child subreaper", self);
      break;
    case ReaperOutcome::kAlready:
      say(Level::kInfo, "not PID 1 (pid %d): a child subreaper already", self);
      break;
    case ReaperOutcome::kFailed:
      say(Level::kWarn, "not PID 1, and cannot become a child subreaper: %s", std::strerror(err));
      break;
    case ReaperOutcome::kPid1:
    case ReaperOutcome::kNotAsked:
      break;
  }
}

void Voice::fallback(const char* what, const sys::SysError& why) {
  say(Level::kInfo, "%s: %s", what, why.to_string().c_str());
}

void Voice::start_failed(const char* what, const sys::SysError& why) {
  say(Level::kError, "fatal: %s: %s", what, why.to_string().c_str());
}

void Voice::usage_error(const std::string& line) {
  say(Level::kError, "%s", line.c_str());
}

void Voice::stop_timeout_expired(pid_t child, sys::Millis after) {
  say(Level::kWarn, "child %d still running %s after the stop signal: sending SIGKILL", child,
      format_duration(after).c_str());
}

void Voice::child_vanished(pid_t child) {
  say(Level::kWarn, "child %d is gone and its exit status with it (someone else reaped it)", child);
}

void Voice::drained(const DrainNote& note) {
  const std::string grace = format_duration(options_.grace_ms);
  if (note.unlisted) {
    say(Level::kWarn,
        "cannot list the remaining processes (no /proc of this namespace): sent %s to the "
        "child's process group only%s",
        sys::signal_name(note.signal).c_str(),
        note.signal == SIGTERM ? (", SIGKILL in " + grace).c_str() : "");
    return;
  }
  if (note.signalled == 0) {
    return;
  }
  const std::string who = note.who.empty()
                              ? (note.signalled < 0 ? std::string("the remaining processes")
                                                    : count_processes(note.signalled))
                              : describe_processes(note.who);
  if (note.signal == SIGTERM) {
    say(Level::kInfo, "sent SIGTERM to %s; SIGKILL in %s", who.c_str(), grace.c_str());
  } else if (note.round > 1) {
    say(Level::kDebug, "still draining: SIGKILL to %s", who.c_str());
  } else if (options_.grace_ms == 0) {
    say(Level::kWarn, "grace is 0: killed %s", who.c_str());
  } else {
    say(Level::kWarn, "grace period of %s expired: killed %s", grace.c_str(), who.c_str());
  }
}

void Voice::problem(const char* what, const sys::SysError& why) {
  say(Level::kWarn, "%s: %s", what, why.to_string().c_str());
}

void Voice::service_started(const std::string& name, pid_t pid, int starts) {
  if (starts > 1) {
    say(Level::kInfo, "service %s restarted as pid %d (start %d)", name.c_str(), pid, starts);
  } else {
    say(Level::kInfo, "service %s started as pid %d", name.c_str(), pid);
  }
}

void Voice::service_exited(const std::string& name, const sys::ChildExit& exit) {
  if (exit.signaled) {
    say(Level::kInfo, "service %s (pid %d) killed by %s", name.c_str(), exit.pid,
        sys::signal_name(exit.value).c_str());
  } else {
    say(Level::kInfo, "service %s (pid %d) exited with %d", name.c_str(), exit.pid, exit.value);
  }
}

void Voice::service_ready(const std::string& name) {
  say(Level::kInfo, "service %s is ready", name.c_str());
}

void Voice::service_failed(const std::string& name) {
  say(Level::kWarn, "service %s failed for good (finish exited 125): not restarted", name.c_str());
}

void Voice::service_cannot_run(const std::string& name, const sys::SysError& why) {
  say(Level::kWarn, "service %s: cannot start: %s", name.c_str(), why.to_string().c_str());
}

void Voice::service_note(const std::string& name, const char* note) {
  say(Level::kInfo, "service %s: %s", name.c_str(), note);
}

void Voice::services_not_ready(const std::string& name, sys::Millis after) {
  say(Level::kError, "service %s not ready within %s: stopping", name.c_str(),
      format_duration(after).c_str());
}

namespace {

class PidoneVoice final : public Voice {
 public:
  using Voice::Voice;

  void spawned(pid_t pid, const std::string& command, int /*tty_error*/) override {
    say(Level::kInfo, "started '%s' as pid %d", command.c_str(), pid);
  }
  void exec_failed(const std::string& command, int err,
                   const std::string& missing_interpreter) override {
    if (!missing_interpreter.empty()) {
      say(Level::kError, "cannot run '%s': its interpreter '%s' is missing", command.c_str(),
          missing_interpreter.c_str());
      return;
    }
    say(Level::kError, "cannot run '%s': %s", command.c_str(), std::strerror(err));
  }
  void handoff_ignored(int sig) override {
    say(Level::kDebug, "%s from giving up the terminal: not forwarded",
        sys::signal_name(sig).c_str());
  }
  void forwarded(int sig, int sent, pid_t to, bool group) override {
    if (sent == 0) {
      say(Level::kDebug, "%s dropped (--rewrite)", sys::signal_name(sig).c_str());
    } else if (sent != sig) {
      say(Level::kDebug, "%s forwarded as %s to %s %d", sys::signal_name(sig).c_str(),
          sys::signal_name(sent).c_str(), group ? "group" : "child", to);
    } else {
      say(Level::kDebug, "forwarding %s to %s %d", sys::signal_name(sig).c_str(),
          group ? "group" : "child", to);
    }
  }
  void suspending() override { say(Level::kDebug, "suspending myself too, as the job did"); }
  void reaped(const sys::ChildExit& exit, bool main_child) override {
    if (main_child) {
      if (exit.signaled) {
        say(Level::kInfo, "child %d killed by %s", exit.pid, sys::signal_name(exit.value).c_str());
      } else {
        say(Level::kInfo, "child %d exited with %d", exit.pid, exit.value);
      }
      return;
    }
    if (options_.warn_on_reap) {
      say(Level::kWarn, "reaped zombie %d", exit.pid);
      return;
    }
    say(Level::kDebug, "reaped %d (%s %d)", exit.pid, exit.signaled ? "signal" : "exit",
        exit.value);
  }
  void exiting(int status, int remapped) override {
    if (remapped != status) {
      say(Level::kInfo, "exit code %d remapped to %d", status, remapped);
    }
    if (log_.dropped() > 0) {
      say(Level::kInfo, "%llu log lines were dropped: the stream was full",
          static_cast<unsigned long long>(log_.dropped()));
    }
  }

 private:
  [[nodiscard]] std::string prefix(Level /*level*/) const override { return "pidone: "; }
};

}  // namespace

std::unique_ptr<Voice> make_voice(const Options& options, Log& log) {
  switch (options.personality) {
    case Personality::kTini:
      return make_tini_voice(options, log);
    case Personality::kDumbInit:
      return make_dumb_init_voice(options, log);
    case Personality::kCatatonit:
      return make_catatonit_voice(options, log);
    case Personality::kPidone:
      break;
  }
  return std::make_unique<PidoneVoice>(options, log);
}

std::string describe_processes(const std::vector<proc::ProcStat>& who, std::size_t limit) {
  std::string text;
  for (std::size_t i = 0; i < who.size() && i < limit; ++i) {
    if (i > 0) {
      text += ", ";
    }
    text += std::to_string(who[i].pid);
    text += " (";
    text += who[i].comm;
    text += ')';
  }
  if (who.size() > limit) {
    text += " and " + std::to_string(who.size() - limit) + " more";
  }
  return text;
}

std::string count_processes(int n) {
  return std::to_string(n) + (n == 1 ? " process" : " processes");
}

}  // namespace pidone

// Voice: what pidone says about what happens, in the words of the name it answers to. The
// supervisor reports events (a child spawned, a signal forwarded, a zombie reaped, ...) and
// knows no names; each personality's voice turns them into the lines, levels and streams its
// original prints (tini's "[INFO  tini (7)] Spawned child process ...", dumb-init's
// "[dumb-init] Child spawned with PID 8.", catatonit's "DEBUG (catatonit:7): ..."), so log
// scrapers and the originals' own tests see no difference. pidone's own voice is quiet by
// default: at the default verbosity nothing is said when things go as expected.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "pidone/log.h"
#include "pidone/options.h"
#include "proc/stat_parser.h"
#include "sys/error.h"
#include "sys/wait_status.h"

namespace pidone {

enum class ReaperOutcome {
  kPid1,        // pidone is PID 1: the namespace's reaper already
  kRegistered,  // became a child subreaper
  kAlready,     // was a child subreaper already (inherited from the caller)
  kNotAsked,    // not PID 1 and not asked to be a subreaper (tini without -s)
  kFailed,      // PR_SET_CHILD_SUBREAPER failed (errno given)
};

// What the drain told the rest, for the voice to report.
struct DrainNote {
  int signal = 0;         // SIGTERM or SIGKILL
  int signalled = 0;      // how many were signalled; -1: an unknown number (kill(-1) as PID 1)
  int round = 0;          // SIGKILL: 1 for the first round, then 2, 3, ...
  bool unlisted = false;  // /proc could not list them: only the child's group was reachable
  std::vector<proc::ProcStat> who;
};

class Voice {
 public:
  Voice(const Options& options, Log& log) : options_(options), log_(log) {}
  virtual ~Voice() = default;
  Voice(const Voice&) = delete;
  Voice& operator=(const Voice&) = delete;

  // Start-up.
  virtual void starting() {}
  virtual void reaper(ReaperOutcome outcome, pid_t self, int err);
  virtual void fallback(const char* what, const sys::SysError& why);   // a feature pidone did
                                                                       // without (-v)
  virtual void terminal_released(int /*err*/, bool /*was_leader*/) {}  // dumb-init's setsid mode
  virtual void spawned(pid_t pid, const std::string& command, int tty_error) = 0;
  virtual void exec_failed(const std::string& command, int err,
                           const std::string& missing_interpreter) = 0;
  virtual void start_failed(const char* what, const sys::SysError& why);
  virtual void usage_error(const std::string& line);  // bad input found at start: exit 2

  // The loop.
  virtual void signal_received(int /*sig*/) {}
  virtual void handoff_ignored(int sig) = 0;
  virtual void forwarded(int sig, int sent, pid_t to, bool group) = 0;
  virtual void suspending() {}
  virtual void reaped(const sys::ChildExit& exit, bool main_child) = 0;
  virtual void reap_pass_done(bool /*no_children_left*/) {}
  virtual void stop_timeout_expired(pid_t child, sys::Millis after);
  virtual void child_vanished(pid_t child);
  virtual void drained(const DrainNote& note);
  virtual void term_group(pid_t /*group*/, int /*sig*/) {}
  virtual void exiting(int status, int remapped) = 0;
  virtual void problem(const char* what, const sys::SysError& why);  // a warning; goes on

  // Services (--services): starts, exits and restarts at -v, a permanent failure by default.
  virtual void service_started(const std::string& name, pid_t pid, int starts);
  virtual void service_exited(const std::string& name, const sys::ChildExit& exit);
  virtual void service_ready(const std::string& name);
  virtual void service_failed(const std::string& name);
  virtual void service_cannot_run(const std::string& name, const sys::SysError& why);
  virtual void service_note(const std::string& name, const char* note);
  virtual void services_not_ready(const std::string& name, sys::Millis after);

 protected:
  // One line at `level`, if the verbosity allows it, with this voice's prefix.
  [[gnu::format(printf, 3, 4)]] void say(Level level, const char* format, ...) const;
  // The prefix of a line at `level`, and the stream (1 or 2) it goes to.
  [[nodiscard]] virtual std::string prefix(Level level) const = 0;
  [[nodiscard]] virtual int stream(Level /*level*/) const { return 2; }

  const Options& options_;
  Log& log_;
};

[[nodiscard]] std::unique_ptr<Voice> make_voice(const Options& options, Log& log);

// "12 (sleep), 15 (worker)", at most `limit` entries and then "and N more".
[[nodiscard]] std::string describe_processes(const std::vector<proc::ProcStat>& who,
                                             std::size_t limit = 10);

// "1 process", "3 processes".
[[nodiscard]] std::string count_processes(int n);

}  // namespace pidone

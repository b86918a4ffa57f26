#include "inspect/analysis.h"

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

#include "sys/signal_names.h"
#include "text/json.h"
#include "text/printable.h"

namespace pidone::inspect {
namespace {

using sys::signal_name;
using text::json_string;
using text::printable;

// "SIGINT SIGCHLD", or "(none)".
std::string signal_names(std::uint64_t mask) {
  return sys::signal_set_names(sys::SignalSet(mask));
}

bool has(std::uint64_t mask, int sig) {
  return (mask >> (sig - 1)) & 1U;
}

std::string seconds_text(double seconds) {
  char text[32];
  if (seconds < 120) {
    std::snprintf(text, sizeof(text), "%.0fs", seconds);
  } else if (seconds < 7200) {
    std::snprintf(text, sizeof(text), "%.0fm", seconds / 60);
  } else {
    std::snprintf(text, sizeof(text), "%.1fh", seconds / 3600);
  }
  return text;
}

std::string json_signal_list(std::uint64_t mask) {
  std::string out = "[";
  for (int sig = 1; sig <= 64; ++sig) {
    if (has(mask, sig)) {
      out += (out.size() > 1 ? ", " : "") + json_string(signal_name(sig));
    }
  }
  return out + "]";
}

// Whether the init gets the signal in a way it can act on: it reaches the init, and is not
// the kernel acting on it instead (SIGKILL, SIGSTOP from above).
bool receives(Delivery d) {
  return reaches_init(d) && d != Delivery::kForcedKill && d != Delivery::kForcedStop;
}

const ThreadSignals* main_thread(const InitSignals& init) {
  for (const auto& t : init.threads) {
    if (t.main) {
      return &t;
    }
  }
  return nullptr;
}

// A live thread that would take `sig` off the process's queue without waiting for it (it does
// not block it): with SIG_DFL, the thread where PID 1 drops it.
const ThreadSignals* open_thread(const InitSignals& init, int sig) {
  for (const auto& t : init.threads) {
    const bool waits =
        t.wait == SigWait::kKnownSet ? has(t.wait_set, sig) : t.wait == SigWait::kUnknownSet;
    if (!t.exiting && !waits && !has(t.blocked, sig)) {
      return &t;
    }
  }
  return nullptr;
}

const ThreadSignals* waiting_thread(const InitSignals& init, int sig) {
  for (const auto& t : init.threads) {
    if (!t.exiting && t.wait == SigWait::kKnownSet && has(t.wait_set, sig)) {
      return &t;
    }
  }
  return nullptr;
}

std::string kind_name(InitKind kind) {
  switch (kind) {
    case InitKind::kForwardingInit:
      return "forwarding-init";
    case InitKind::kSupervisor:
      return "supervisor";
    case InitKind::kShell:
      return "shell";
    case InitKind::kUnknown:
      break;
  }
  return "application";
}

// A name is believed only when the kernel's facts fit it: an init receives SIGTERM and SIGCHLD,
// a supervisor SIGCHLD (or waits for its children), and the shells measured all catch SIGCHLD.
// Returns how they do not fit ("SIGTERM is dropped ..., where tini receives both"), or "".
std::string name_mismatch(const Analysis& a, bool in_wait) {
  const Delivery term = delivery_to_init(SIGTERM, a.init_signals, false);
  const Delivery chld = delivery_to_init(SIGCHLD, a.init_signals, false);
  const std::string& name = a.init.name;
  switch (a.init.kind) {
    case InitKind::kForwardingInit:
      if (receives(term) && receives(chld)) {
        return "";
      }
      return std::string("SIGTERM is ") + describe(term) + " and SIGCHLD " + describe(chld) +
             ", where " + name + " receives both";
    case InitKind::kSupervisor:
      if (receives(chld) || in_wait) {
        return "";
      }
      return std::string("SIGCHLD is ") + describe(chld) + " and it is not in wait(), where " +
             name + " reaps its children";
    case InitKind::kShell:
      if (has(a.init_signals.caught, SIGCHLD)) {
        return "";
      }
      return "it does not catch SIGCHLD, where " + name + " does";
    case InitKind::kUnknown:
      break;
  }
  return "";
}

InitReaping reaping_of(const Analysis& a, const Snapshot& s) {
  if (a.init.kind == InitKind::kForwardingInit || a.init.kind == InitKind::kSupervisor) {
    return InitReaping::kReaps;
  }
  const bool waiting_now = !s.init_threads.empty() &&
                           is_wait_for_any_child(s.init_threads.front().syscall, native_arch());
  if (waiting_now) {
    return InitReaping::kWaitingNow;
  }
  const Thread* main = s.init_threads.empty() ? nullptr : &s.init_threads.front();
  const bool in_wait = main != nullptr ? main->wchan.find("do_wait") != std::string::npos
                                       : s.init()->wchan.find("do_wait") != std::string::npos;
  const bool catches_chld = has(a.init_signals.caught, SIGCHLD);
  if (a.init.kind == InitKind::kShell) {
    if (a.init.reaping == ShellReaping::kFromItsHandler && catches_chld) {
      return InitReaping::kFromItsHandler;
    }
    if (in_wait) {
      return InitReaping::kInWait;
    }
    return a.init.reaping == ShellReaping::kWhileWaitingOnly ? InitReaping::kOnlyWhileWaiting
                                                             : InitReaping::kShellNotWaiting;
  }
  if (in_wait) {
    return InitReaping::kInWait;
  }
  return catches_chld ? InitReaping::kHandlerMightReap : InitReaping::kDoesNotReap;
}

bool reaps_them(InitReaping r) {
  return r == InitReaping::kReaps || r == InitReaping::kWaitingNow ||
         r == InitReaping::kFromItsHandler;
}

// "which reaps them", "which will not reap them either", ...: what PID 1 does with orphans.
std::string reaping_text(InitReaping r) {
  switch (r) {
    case InitReaping::kReaps:
      return "which reaps them";
    case InitReaping::kWaitingNow:
      return "which reaps them: it is waiting for any child now";
    case InitReaping::kInWait:
      return "which is in wait() now: it reaps them if it waits for any child, not one PID";
    case InitReaping::kFromItsHandler:
      return "which reaps them: bash's SIGCHLD handler reaps any child that exits";
    case InitReaping::kOnlyWhileWaiting:
      return "which reaps them only while it waits for a job (a foreground command or `wait`), "
             "and it is not waiting now";
    case InitReaping::kShellNotWaiting:
      return "which reaps them at least while it waits for a job, and it is not waiting now";
    case InitReaping::kHandlerMightReap:
      return "which catches SIGCHLD but is not in wait() now: it reaps them only if its handler "
             "calls wait()";
    case InitReaping::kDoesNotReap:
      break;
  }
  return "which will not reap them either";
}

void add_signal_findings(Analysis& a, const Snapshot& s) {
  const Delivery term = delivery_to_init(SIGTERM, a.init_signals, false);
  const std::string who = "PID 1 (" + a.init_command + ")";
  const std::string stop_fails =
      ": `kill 1` does nothing, and docker stop will wait out its timeout, then SIGKILL "
      "everything";
  const ThreadSignals* main = main_thread(a.init_signals);
  if (term == Delivery::kRace) {
    const ThreadSignals* waiter = waiting_thread(a.init_signals, SIGTERM);
    const ThreadSignals* open = open_thread(a.init_signals, SIGTERM);
    a.findings.push_back(
        {true, who + " may lose SIGTERM: thread " + std::to_string(waiter ? waiter->tid : 0) +
                   " waits for it, but thread " + std::to_string(open ? open->tid : 0) +
                   " leaves it unblocked without a handler, and if the kernel hands it there it "
                   "is dropped; then `kill 1` does nothing and docker stop waits out its "
                   "timeout"});
  } else if (!reaches_init(term)) {
    std::string why;
    if (term == Delivery::kIgnored) {
      why = " ignores SIGTERM";
    } else if (term == Delivery::kUnread) {
      why =
          " blocks SIGTERM in every thread, and no signalfd of its own asks for it and no "
          "thread waits for it: it stays pending unless PID 1 later waits for it or unblocks it";
    } else if (main != nullptr && has(main->blocked, SIGTERM)) {
      const ThreadSignals* open = open_thread(a.init_signals, SIGTERM);
      why = " blocks SIGTERM in its main thread, but thread " +
            std::to_string(open ? open->tid : 0) +
            " leaves it unblocked without a handler and the kernel drops it there";
    } else if (waiting_thread(a.init_signals, SIGTERM) != nullptr) {
      why =
          " waits for SIGTERM in another thread, but its main thread neither blocks it nor "
          "has a handler, so the kernel drops it when it is sent";
    } else {
      why = " has no SIGTERM handler";
    }
    a.findings.push_back({true, who + why + stop_fails});
  } else if (term == Delivery::kQueuedUnseen) {
    a.findings.push_back(
        {false, who + " blocks SIGTERM in every thread, and no reader of it could be seen (its "
                      "descriptors could not be read, or it was running between two waits): "
                      "whether it reads SIGTERM is unknown"});
  } else if (term == Delivery::kProbablyWaited) {
    a.findings.push_back(
        {false, who + " waits for signals in rt_sigtimedwait, but the set it waits for cannot be "
                      "read from its memory (no permission, or it changed): SIGTERM is probably "
                      "received"});
  }
  int others = 0;
  for (const auto& p : s.processes) {
    others += p.stat.pid != 1 && p.stat.pid != s.self ? 1 : 0;
  }
  if (others > 0 && a.init.kind == InitKind::kUnknown && reaches_init(term)) {
    a.findings.push_back({true, who +
                                    " is an application: when SIGTERM makes it exit, "
                                    "the kernel SIGKILLs the other " +
                                    std::to_string(others) +
                                    " processes without a SIGTERM of their own (unless it "
                                    "forwards it)"});
  }
  if (!a.name_mismatch.empty()) {
    a.findings.push_back({false, "PID 1 is named " + a.init_command +
                                     " but does not act like it: " + a.name_mismatch +
                                     "; the verdicts rest on the kernel's facts, not on the name"});
  } else if (a.init.kind == InitKind::kShell || a.init.kind == InitKind::kForwardingInit) {
    a.findings.push_back({false, "PID 1 is " + a.init.label + ": " + a.init.note});
  }
  if (a.pending != 0) {
    a.findings.push_back({false, "PID 1 has signals pending: " + signal_names(a.pending)});
  }
}

void add_zombie_findings(Analysis& a, const Snapshot& s) {
  std::map<pid_t, ZombieGroup> groups;
  for (const auto& p : s.processes) {
    if (p.stat.state != 'Z') {
      continue;
    }
    ZombieGroup& g = groups[p.stat.ppid];
    g.parent = p.stat.ppid;
    ++g.count;
    g.oldest_seconds = std::max(g.oldest_seconds, p.age_seconds);
    ++a.zombie_total;
  }
  for (auto& [ppid, g] : groups) {
    const Process* parent = s.find(ppid);
    g.parent_command = parent != nullptr ? printable(parent->stat.comm) : "?";
    if (parent != nullptr) {
      g.parent_catches_sigchld = has(parent->status.sig_cgt, SIGCHLD);
      g.parent_in_wait = parent->wchan.find("wait") != std::string::npos;
    }
    const std::string who = std::to_string(ppid) + " (" + g.parent_command + ")";
    if (ppid == 1) {
      if (a.reaping == InitReaping::kReaps) {
        g.verdict =
            "orphans of PID 1, which reaps: they should go at once; if they stay, PID 1 is stuck";
      } else if (reaps_them(a.reaping)) {
        g.verdict = "orphans (or children) of PID 1 (" + a.init_command + "), " +
                    reaping_text(a.reaping) +
                    ": they should go at once; if they stay, PID 1 is "
                    "stuck";
      } else if (a.init.kind == InitKind::kShell || a.reaping == InitReaping::kInWait) {
        g.verdict = "orphans (or children) of PID 1 (" + a.init_command + "), " +
                    reaping_text(a.reaping) +
                    ": they stay until it waits for any child; put an init such as pidone in "
                    "front of it";
      } else {
        g.verdict =
            "orphans (or children) of PID 1, which does not reap them: PID 1 must call wait(); "
            "put an init such as pidone in front of it";
      }
    } else {
      const Process* init = s.init();
      g.verdict = "children of " + who +
                  ", which must call wait() for them; if it exits they pass to PID 1 (" +
                  (init != nullptr ? printable(init->stat.comm) : "?") + "), " +
                  reaping_text(a.reaping);
    }
    a.findings.push_back({true, std::to_string(g.count) + " zombie" + (g.count == 1 ? "" : "s") +
                                    " held by " + who + ": " + g.verdict});
    a.zombies.push_back(g);
  }
}

void add_capacity_findings(Analysis& a, const Snapshot& s) {
  if (!s.pids || s.pids->max < 0) {
    return;
  }
  const auto& p = *s.pids;
  if (p.current >= p.max) {
    a.findings.push_back(
        {true,
         "the pids cgroup is full (" + std::to_string(p.current) + "/" + std::to_string(p.max) +
             "): fork fails with EAGAIN, docker exec too" +
             (a.zombie_total > 0 ? "; zombies hold " + std::to_string(a.zombie_total) + " of them"
                                 : "")});
  } else if (p.current * 10 >= p.max * 8) {
    a.findings.push_back(
        {true, "the pids cgroup is " +
                   std::to_string(p.current * 100 / std::max<std::int64_t>(p.max, 1)) + "% full (" +
                   std::to_string(p.current) + "/" + std::to_string(p.max) + ")"});
  }
}

std::string wait_text(const Thread& t) {
  switch (t.wait) {
    case SigWait::kKnownSet:
      return "waits for " + signal_names(t.wait_set) + " (rt_sigtimedwait)";
    case SigWait::kUnknownSet:
      return "waits for a set that cannot be read (rt_sigtimedwait)";
    case SigWait::kNone:
      break;
  }
  return "";
}

std::string wait_json(const Thread& t) {
  switch (t.wait) {
    case SigWait::kKnownSet:
      return "\"set read\"";
    case SigWait::kUnknownSet:
      return "\"set unreadable\"";
    case SigWait::kNone:
      break;
  }
  return "null";
}

}  // namespace

int Analysis::warnings() const {
  return static_cast<int>(
      std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.warning; }));
}

InitSignals init_signals_of(const Snapshot& s) {
  const Process* init = s.init();
  InitSignals signals;
  signals.ignored = init->status.sig_ign;
  signals.caught = init->status.sig_cgt;
  signals.signalfd = s.init_signalfd;
  for (std::size_t i = 0; i < s.init_threads.size(); ++i) {
    const Thread& t = s.init_threads[i];
    signals.threads.push_back({t.tid, i == 0, t.state == 'Z' || t.state == 'X', t.sig_blk, t.wait,
                               t.wait_set,
                               t.state == 'R' || t.syscall.kind == SyscallState::Kind::kRunning});
  }
  if (signals.threads.empty()) {
    // The task folder could not be listed: the process's own status is the main thread's.
    return one_thread({init->status.sig_blk, init->status.sig_ign, init->status.sig_cgt},
                      s.init_signalfd);
  }
  return signals;
}

namespace {

// Services that gave up, or keep crashing (pidone starts a crashing run once a second).
void add_service_findings(Analysis& a, const Snapshot& s) {
  for (const auto& service : s.services) {
    if (service.state == "failed") {
      a.findings.push_back({true, "service " + service.name +
                                      " failed for good (its finish exited 125): not restarted"});
    } else if (service.state == "restarting" || (service.starts > 3 && !service.running)) {
      a.findings.push_back({true, "service " + service.name + " keeps exiting: started " +
                                      std::to_string(service.starts) + " times"});
    } else if (service.pid > 0 && !service.running && service.state == "up") {
      a.findings.push_back({false, "service " + service.name + ": pid " +
                                       std::to_string(service.pid) +
                                       " in its status file is not a child of PID 1"});
    }
  }
}

}  // namespace

Analysis analyze(const Snapshot& s) {
  Analysis a;
  const Process* init = s.init();
  a.init_command = printable(init->stat.comm);
  a.init = identify_init(init->stat.comm, s.init_exe);
  a.init_signals = init_signals_of(s);
  a.masks = {main_thread(a.init_signals)->blocked, a.init_signals.ignored, a.init_signals.caught};
  a.pending = init->status.sig_pnd | init->status.shd_pnd;
  for (const auto& t : s.init_threads) {
    a.pending |= t.sig_pnd;
    a.waiting_for |= t.wait == SigWait::kKnownSet ? t.wait_set : 0;
  }
  const bool in_wait = !s.init_threads.empty() &&
                       (is_wait_for_any_child(s.init_threads.front().syscall, native_arch()) ||
                        s.init_threads.front().wchan.find("do_wait") != std::string::npos);
  a.name_mismatch = name_mismatch(a, in_wait);
  if (!a.name_mismatch.empty()) {
    a.init.kind = InitKind::kUnknown;
    a.init.reaping = ShellReaping::kNotAShell;
    a.init.label = "an application";
    a.init.note = "named " + a.init.name + " but does not act like it (" + a.name_mismatch +
                  "): an application as PID 1 gets only the signals it has handlers for";
  }
  a.reaping = reaping_of(a, s);
  std::vector<int> common = {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGKILL, SIGSTOP};
  // ... and every other signal it catches (a Go runtime catches them all: keep it short).
  for (int sig = 1; sig <= 64 && common.size() < 16; ++sig) {
    if (has(a.masks.caught, sig) && std::find(common.begin(), common.end(), sig) == common.end()) {
      common.push_back(sig);
    }
  }
  for (const int sig : common) {
    a.signals.push_back({sig, delivery_to_init(sig, a.init_signals, false),
                         delivery_to_init(sig, a.init_signals, true)});
  }
  a.process_total = static_cast<int>(s.processes.size());
  for (const auto& p : s.processes) {
    a.thread_total += std::max(p.status.threads, 1);
  }
  add_signal_findings(a, s);
  add_zombie_findings(a, s);
  add_capacity_findings(a, s);
  add_service_findings(a, s);
  return a;
}

std::string render_text(const Analysis& a, const Snapshot& s, bool all) {
  std::string out = "PID 1: " + a.init_command + " (" + a.init.label +
                    (s.init_host_pid ? ", host PID " + std::to_string(*s.init_host_pid) : "") +
                    ")\n  " + a.init.note + "\n";
  char line[512];
  out += "  blocked: " + signal_names(a.masks.blocked) + "\n";
  out += "  ignored: " + signal_names(a.masks.ignored) + "\n";
  out += "  caught:  " + signal_names(a.masks.caught) + "\n";
  out += "  pending: " + signal_names(a.pending) + "\n";
  out += "  signalfd: " +
         (s.init_signalfd ? signal_names(*s.init_signalfd) : std::string("(could not be read)")) +
         "\n";
  if (s.init_threads.size() == 1 && s.init_threads.front().wait != SigWait::kNone) {
    out += "  sigwait: " + wait_text(s.init_threads.front()) + "\n";
  } else if (s.init_threads.size() > 1) {
    out += "  threads: " + std::to_string(s.init_threads.size()) + "\n";
    for (const auto& t : s.init_threads) {
      out += "    " + std::to_string(t.tid) + ": blocked " + signal_names(t.sig_blk) +
             (t.wait != SigWait::kNone ? "; " + wait_text(t) : "") + " [" +
             printable(t.wchan.empty() ? "?" : t.wchan) + "]\n";
    }
  }
  int width = 34;
  for (const auto& row : a.signals) {
    width = std::max(width, static_cast<int>(std::strlen(describe(row.from_inside))) + 1);
  }
  std::snprintf(line, sizeof(line), "\n  %-12s %-*s %s\n", "kill -SIG 1", width,
                "from inside (docker exec)", "from the parent namespace (docker kill)");
  out += line;
  for (const auto& row : a.signals) {
    std::snprintf(line, sizeof(line), "  %-12s %-*s %s\n", signal_name(row.sig).c_str(), width,
                  describe(row.from_inside), describe(row.from_parent));
    out += line;
  }
  out += "\nzombies: " + std::to_string(a.zombie_total) + "\n";
  for (const auto& g : a.zombies) {
    out += "  " + std::to_string(g.count) + " under " + std::to_string(g.parent) + " (" +
           g.parent_command + "), oldest started " + seconds_text(g.oldest_seconds) +
           " ago; parent catches SIGCHLD: " + (g.parent_catches_sigchld ? "yes" : "no") +
           ", waiting in wait(): " + (g.parent_in_wait ? "yes" : "no") + "\n    -> " + g.verdict +
           "\n";
  }
  out += "\ncapacity: " + std::to_string(a.process_total) + " processes, " +
         std::to_string(a.thread_total) + " threads, " + std::to_string(a.zombie_total) +
         " PIDs held by zombies\n";
  if (s.pids) {
    out += "  pids cgroup " + printable(s.pids->cgroup) + ": " + std::to_string(s.pids->current) +
           "/" + (s.pids->max < 0 ? std::string("max") : std::to_string(s.pids->max)) +
           (s.pids->events_max >= 0
                ? ", forks refused at the limit so far: " + std::to_string(s.pids->events_max)
                : "") +
           "\n";
  } else {
    out += "  no pids limit (no pids cgroup of its own)\n";
  }
  if (!s.services.empty()) {
    out += "\nservices (pidone --services): " + std::to_string(s.services.size()) + "\n";
    std::snprintf(line, sizeof(line), "  %-20s %6s %-11s %-5s %s\n", "NAME", "PID", "STATE",
                  "READY", "RESTARTS");
    out += line;
    for (const auto& service : s.services) {
      std::snprintf(line, sizeof(line), "  %-20s %6s %-11s %-5s %d%s\n", service.name.c_str(),
                    service.pid > 0 ? std::to_string(service.pid).c_str() : "-",
                    service.state.c_str(), service.ready ? "yes" : "no",
                    std::max(service.starts - 1, 0),
                    service.pid > 0 && !service.running ? "  (stale: no such child of PID 1)" : "");
      out += line;
    }
  }
  if (all) {
    out += "\n    PID   PPID S  THR BLOCKED          IGNORED          CAUGHT           COMMAND\n";
    for (const auto& p : s.processes) {
      std::snprintf(line, sizeof(line), "  %5d  %5d %c %4d %016llx %016llx %016llx ", p.stat.pid,
                    p.stat.ppid, p.stat.state, p.status.threads,
                    static_cast<unsigned long long>(p.status.sig_blk),
                    static_cast<unsigned long long>(p.status.sig_ign),
                    static_cast<unsigned long long>(p.status.sig_cgt));
      out += line + printable(p.stat.comm) + "\n";
    }
  }
  out += "\nverdicts:\n";
  for (const auto& f : a.findings) {
    out += std::string(f.warning ? "  WARNING " : "  note    ") + f.text + "\n";
  }
  if (a.findings.empty()) {
    out += "  none\n";
  }
  out += "\n" + std::to_string(a.warnings()) + " warning" + (a.warnings() == 1 ? "" : "s") + "\n";
  return out;
}

std::string render_json(const Analysis& a, const Snapshot& s, bool all) {
  std::string out = "{\n";
  out += "  \"init\": {\"pid_on_host\": " +
         (s.init_host_pid ? std::to_string(*s.init_host_pid) : std::string("null")) +
         ", \"command\": " + json_string(a.init_command) +
         ", \"kind\": " + json_string(kind_name(a.init.kind)) +
         ", \"note\": " + json_string(a.init.note) + ",\n";
  out += "           \"blocked\": " + json_signal_list(a.masks.blocked) +
         ", \"ignored\": " + json_signal_list(a.masks.ignored) +
         ", \"caught\": " + json_signal_list(a.masks.caught) +
         ", \"pending\": " + json_signal_list(a.pending) +
         ", \"waiting_for\": " + json_signal_list(a.waiting_for) + ", \"signalfd\": " +
         (s.init_signalfd ? json_signal_list(*s.init_signalfd) : std::string("null")) + ",\n";
  out += "           \"threads\": [";
  for (std::size_t i = 0; i < s.init_threads.size(); ++i) {
    const Thread& t = s.init_threads[i];
    out += std::string(i > 0 ? ",\n" : "\n") + "             {\"tid\": " + std::to_string(t.tid) +
           ", \"blocked\": " + json_signal_list(t.sig_blk) +
           ", \"pending\": " + json_signal_list(t.sig_pnd) + ", \"sigwait\": " + wait_json(t) +
           ", \"waiting_for\": " + json_signal_list(t.wait_set) +
           ", \"wchan\": " + json_string(printable(t.wchan)) + "}";
  }
  out += "]},\n";
  out += "  \"signals\": [";
  for (std::size_t i = 0; i < a.signals.size(); ++i) {
    const auto& row = a.signals[i];
    out += std::string(i > 0 ? ",\n" : "\n") +
           "    {\"signal\": " + json_string(signal_name(row.sig)) +
           ", \"from_inside\": " + json_string(describe(row.from_inside)) +
           ", \"from_parent_namespace\": " + json_string(describe(row.from_parent)) + "}";
  }
  out += "],\n  \"zombies\": {\"total\": " + std::to_string(a.zombie_total) + ", \"by_parent\": [";
  for (std::size_t i = 0; i < a.zombies.size(); ++i) {
    const auto& g = a.zombies[i];
    char oldest[32];
    std::snprintf(oldest, sizeof(oldest), "%.1f", g.oldest_seconds);
    out += std::string(i > 0 ? ",\n" : "\n") + "    {\"parent\": " + std::to_string(g.parent) +
           ", \"parent_command\": " + json_string(g.parent_command) +
           ", \"count\": " + std::to_string(g.count) + ", \"oldest_seconds\": " + oldest +
           ", \"parent_catches_sigchld\": " + (g.parent_catches_sigchld ? "true" : "false") +
           ", \"parent_in_wait\": " + (g.parent_in_wait ? "true" : "false") +
           ", \"verdict\": " + json_string(g.verdict) + "}";
  }
  out += "]},\n  \"capacity\": {\"processes\": " + std::to_string(a.process_total) +
         ", \"threads\": " + std::to_string(a.thread_total) +
         ", \"zombie_pids\": " + std::to_string(a.zombie_total) + ", \"pids_cgroup\": ";
  if (s.pids) {
    out += "{\"path\": " + json_string(printable(s.pids->cgroup)) +
           ", \"current\": " + std::to_string(s.pids->current) +
           ", \"max\": " + (s.pids->max < 0 ? std::string("null") : std::to_string(s.pids->max)) +
           ", \"events_max\": " + std::to_string(s.pids->events_max) + "}";
  } else {
    out += "null";
  }
  out += "},\n  \"services\": [";
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    const auto& service = s.services[i];
    out += std::string(i > 0 ? ",\n" : "\n") + "    {\"name\": " + json_string(service.name) +
           ", \"pid\": " + (service.running ? std::to_string(service.pid) : std::string("null")) +
           ", \"state\": " + json_string(service.state) +
           ", \"ready\": " + (service.ready ? "true" : "false") +
           ", \"restarts\": " + std::to_string(std::max(service.starts - 1, 0)) + "}";
  }
  out += "],\n";
  if (all) {
    out += "  \"processes\": [";
    for (std::size_t i = 0; i < s.processes.size(); ++i) {
      const auto& p = s.processes[i];
      out += std::string(i > 0 ? ",\n" : "\n") + "    {\"pid\": " + std::to_string(p.stat.pid) +
             ", \"ppid\": " + std::to_string(p.stat.ppid) +
             ", \"state\": " + json_string(printable(std::string(1, p.stat.state))) +
             ", \"threads\": " + std::to_string(p.status.threads) +
             ", \"command\": " + json_string(printable(p.stat.comm)) +
             ", \"blocked\": " + json_signal_list(p.status.sig_blk) +
             ", \"ignored\": " + json_signal_list(p.status.sig_ign) +
             ", \"caught\": " + json_signal_list(p.status.sig_cgt) + "}";
    }
    out += "],\n";
  }
  out += "  \"findings\": [";
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    out += std::string(i > 0 ? ",\n" : "\n") +
           "    {\"severity\": " + json_string(a.findings[i].warning ? "warning" : "note") +
           ", \"text\": " + json_string(a.findings[i].text) + "}";
  }
  out += "],\n  \"warnings\": " + std::to_string(a.warnings()) + "\n}\n";
  return out;
}

}  // namespace pidone::inspect

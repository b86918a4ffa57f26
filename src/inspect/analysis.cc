#include "inspect/analysis.h"

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "sys/signal_names.h"
#include "text/json.h"

namespace pidone::inspect {
namespace {

using text::json_string;

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
      out += (out.size() > 1 ? ", " : "") + json_string(sys::signal_name(sig));
    }
  }
  return out + "]";
}

void add_signal_findings(Analysis& a, const Snapshot& s) {
  const Delivery term = delivery_to_init(SIGTERM, a.masks, false);
  if (!reaches_init(term)) {
    a.findings.push_back(
        {true, "PID 1 (" + a.init_command + ") " +
                   (term == Delivery::kIgnored ? "ignores SIGTERM" : "has no SIGTERM handler") +
                   ": `kill 1` does nothing, and docker stop will wait out its timeout, then "
                   "SIGKILL everything"});
  }
  const bool others = s.processes.size() > 1;
  if (others && a.init.kind == InitKind::kUnknown && reaches_init(term)) {
    a.findings.push_back(
        {true, "PID 1 (" + a.init_command +
                   ") is an application: when SIGTERM makes it exit, "
                   "the kernel SIGKILLs the other " +
                   std::to_string(s.processes.size() - 1) +
                   " processes without a SIGTERM of their own (unless it forwards it)"});
  }
  if (a.init.kind == InitKind::kShell || a.init.kind == InitKind::kForwardingInit) {
    a.findings.push_back({false, "PID 1 is " + a.init.label + ": " + a.init.note});
  }
  if (a.pending != 0) {
    a.findings.push_back(
        {false, "PID 1 has signals pending: " + sys::signal_set_names(sys::SignalSet(a.pending))});
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
  const Process* init = s.init();
  const bool init_reaps =
      a.init.kind == InitKind::kForwardingInit || a.init.kind == InitKind::kSupervisor;
  for (auto& [ppid, g] : groups) {
    const Process* parent = s.find(ppid);
    g.parent_command = parent != nullptr ? parent->stat.comm : "?";
    if (parent != nullptr) {
      g.parent_catches_sigchld = has(parent->status.sig_cgt, SIGCHLD);
      g.parent_in_wait = parent->wchan.find("wait") != std::string::npos;
    }
    const std::string who = std::to_string(ppid) + " (" + g.parent_command + ")";
    if (ppid == 1) {
      g.verdict = init_reaps
                      ? "orphans of PID 1, which reaps: they should go at once; if they stay, "
                        "PID 1 is stuck"
                      : "orphans (or children) of PID 1, which does not reap them: PID 1 must "
                        "call wait(); put an init such as pidone in front of it";
    } else {
      g.verdict = "children of " + who +
                  ", which must call wait() for them; if it exits they "
                  "pass to PID 1 (" +
                  (init != nullptr ? init->stat.comm : "?") + "), " +
                  (init_reaps ? "which reaps them" : "which will not reap them either");
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

}  // namespace

int Analysis::warnings() const {
  return static_cast<int>(
      std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.warning; }));
}

Analysis analyze(const Snapshot& s) {
  Analysis a;
  const Process* init = s.init();
  a.init_command = init->stat.comm;
  a.init = identify_init(a.init_command);
  a.masks = {init->status.sig_blk, init->status.sig_ign, init->status.sig_cgt};
  a.pending = init->status.sig_pnd | init->status.shd_pnd;
  std::vector<int> common = {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGKILL, SIGSTOP};
  // ... and every other signal it catches (a Go runtime catches them all: keep it short).
  for (int sig = 1; sig <= 64 && common.size() < 16; ++sig) {
    if (has(a.masks.caught, sig) && std::find(common.begin(), common.end(), sig) == common.end()) {
      common.push_back(sig);
    }
  }
  for (const int sig : common) {
    a.signals.push_back(
        {sig, delivery_to_init(sig, a.masks, false), delivery_to_init(sig, a.masks, true)});
  }
  a.process_total = static_cast<int>(s.processes.size());
  for (const auto& p : s.processes) {
    a.thread_total += std::max(p.status.threads, 1);
  }
  add_signal_findings(a, s);
  add_zombie_findings(a, s);
  add_capacity_findings(a, s);
  return a;
}

std::string render_text(const Analysis& a, const Snapshot& s, bool all) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof(line), "PID 1: %s (%s, host PID %d)\n  %s\n", a.init_command.c_str(),
                a.init.label.c_str(), s.init_host_pid, a.init.note.c_str());
  out += line;
  out += "  blocked: " + sys::signal_set_names(sys::SignalSet(a.masks.blocked)) + "\n";
  out += "  ignored: " + sys::signal_set_names(sys::SignalSet(a.masks.ignored)) + "\n";
  out += "  caught:  " + sys::signal_set_names(sys::SignalSet(a.masks.caught)) + "\n";
  out += "  pending: " + sys::signal_set_names(sys::SignalSet(a.pending)) + "\n\n";
  std::snprintf(line, sizeof(line), "  %-12s %-34s %s\n", "kill -SIG 1",
                "from inside (docker exec)", "from the parent namespace (docker kill)");
  out += line;
  for (const auto& row : a.signals) {
    std::snprintf(line, sizeof(line), "  %-12s %-34s %s\n", sys::signal_name(row.sig).c_str(),
                  describe(row.from_inside), describe(row.from_parent));
    out += line;
  }
  out += "\nzombies: " + std::to_string(a.zombie_total) + "\n";
  for (const auto& g : a.zombies) {
    std::snprintf(line, sizeof(line),
                  "  %d under %d (%s), oldest started %s ago; parent catches SIGCHLD: %s, "
                  "waiting in wait(): %s\n    -> %s\n",
                  g.count, g.parent, g.parent_command.c_str(),
                  seconds_text(g.oldest_seconds).c_str(), g.parent_catches_sigchld ? "yes" : "no",
                  g.parent_in_wait ? "yes" : "no", g.verdict.c_str());
    out += line;
  }
  out += "\ncapacity: " + std::to_string(a.process_total) + " processes, " +
         std::to_string(a.thread_total) + " threads, " + std::to_string(a.zombie_total) +
         " PIDs held by zombies\n";
  if (s.pids) {
    out += "  pids cgroup " + s.pids->cgroup + ": " + std::to_string(s.pids->current) + "/" +
           (s.pids->max < 0 ? std::string("max") : std::to_string(s.pids->max)) +
           (s.pids->events_max >= 0
                ? ", forks refused at the limit so far: " + std::to_string(s.pids->events_max)
                : "") +
           "\n";
  } else {
    out += "  no pids limit (no pids cgroup of its own)\n";
  }
  if (all) {
    out += "\n    PID   PPID S  THR BLOCKED          IGNORED          CAUGHT           COMMAND\n";
    for (const auto& p : s.processes) {
      std::snprintf(line, sizeof(line), "  %5d  %5d %c %4d %016llx %016llx %016llx %s\n",
                    p.stat.pid, p.stat.ppid, p.stat.state, p.status.threads,
                    static_cast<unsigned long long>(p.status.sig_blk),
                    static_cast<unsigned long long>(p.status.sig_ign),
                    static_cast<unsigned long long>(p.status.sig_cgt), p.stat.comm.c_str());
      out += line;
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
  out += "  \"init\": {\"pid_on_host\": " + std::to_string(s.init_host_pid) +
         ", \"command\": " + json_string(a.init_command) + ", \"kind\": " +
         json_string(a.init.kind == InitKind::kForwardingInit ? "forwarding-init"
                     : a.init.kind == InitKind::kSupervisor   ? "supervisor"
                     : a.init.kind == InitKind::kShell        ? "shell"
                                                              : "application") +
         ", \"note\": " + json_string(a.init.note) + ",\n";
  out += "           \"blocked\": " + json_signal_list(a.masks.blocked) +
         ", \"ignored\": " + json_signal_list(a.masks.ignored) +
         ", \"caught\": " + json_signal_list(a.masks.caught) +
         ", \"pending\": " + json_signal_list(a.pending) + "},\n";
  out += "  \"signals\": [";
  for (std::size_t i = 0; i < a.signals.size(); ++i) {
    const auto& row = a.signals[i];
    out += std::string(i > 0 ? ",\n" : "\n") +
           "    {\"signal\": " + json_string(sys::signal_name(row.sig)) +
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
    out += "{\"path\": " + json_string(s.pids->cgroup) +
           ", \"current\": " + std::to_string(s.pids->current) +
           ", \"max\": " + (s.pids->max < 0 ? std::string("null") : std::to_string(s.pids->max)) +
           ", \"events_max\": " + std::to_string(s.pids->events_max) + "}";
  } else {
    out += "null";
  }
  out += "},\n";
  if (all) {
    out += "  \"processes\": [";
    for (std::size_t i = 0; i < s.processes.size(); ++i) {
      const auto& p = s.processes[i];
      out += std::string(i > 0 ? ",\n" : "\n") + "    {\"pid\": " + std::to_string(p.stat.pid) +
             ", \"ppid\": " + std::to_string(p.stat.ppid) + ", \"state\": \"" +
             std::string(1, p.stat.state) + "\", \"threads\": " + std::to_string(p.status.threads) +
             ", \"command\": " + json_string(p.stat.comm) +
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

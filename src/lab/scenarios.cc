#include "lab/scenarios.h"

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>

#include "lab/container.h"
#include "sys/signal_names.h"

namespace pidone::lab {
namespace {

using nsrun::Clock;

// Starts a subject; on failure records why as a failed check and returns null.
std::unique_ptr<Container> start(const LabConfig& config, const Workload& workload,
                                 ScenarioResult& r, const std::string& subject) {
  auto started = config.runtime->start(workload, &r.commands);
  if (!started) {
    r.checks.push_back({subject, "start", "starts", "failed: " + started.error(), false});
    return nullptr;
  }
  return std::move(*started);
}

std::string outcome(std::optional<int> exit_code) {
  return exit_code ? "died (exit " + std::to_string(*exit_code) + ")" : "survived";
}

// Waits until `condition` holds, re-checking every 10 ms, for at most `timeout`.
template <class Condition>
bool within(Clock::duration timeout, Condition condition) {
  const auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() >= deadline) {
      return false;
    }
    pollfd none{-1, 0, 0};
    (void)::poll(&none, 0, 10);
  }
  return true;
}

// Reads lines until `needle` has been seen in `n` of them (counting lines already read).
bool wait_lines(nsrun::LineReader& reader, const std::string& needle, int n,
                Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  auto count = [&] {
    const std::string seen = reader.seen();
    int found = 0;
    for (std::size_t pos = 0; (pos = seen.find(needle, pos)) != std::string::npos; ++pos) {
      ++found;
    }
    return found;
  };
  while (count() < n) {
    if (!reader.next_line(deadline)) {
      return false;
    }
  }
  return true;
}

// Every line of `text` indented by `prefix`.
std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const auto line = text.substr(start, end == std::string::npos ? end : end - start);
    out += prefix + line + "\n";
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return out;
}

int count_if_state(const std::vector<proc::ProcStat>& table, char state, pid_t parent = 0) {
  return static_cast<int>(std::count_if(table.begin(), table.end(), [&](const auto& p) {
    return p.state == state && (parent == 0 || p.ppid == parent);
  }));
}

std::optional<pid_t> find_comm(const std::vector<proc::ProcStat>& table, const std::string& comm) {
  for (const auto& p : table) {
    if (p.comm == comm && p.state != 'Z') {
      return p.pid;
    }
  }
  return std::nullopt;
}

// How long to watch a process that should survive a signal: the kernel drops such a signal
// at the send, so a survivor shows nothing; this only bounds the wait for a death.
constexpr auto kSurvivalWindow = 500ms;

// ---- kill-pid1 --------------------------------------------------------------------------

struct Subject {
  std::string name;
  std::vector<std::string> argv;
  std::string ready_line;  // empty: ready once PID 1 has a child
  // Expected: survives kill -9 1 (inside), kill 1 (inside), TERM (outside), KILL (outside).
  bool survives_inside_kill, survives_inside_term, survives_outside_term, survives_outside_kill;
};

bool wait_ready(Container& c, const Subject& s) {
  if (!s.ready_line.empty()) {
    return c.out().wait_for(s.ready_line, 10s).has_value();
  }
  return within(10s, [&] {
    const auto table = c.processes();
    return std::any_of(table.begin(), table.end(), [](const auto& p) { return p.ppid == 1; });
  });
}

std::string explain_pid1(Container& c, const Subject& s) {
  const sys::SignalSet caught = c.pid1_signal_set("SigCgt");
  const sys::SignalSet blocked = c.pid1_signal_set("SigBlk");
  int caught_count = 0;
  for (int sig = 1; sig <= sys::kMaxSignal; ++sig) {
    caught_count += caught.contains(sig) ? 1 : 0;
  }
  std::string line = s.name + ": PID 1 is " + c.pid1_name() + "; it catches " +
                     (caught_count > 8 ? std::to_string(caught_count) + " signals"
                                       : sys::signal_set_names(caught)) +
                     " (SigCgt). ";
  if (blocked.contains(SIGTERM)) {
    line +=
        "It blocks SIGTERM and reads it from a signalfd: a blocked signal is queued, never "
        "dropped, so `kill 1` reaches it and it forwards SIGTERM to its child.";
  } else if (caught.contains(SIGTERM) && s.name == "go-init") {
    line +=
        "The Go runtime handles every signal; with no signal.Notify, on SIGTERM it restores "
        "the default and re-raises it, which the kernel drops for PID 1, then exits with 2.";
  } else if (caught.contains(SIGTERM)) {
    line += "It catches SIGTERM, so `kill 1` is delivered to its handler.";
  } else {
    line +=
        "No SIGTERM handler: the kernel drops SIGTERM sent to a namespace's init, from "
        "inside and from the parent namespace alike.";
  }
  line +=
      " SIGKILL can never be caught: from inside it is always dropped; from the parent "
      "namespace it is forced.";
  return line;
}

// Starts subject `s` and waits for its ready line; nullptr (with a failed check) if not.
std::unique_ptr<Container> start_ready(const LabConfig& config, const Subject& s,
                                       ScenarioResult& r) {
  auto c = start(config, {s.argv, {}}, r, s.name);
  if (c && !wait_ready(*c, s)) {
    r.checks.push_back({s.name, "start", "starts", "did not start", false});
    return nullptr;
  }
  return c;
}

void kill_inside(const LabConfig& config, const Subject& s, ScenarioResult& r) {
  auto c = start_ready(config, s, r);
  if (!c) {
    return;
  }
  r.explanations.push_back(explain_pid1(*c, s));
  if (s.name == "init.sh") {
    r.tables.push_back("  " + s.name + " as PID 1, before `kill 1`:\n" + ps_table(c->processes()));
  }
  c->kill_from_inside(SIGKILL);
  const auto after_kill = c->exit_within(kSurvivalWindow);
  r.checks.push_back({s.name, "kill -9 1 (inside)", s.survives_inside_kill ? "survives" : "dies",
                      outcome(after_kill), !after_kill == s.survives_inside_kill});
  if (!after_kill) {
    c->kill_from_inside(SIGTERM);
    const auto after_term = c->exit_within(s.survives_inside_term ? kSurvivalWindow : 5s);
    r.checks.push_back({s.name, "kill 1 (inside)", s.survives_inside_term ? "survives" : "dies",
                        outcome(after_term), !after_term == s.survives_inside_term});
    if (s.name == "init.sh" && !after_term) {
      r.tables.push_back("  " + s.name + " after `kill -9 1` and `kill 1` from inside:\n" +
                         ps_table(c->processes()));
    }
  }
  c->stop();
}

void kill_outside(const LabConfig& config, const Subject& s, ScenarioResult& r) {
  auto c = start_ready(config, s, r);
  if (!c) {
    return;
  }
  c->kill_from_outside(SIGTERM);
  const auto after_term = c->exit_within(s.survives_outside_term ? kSurvivalWindow : 5s);
  r.checks.push_back({s.name, "SIGTERM (parent namespace)",
                      s.survives_outside_term ? "survives" : "dies", outcome(after_term),
                      !after_term == s.survives_outside_term});
  if (!after_term) {
    c->kill_from_outside(SIGKILL);
    const auto after_kill = c->exit_within(5s);
    r.checks.push_back({s.name, "SIGKILL (parent namespace)",
                        s.survives_outside_kill ? "survives" : "dies", outcome(after_kill),
                        !after_kill == s.survives_outside_kill});
  }
  c->stop();
}

}  // namespace

ScenarioResult run_kill_pid1(const LabConfig& config) {
  ScenarioResult r{"kill-pid1", "why `kill 1` and `kill -9 1` do nothing to PID 1", {}, {}, {}, {},
                   {}};
  std::vector<Subject> subjects = {
      {"init.sh", {"/bin/bash", config.program("init.sh")}, "", true, true, true, false},
      {"c-init-nosig",
       {config.program("c-init-nosig")},
       "Process is sleeping",
       true,
       true,
       true,
       false},
      {"c-init-sig",
       {config.program("c-init-sig")},
       "Process is sleeping",
       true,
       false,
       false,
       false},
  };
  if (config.runtime->has_program("go-init")) {
    subjects.push_back(
        {"go-init", {config.program("go-init")}, "Start app", true, false, false, false});
  } else {
    r.explanations.push_back(
        "go-init skipped: not built (it needs Go: apt-get install golang-go, then rebuild).");
  }
  subjects.push_back({"pidone",
                      {config.runtime->pidone(), "--", config.program("c-init-nosig")},
                      "Process is sleeping",
                      true,
                      false,
                      false,
                      false});
  for (const auto& s : subjects) {
    kill_inside(config, s, r);
    kill_outside(config, s, r);
  }
  return r;
}

// ---- zombies ----------------------------------------------------------------------------

namespace {

// app-test under `init_argv` prefix (nothing, or pidone --) with a never-waiting PID 2, then
// app-test is killed: its zombies are orphaned to PID 1.
void orphaned_zombies(const LabConfig& config, bool with_pidone, ScenarioResult& r) {
  const std::string workload = config.program("app-test") + " " + std::to_string(config.zombies) +
                               " --sleep " + std::to_string(config.child_seconds) + " & exec " +
                               config.program("c-init-nosig");
  std::vector<std::string> argv = {"/bin/sh", "-c", workload};
  if (with_pidone) {
    argv.insert(argv.begin(), {config.runtime->pidone(), "--"});
  }
  const std::string subject = with_pidone ? "pidone" : "c-init-nosig";
  auto c = start(config, {argv, {}}, r, subject);
  if (!c) {
    return;
  }
  if (!c->out().wait_for("Parent is sleeping", 60s)) {
    r.checks.push_back({subject, "start the workload", "starts", "did not start", false});
    return;
  }
  // Wait for app-test's children to exit and become its zombies.
  std::optional<pid_t> app;
  within(std::chrono::seconds(config.child_seconds + 60), [&] {
    const auto table = c->processes();
    app = find_comm(table, "app-test");
    return app && count_if_state(table, 'Z', *app) >= config.zombies;
  });
  if (!app) {
    r.checks.push_back({subject, "app-test's children exit", "zombies", "no app-test", false});
    return;
  }
  const auto killed_at = Clock::now();
  c->exec({"kill", "-9", std::to_string(*app)});
  // Orphaned zombies: those whose parent is now PID 1, app-test itself (its parent's) aside.
  auto orphans = [&, app_pid = *app] {
    const auto table = c->processes();
    return static_cast<int>(std::count_if(table.begin(), table.end(), [&](const auto& p) {
      return p.state == 'Z' && p.ppid == 1 && p.pid != app_pid;
    }));
  };
  if (with_pidone) {
    const bool zero = within(
        30s, [&] { return orphans() == 0 && !find_comm(c->processes(), "app-test").has_value(); });
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed_at).count();
    r.checks.push_back(
        {subject, "orphaned zombies after app-test dies", "0 (reaped)",
         zero ? "0, " + std::to_string(ms) + " ms after the kill" : std::to_string(orphans()),
         zero});
    const auto table = c->processes();
    r.tables.push_back("  under pidone, after app-test was killed:\n" + ps_table(table));
    r.explanations.push_back(
        "pidone reaps every child, and orphans become its children: the " +
        std::to_string(config.zombies) +
        " zombies were reaped when app-test died. app-test "
        "itself stays a zombie if its parent (PID 2, c-init-nosig) never waits: not an orphan, "
        "so it is its parent's to reap, and pidone-inspect names that parent.");
  } else {
    within(10s, [&] { return orphans() >= config.zombies; });
    const int count = orphans();
    r.checks.push_back({subject, "orphaned zombies after app-test dies",
                        std::to_string(config.zombies) + " stay", std::to_string(count) + " stay",
                        count >= config.zombies});
    r.explanations.push_back(
        "The orphans were reparented to PID 1 (c-init-nosig), which never calls wait(): they "
        "stay zombies, each holding a PID.");
  }
  c->stop();
}

}  // namespace

ScenarioResult run_zombies(const LabConfig& config) {
  ScenarioResult r{"zombies", "why the container fills with <defunct> processes", {}, {}, {}, {},
                   {}};
  const std::string n = std::to_string(config.zombies);
  auto c =
      start(config,
            {{config.program("app-test"), n, "--sleep", std::to_string(config.child_seconds)}, {}},
            r, "app-test");
  if (!c) {
    return r;
  }
  if (!c->out().wait_for("Parent is sleeping", 60s)) {
    r.checks.push_back({"app-test", "start", "starts", "did not start", false});
    return r;
  }
  r.tables.push_back("  app-test " + n + " as PID 1, its children still sleeping:\n" +
                     ps_table(c->processes(), 4));
  within(std::chrono::seconds(config.child_seconds + 60),
         [&] { return count_if_state(c->processes(), 'Z', 1) >= config.zombies; });
  const auto table = c->processes();
  const int zombies = count_if_state(table, 'Z', 1);
  r.tables.push_back("  app-test " + n + " as PID 1, after its children exited:\n" +
                     ps_table(table));
  r.checks.push_back({"app-test", "children exit, parent never waits", n + " zombies",
                      std::to_string(zombies) + " zombies, parent PID 1 (" + c->pid1_name() + ")",
                      zombies == config.zombies});
  r.explanations.push_back(
      "Each child finished (do_exit) and became EXIT_ZOMBIE: memory and files freed, the PID "
      "and task_struct kept until the parent calls wait(). The parent is PID 1 (app-test), and "
      "it never does.");
  c->stop();
  orphaned_zombies(config, false, r);
  orphaned_zombies(config, true, r);
  return r;
}

// ---- pids-limit -------------------------------------------------------------------------

ScenarioResult run_pids_limit(const LabConfig& config) {
  ScenarioResult r{
      "pids-limit", "zombies exhaust the pids cgroup and `docker exec` fails", {}, {}, {}, {}, {}};
  constexpr int kMax = 20;
  const std::string app =
      config.program("app-test") + " 30 --sleep " + std::to_string(config.child_seconds);
  for (const bool with_pidone : {false, true}) {
    std::vector<std::string> argv = {"/bin/sh", "-c", "exec " + app};
    if (with_pidone) {
      argv = {config.runtime->pidone(), "--", "/bin/sh", "-c",
              app + " & exec " + config.program("c-init-nosig")};
    }
    const std::string subject = with_pidone ? "pidone" : "app-test";
    auto started = config.runtime->start({argv, kMax}, &r.commands);
    if (!started) {
      r.skipped = started.error();
      return r;
    }
    auto& c = *started;
    // "Parent is sleeping (created K)": K children forked before pids.max stopped it.
    const auto sleeping = c->out().wait_for("Parent is sleeping", 30s);
    if (!sleeping) {
      r.checks.push_back({subject, "start in the cgroup", "starts", "did not start", false});
      continue;
    }
    const auto open = sleeping->find("created ");
    const int created = open == std::string::npos ? 0 : std::atoi(sleeping->c_str() + open + 8);
    // The children exit and stay zombies: the cgroup stays full.
    within(std::chrono::seconds(config.child_seconds + 30), [&] {
      const auto table = c->processes();
      const auto app_pid = find_comm(table, "app-test");
      return app_pid && count_if_state(table, 'Z', *app_pid) >= created;
    });
    const std::string full = c->pids_usage();
    std::string table = "  " + subject;
    table += ": pids " + full + ", processes:\n" + ps_table(c->processes());
    r.tables.push_back(std::move(table));
    if (with_pidone) {
      // The fix: the zombies' parent dies, they are orphaned to pidone, which reaps them.
      // `docker exec kill` cannot fork in the full cgroup either: kill it from the host.
      if (auto app_pid = find_comm(c->processes(), "app-test")) {
        c->kill_process_from_outside(*app_pid, SIGKILL);
      }
      within(10s, [&] { return count_if_state(c->processes(), 'Z', 1) == 0; });
    }
    // A new process in the container, as `docker exec`, that forks there, as a shell does.
    // (Joining a cgroup is a migration, which pids.max does not limit: the fork is what fails.)
    const CommandResult exec = c->exec({"/bin/sh", "-c", "/bin/true; echo forked"});
    const bool failed = exec.exit_code != 0 || exec.output.find("forked") == std::string::npos;
    std::string observed = failed ? "fails" : "works";
    if (failed && (exec.output.find("Resource temporarily unavailable") != std::string::npos ||
                   exec.output.find("can't fork") != std::string::npos)) {
      observed += " (EAGAIN)";
    }
    if (with_pidone) {
      r.checks.push_back({subject, "new process after app-test died", "works (orphans reaped)",
                          observed + ", pids " + c->pids_usage(), !failed});
    } else {
      std::string seen = observed;
      seen += ", pids " + full;
      r.checks.push_back(
          {subject, "new process while zombies hold PIDs", "fails (EAGAIN)", seen, failed});
    }
    c->stop();
  }
  r.explanations.push_back(
      "A zombie keeps its PID and its charge in the pids cgroup until it is reaped; at "
      "pids.max, fork() fails with EAGAIN, which is how `docker exec` failed in the seed.");
  r.explanations.push_back(
      "With pidone as PID 1 the zombies still belong to their live parent (only it may reap "
      "them); once that parent dies they are orphans, pidone reaps them and the PIDs return.");
  return r;
}

// ---- stop -------------------------------------------------------------------------------

ScenarioResult run_stop(const LabConfig& config) {
  ScenarioResult r{"stop", "why `docker stop` SIGKILLs the children", {}, {}, {}, {}, {}};
  const std::string fwd = config.program("fwd-sig");
  struct Case {
    std::string subject;
    std::vector<std::string> argv;
    int expected_lines;
    std::string why;
  };
  std::vector<Case> cases = {
      {"fwd-sig 3",
       {fwd, "3"},
       1,
       "fwd-sig as PID 1 exits on SIGTERM; the kernel (zap_pid_ns_processes) then SIGKILLs the "
       "3 children: their SIGTERM handlers never run."},
      {"pidone",
       {config.runtime->pidone(), "--", fwd, "3"},
       4,
       "pidone forwards SIGTERM to fwd-sig; when it exits, pidone sends SIGTERM to the 3 "
       "children left and waits for them: every handler runs."},
  };
  if (!config.runtime->tini().empty()) {
    cases.push_back({"tini",
                     {config.runtime->tini(), "--", fwd, "3"},
                     1,
                     "tini forwards SIGTERM to fwd-sig but exits as soon as it has exited: "
                     "the kernel SIGKILLs the children."});
  } else {
    r.explanations.push_back("tini is not installed: its comparison is left out.");
  }
  for (const auto& k : cases) {
    auto c = start(config, {k.argv, {}}, r, k.subject);
    if (!c) {
      continue;
    }
    if (!wait_lines(c->out(), "Parent is sleeping", 1, 10s) ||
        !wait_lines(c->out(), "Child =>", 3, 10s)) {
      r.checks.push_back({k.subject, "start", "starts", "did not start", false});
      continue;
    }
    if (k.subject == "pidone") {
      r.tables.push_back("  pidone -- fwd-sig 3, before the stop:\n" + ps_table(c->processes()));
    }
    c->kill_from_outside(SIGTERM);  // what docker stop sends
    const auto code = c->exit_within(10s);
    c->out().read_rest(2s);
    const std::string output = c->out().seen();
    int handled = 0;
    for (std::size_t pos = 0; (pos = output.find("received SIGTERM", pos)) != std::string::npos;
         ++pos) {
      ++handled;
    }
    r.checks.push_back({k.subject, "SIGTERM to PID 1 (docker stop)",
                        std::to_string(k.expected_lines) + " of 4 handlers run",
                        std::to_string(handled) + " of 4 ran, " + outcome(code),
                        handled == k.expected_lines && code == 0});
    r.explanations.push_back(k.why);
    c->stop();
  }
  return r;
}

// ---- basic-signals ----------------------------------------------------------------------

ScenarioResult run_basic_signals(const LabConfig& config) {
  ScenarioResult r{
      "basic-signals", "ignore, catch, default; and SIGKILL cannot be caught", {}, {}, {}, {}, {}};
  const std::string basic = config.runtime->host_program("basic-sig");
  r.commands.push_back(basic);
  const CommandResult b = run_command({basic}, 10s);
  r.tables.push_back("  basic-sig output:\n" + indent(b.output, "    "));
  const bool ordered = b.output.find(
                           "Ignore SIGTERM\nCatch SIGTERM\nreceived SIGTERM\nDefault "
                           "SIGTERM\n") != std::string::npos;
  r.checks.push_back({"basic-sig", "SIGTERM to itself, 3 ways", "ignored, caught, then dies (143)",
                      std::string(ordered ? "as the seed says" : "different output") + ", exit " +
                          std::to_string(b.exit_code),
                      ordered && b.exit_code == 128 + SIGTERM});
  const std::string reg = config.runtime->host_program("reg-sigkill");
  r.commands.push_back(reg);
  const CommandResult k = run_command({reg}, 10s);
  r.tables.push_back("  reg-sigkill output:\n" + indent(k.output, "    "));
  const bool refused = k.output.find("Invalid argument") != std::string::npos;
  r.checks.push_back({"reg-sigkill", "signal(SIGKILL, handler)", "refused (EINVAL)",
                      refused ? "refused (EINVAL)" : "accepted", refused && k.exit_code == 0});
  r.explanations.push_back(
      "A process chooses per signal: ignore (SIG_IGN), catch (a handler) or the default "
      "(SIG_DFL); SIGKILL and SIGSTOP allow only the default, so sigaction refuses them.");
  return r;
}

std::string LabConfig::program(const std::string& name) const {
  return runtime->program(name);
}

const std::vector<Scenario>& scenarios() {
  static const std::vector<Scenario> all = {
      {"kill-pid1", "kill 1 and kill -9 1 against each init", run_kill_pid1},
      {"zombies", "zombies, and orphans under a naive init and under pidone", run_zombies},
      {"pids-limit", "zombies exhaust a pids cgroup", run_pids_limit},
      {"stop", "SIGTERM to PID 1: who else gets it", run_stop},
      {"basic-signals", "ignore, catch, default; SIGKILL", run_basic_signals},
  };
  return all;
}

}  // namespace pidone::lab

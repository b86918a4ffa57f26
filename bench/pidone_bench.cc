// pidone-bench: pidone beside the Debian packages tini, tini-static, dumb-init and catatonit,
// each as PID 1 of a fresh PID namespace, measured in the same run and printed as a table with
// ratios to pidone. Run through bench/run.sh (make bench), which installs the packages.
//
//   pidone-bench PIDONE TESTKID [--quick] [--also NAME=PATH]...
//
// --also adds an init right after pidone (bench/run.sh: pidone-glibc, the same init on static
// glibc).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "nsrun/launch.h"
#include "proc/process_table.h"

namespace pidone::bench {
namespace {

using namespace pidone::nsrun;

struct Init {
  std::string name;
  std::string path;
};

struct Settings {
  std::string testkid;
  int startups = 400;
  int signals = 500;
  int stops = 100;
  int orphans = 10000;
  int reap_rounds = 3;
  std::chrono::seconds idle_window{20};
};

using Micros = double;

Micros since(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) {
    return NAN;
  }
  std::sort(values.begin(), values.end());
  const auto index =
      static_cast<std::size_t>(std::lround(p * static_cast<double>(values.size() - 1)));
  return values[index];
}

// Every init, and the bare run, gets the environment `docker run` gives a container of a
// Debian image, not the caller's: the kernel copies the environment onto the top of PID 1's
// stack, so a large one (a CI runner's) would add dirty stack pages to every init alike and
// make the memory figures depend on where the bench ran.
const std::vector<std::string> kContainerEnvironment = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=3f6c2a9b1d4e",
    "HOME=/root"};

LaunchSpec under(const Init& init, std::vector<std::string> command) {
  LaunchSpec spec;
  spec.pid_namespace = true;
  spec.clean_env = true;
  spec.extra_env = kContainerEnvironment;
  if (!init.path.empty()) {
    spec.argv = {init.path, "--"};
  }
  spec.argv.insert(spec.argv.end(), command.begin(), command.end());
  return spec;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

long field_kb(const std::string& text, const std::string& key) {
  const auto pos = text.find(key);
  return pos == std::string::npos ? -1 : std::stol(text.substr(pos + key.size()));
}

long context_switches(pid_t pid) {
  const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  return field_kb(status, "voluntary_ctxt_switches:") +
         field_kb(status, "nonvoluntary_ctxt_switches:");
}

pid_t first_child(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  pid_t child = 0;
  in >> child;
  return child;
}

std::size_t child_count(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::size_t n = 0;
  pid_t child = 0;
  while (in >> child) {
    ++n;
  }
  return n;
}

// One row of results for one init.
struct Row {
  double size_kb = NAN;
  double rss_kb = NAN;
  double pss_kb = NAN;
  double private_dirty_kb = NAN;
  double wakeups_per_minute = NAN;
  double startup_overhead_us = NAN;
  double startup_ratio = NAN;
  double forward_p50_us = NAN;
  double forward_p99_us = NAN;
  double reap_ms = NAN;
  double reap_cpu_ms = NAN;
  double stop_p50_us = NAN;
};

// One start-up: clone(CLONE_NEWPID) + exec INIT -- /bin/true (or /bin/true alone) until it
// has been reaped. NAN when it failed.
double startup_once(const Init& init) {
  const auto start = Clock::now();
  auto launched = Launched::start(under(init, {"/bin/true"}));
  if (!launched || launched->wait_exit(10s) != 0) {
    return NAN;
  }
  return since(start);
}

// Start-up, round by round: each round runs /bin/true alone once and under every init once,
// in an order that rotates, so drift of the machine (another job on the two cores, frequency)
// reaches all of them alike. Per init: the median, the median minus the bare run's, and the
// ratio of the two medians.
void measure_startup(const std::vector<Init>& inits, const Settings& s,
                     std::map<std::string, Row>& rows, double& bare_median) {
  std::vector<Init> subjects = {Init{"(none)", ""}};
  subjects.insert(subjects.end(), inits.begin(), inits.end());
  std::vector<std::vector<double>> times(subjects.size());
  for (const auto& subject : subjects) {
    (void)startup_once(subject);  // warm the page cache
  }
  for (int round = 0; round < s.startups; ++round) {
    for (std::size_t k = 0; k < subjects.size(); ++k) {
      const std::size_t i = (k + static_cast<std::size_t>(round)) % subjects.size();
      const double t = startup_once(subjects[i]);
      if (!std::isnan(t)) {
        times[i].push_back(t);
      }
    }
  }
  bare_median = percentile(times[0], 0.5);
  for (std::size_t i = 1; i < subjects.size(); ++i) {
    if (times[i].size() < static_cast<std::size_t>(s.startups) / 2) {
      continue;  // failed too often to be a measurement
    }
    const double median = percentile(times[i], 0.5);
    rows[subjects[i].name].startup_overhead_us = median - bare_median;
    rows[subjects[i].name].startup_ratio = median / bare_median;
  }
}

// All inits run at once; each round sends one signal through every init in turn, then one
// straight to a child, so no init is measured under different conditions (warm-up, frequency).
void measure_forwarding(const std::vector<Init>& inits, const Settings& s,
                        std::map<std::string, Row>& rows, std::vector<double>& direct) {
  struct Subject {
    const Init* init;
    Launched launched;
    pid_t child;
    std::vector<double> times;
  };
  std::vector<Subject> subjects;
  for (const auto& init : inits) {
    auto launched = Launched::start(under(init, {s.testkid, "signals"}));
    if (launched && launched->out().wait_for("ready")) {
      const pid_t child = first_child(launched->pid());
      subjects.push_back(Subject{&init, std::move(*launched), child, {}});
    }
  }
  auto once = [](Launched& launched, pid_t target) -> std::optional<double> {
    const auto start = Clock::now();
    ::kill(target, SIGUSR1);
    if (!launched.out().wait_for("signal 10 ", 5s)) {
      return std::nullopt;
    }
    return since(start);
  };
  for (int i = 0; i < s.signals; ++i) {
    for (auto& subject : subjects) {
      if (auto t = once(subject.launched, subject.launched.pid())) {
        subject.times.push_back(*t);
      }
    }
    if (!subjects.empty()) {
      auto& first = subjects[static_cast<std::size_t>(i) % subjects.size()];
      if (auto t = once(first.launched, first.child)) {
        direct.push_back(*t);
      }
    }
  }
  for (auto& subject : subjects) {
    rows[subject.init->name].forward_p50_us = percentile(subject.times, 0.5);
    rows[subject.init->name].forward_p99_us = percentile(subject.times, 0.99);
    subject.launched.send(SIGTERM);
    (void)subject.launched.wait_exit(10s);
  }
}

// CPU time in ms from /proc/PID/schedstat (nanoseconds; clock ticks are too coarse here).
double cpu_ms(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
  double ns = NAN;
  in >> ns;
  return ns / 1e6;
}

// testkid holds N processes below a middle process that waits; the bench SIGKILLs the middle,
// and all N are orphaned to PID 1 at once and exit. Measured: time until PID 1 has no child
// but the main one, and the CPU time PID 1 spent meanwhile.
struct ReapSample {
  double wall_ms = NAN;
  double cpu_ms = NAN;
};

ReapSample reap_once(const Init& init, const Settings& s) {
  ReapSample sample;
  auto launched =
      Launched::start(under(init, {s.testkid, "orphans", std::to_string(s.orphans), "hold"}));
  if (!launched) {
    return sample;
  }
  auto line = launched->out().wait_for("holding ", 120s);
  if (!line) {
    return sample;
  }
  const pid_t main_child = first_child(launched->pid());
  const pid_t middle = first_child(main_child);
  const double cpu_before = cpu_ms(launched->pid());
  const auto start = Clock::now();
  ::kill(middle, SIGKILL);
  const auto deadline = start + 60s;
  // The orphans are reparented when the middle process has run its exit: wait for that first.
  while (Clock::now() < deadline) {
    auto stat = proc::read_stat(middle);
    if (!stat || stat->state == 'Z' || stat->state == 'X') {
      break;
    }
    std::this_thread::sleep_for(100us);
  }
  while (child_count(launched->pid()) > 1 && Clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  if (Clock::now() < deadline) {
    sample.wall_ms = since(start) / 1000.0;
    sample.cpu_ms = cpu_ms(launched->pid()) - cpu_before;
  }
  launched->send(SIGTERM);
  (void)launched->wait_exit(30s);
  return sample;
}

// Rounds interleaved across the inits, medians reported: one sample each is mostly noise.
void measure_reaping(const std::vector<Init>& inits, const Settings& s,
                     std::map<std::string, Row>& rows) {
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> samples;
  for (int round = 0; round < s.reap_rounds; ++round) {
    for (const auto& init : inits) {
      const ReapSample sample = reap_once(init, s);
      if (!std::isnan(sample.wall_ms)) {
        samples[init.name].first.push_back(sample.wall_ms);
        samples[init.name].second.push_back(sample.cpu_ms);
      }
    }
  }
  for (auto& [name, values] : samples) {
    rows[name].reap_ms = percentile(values.first, 0.5);
    rows[name].reap_cpu_ms = percentile(values.second, 0.5);
  }
}

void measure_stop(const Init& init, const Settings& s, Row& row) {
  std::vector<double> times;
  for (int i = 0; i < s.stops; ++i) {
    auto launched = Launched::start(under(init, {s.testkid, "signals"}));
    if (!launched || !launched->out().wait_for("ready")) {
      return;
    }
    const auto start = Clock::now();
    launched->send(SIGTERM);
    if (launched->wait_exit(10s) != 0) {
      return;
    }
    times.push_back(since(start));
  }
  row.stop_p50_us = percentile(times, 0.5);
}

std::string cell(double value, double reference, int decimals) {
  if (std::isnan(value)) {
    return "n/a";
  }
  char text[64];
  if (std::isnan(reference) || reference == 0) {
    std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  } else {
    std::snprintf(text, sizeof(text), "%.*f (%.2fx)", decimals, value, value / reference);
  }
  return text;
}

int run(const std::vector<Init>& inits, const Settings& s) {
  std::map<std::string, Row> rows;
  for (const auto& init : inits) {
    struct stat st {};
    if (::stat(init.path.c_str(), &st) == 0) {
      rows[init.name].size_kb = static_cast<double>(st.st_size) / 1024.0;
    }
  }

  // Idle: all inits at once, in the same window, each with a child that waits.
  std::fprintf(stderr, "idle window: %lld s\n", static_cast<long long>(s.idle_window.count()));
  {
    std::vector<std::pair<std::string, Launched>> idle;
    for (const auto& init : inits) {
      auto launched = Launched::start(under(init, {s.testkid, "signals"}));
      if (launched && launched->out().wait_for("ready")) {
        idle.emplace_back(init.name, std::move(*launched));
      }
    }
    std::vector<long> before;
    for (auto& [name, launched] : idle) {
      before.push_back(context_switches(launched.pid()));
    }
    std::this_thread::sleep_for(s.idle_window);  // the measurement itself
    for (std::size_t i = 0; i < idle.size(); ++i) {
      auto& [name, launched] = idle[i];
      const long after = context_switches(launched.pid());
      rows[name].wakeups_per_minute = static_cast<double>(after - before[i]) * 60.0 /
                                      static_cast<double>(s.idle_window.count());
      const std::string rollup =
          read_file("/proc/" + std::to_string(launched.pid()) + "/smaps_rollup");
      rows[name].rss_kb = static_cast<double>(field_kb(rollup, "Rss:"));
      rows[name].pss_kb = static_cast<double>(field_kb(rollup, "Pss:"));
      rows[name].private_dirty_kb = static_cast<double>(field_kb(rollup, "Private_Dirty:"));
      launched.send(SIGTERM);
      (void)launched.wait_exit(10s);
    }
  }

  std::fprintf(stderr, "startup: %d interleaved rounds\n", s.startups);
  double bare = NAN;
  measure_startup(inits, s, rows, bare);

  std::fprintf(stderr, "forwarding: %d signals each\n", s.signals);
  std::vector<double> direct;
  measure_forwarding(inits, s, rows, direct);

  std::fprintf(stderr, "reaping: %d orphans, %d rounds\n", s.orphans, s.reap_rounds);
  measure_reaping(inits, s, rows);

  std::fprintf(stderr, "stop: %d runs each\n", s.stops);
  for (const auto& init : inits) {
    measure_stop(init, s, rows[init.name]);
  }

  const Row& ref = rows[inits.front().name];
  std::printf(
      "Ratios are to pidone, from the same run. Direct signal to the child (no init): "
      "p50 %.0f us, p99 %.0f us. /bin/true alone (no init): median %.0f us.\n\n",
      percentile(direct, 0.5), percentile(direct, 0.99), bare);
  std::printf("| metric |");
  for (const auto& init : inits) {
    std::printf(" %s |", init.name.c_str());
  }
  std::printf("\n|---|");
  for (std::size_t i = 0; i < inits.size(); ++i) {
    std::printf("---|");
  }
  std::printf("\n");
  const std::vector<std::tuple<const char*, double Row::*, int>> metrics = {
      {"binary size (KiB)", &Row::size_kb, 0},
      {"idle RSS (KiB)", &Row::rss_kb, 0},
      {"idle PSS (KiB)", &Row::pss_kb, 0},
      {"idle private dirty (KiB)", &Row::private_dirty_kb, 0},
      {"context switches per idle minute", &Row::wakeups_per_minute, 1},
      {"startup overhead vs /bin/true, median (us)", &Row::startup_overhead_us, 0},
      {"startup: INIT -- /bin/true over /bin/true alone, medians (x)", &Row::startup_ratio, 2},
      {"signal forwarding latency p50 (us)", &Row::forward_p50_us, 0},
      {"signal forwarding latency p99 (us)", &Row::forward_p99_us, 0},
      {"10,000 orphans released at once: until all reaped, median (ms)", &Row::reap_ms, 0},
      {"10,000 orphans: CPU time of PID 1 meanwhile, median (ms)", &Row::reap_cpu_ms, 0},
      {"SIGTERM to clean exit, median (us)", &Row::stop_p50_us, 0},
  };
  for (const auto& [label, member, decimals] : metrics) {
    std::printf("| %s |", label);
    for (const auto& init : inits) {
      const double value = rows[init.name].*member;
      std::printf(
          " %s |",
          cell(value, init.name == inits.front().name ? NAN : ref.*member, decimals).c_str());
    }
    std::printf("\n");
  }
  return 0;
}

}  // namespace
}  // namespace pidone::bench

int main(int argc, char** argv) {
  using namespace pidone::bench;
  using namespace pidone::nsrun;
  if (argc < 3) {
    std::fprintf(stderr, "usage: pidone-bench PIDONE TESTKID [--quick] [--also NAME=PATH]...\n");
    return 2;
  }
  if (auto reason = pid_namespace_unavailable()) {
    std::fprintf(stderr, "pidone-bench: %s\n", reason->c_str());
    return 1;
  }
  Settings settings;
  settings.testkid = argv[2];
  std::vector<Init> inits = {{"pidone", argv[1]}};
  bool quick = false;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      quick = true;
    } else if (arg == "--also" && i + 1 < argc) {
      const std::string also = argv[++i];
      const auto sep = also.find('=');
      if (sep == std::string::npos || sep == 0) {
        std::fprintf(stderr, "pidone-bench: --also NAME=PATH, not '%s'\n", also.c_str());
        return 2;
      }
      inits.push_back({also.substr(0, sep), also.substr(sep + 1)});
    } else {
      std::fprintf(stderr, "pidone-bench: unknown argument '%s'\n", arg.c_str());
      return 2;
    }
  }
  if (quick) {
    settings.startups = 20;
    settings.signals = 50;
    settings.stops = 10;
    settings.orphans = 2000;
    settings.reap_rounds = 1;
    settings.idle_window = std::chrono::seconds(3);
  }
  for (const auto& [name, path] :
       std::vector<std::pair<std::string, std::string>>{{"tini", "/usr/bin/tini"},
                                                        {"tini-static", "/usr/bin/tini-static"},
                                                        {"dumb-init", "/usr/bin/dumb-init"},
                                                        {"catatonit", "/usr/bin/catatonit"}}) {
    if (::access(path.c_str(), X_OK) == 0) {
      inits.push_back({name, path});
    } else {
      std::fprintf(stderr, "pidone-bench: %s not installed, left out\n", path.c_str());
    }
  }
  return run(inits, settings);
}

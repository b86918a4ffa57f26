// The example images (examples/Dockerfile, examples/seed/Containerfile) under podman, driven
// the way the seed drives its images: `run -d`, `exec ... ps`, `exec ... kill 1`, `stop`, and
// `run -it` with Ctrl-C typed on a terminal. tests/package/images.sh builds them before these
// tests (the CTest fixture Images.build) as localhost/pidone-test/NAME:v1 and removes them
// after. Every container is removed by the test that started it. The Kubernetes manifests
// (examples/kubernetes) are played with `podman kube play`.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>

#include "fixture.h"
#include "transcripts.h"

namespace pidone::testing {
namespace {

// PIDONE_TEST_IMAGE_PREFIX: run against images built under another prefix.
const std::string kPrefix = std::getenv("PIDONE_TEST_IMAGE_PREFIX") != nullptr
                                ? std::getenv("PIDONE_TEST_IMAGE_PREFIX")
                                : "localhost/pidone-test/";

std::vector<std::string> podman(std::vector<std::string> args) {
  // runc: crun fails on this kind of machine's cgroup layout.
  std::vector<std::string> command = {"/usr/bin/env", "podman", "--runtime", "runc"};
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

// Why the image tests cannot run here, if they cannot.
std::optional<std::string> image_unavailable(const std::string& image) {
  if (::geteuid() != 0) {
    return "podman (rootful) needs root";
  }
  if (::access("/usr/bin/podman", X_OK) != 0) {
    return "podman is not installed (apt-get install podman)";
  }
  if (run_tool(podman({"image", "exists", kPrefix + image})).code != 0) {
    return kPrefix + image +
           " is not built: run these tests through ctest (the fixture Images.build), or "
           "examples/build.sh --offline --prefix " +
           kPrefix;
  }
  return std::nullopt;
}

#define SKIP_WITHOUT_IMAGE(image)               \
  if (auto reason = image_unavailable(image)) { \
    GTEST_SKIP() << *reason;                    \
  }

std::string next_name() {
  static std::atomic<int> count{0};
  return "pidone-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count);
}

// `podman logs -f CONTAINER`, followed (stdout and stderr in one stream).
std::optional<Launched> follow_logs(const std::string& container) {
  LaunchSpec spec;
  spec.pid_namespace = false;
  spec.merge_stderr = true;
  spec.argv = podman({"logs", "-f", container});
  auto launched = Launched::start(spec);
  if (!launched) {
    return std::nullopt;
  }
  return std::move(*launched);
}

// One `podman run -d` container, removed (with anything still running in it) at the end.
class Container {
 public:
  // `options` go before the image (e.g. --init), `command` after it.
  explicit Container(const std::string& image, std::vector<std::string> command = {},
                     const std::vector<std::string>& options = {})
      : name_(next_name()) {
    std::vector<std::string> run = {
        "run",  "-d",       "--name",           name_,      "--network",
        "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"};
    run.insert(run.end(), options.begin(), options.end());
    run.push_back(kPrefix + image);
    run.insert(run.end(), command.begin(), command.end());
    const ToolRun started = run_tool(podman(run), false, {}, 60s);
    started_ = started.code == 0;
    EXPECT_TRUE(started_) << started.err;
    if (started_) {
      if (auto logs = follow_logs(name_)) {
        logs_.emplace(std::move(*logs));
      }
    }
  }
  ~Container() { (void)run_tool(podman({"rm", "-f", "-t", "0", name_}), false, {}, 60s); }
  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;

  [[nodiscard]] bool started() const { return started_ && logs_.has_value(); }
  [[nodiscard]] const std::string& name() const { return name_; }
  LineReader& logs() { return logs_->out(); }

  ToolRun exec(std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"exec", name_});
    return run_tool(podman(argv), false, {}, 60s);
  }

  // The exit status once the container has stopped, or nullopt after `timeout`.
  std::optional<int> exit_code(Clock::duration timeout) {
    const ToolRun waited = run_tool(podman({"wait", name_}), false, {}, timeout);
    if (waited.code != 0) {
      return std::nullopt;
    }
    return std::atoi(waited.out.c_str());
  }

  [[nodiscard]] bool running() const {
    const ToolRun state =
        run_tool(podman({"inspect", "--format", "{{.State.Running}}", name_}), false, {}, 30s);
    return state.out.starts_with("true");
  }

 private:
  std::string name_;
  bool started_ = false;
  std::optional<Launched> logs_;
};

// `ps -o pid,ppid,stat,comm` inside: PID 1's command, the zombies, the live processes.
struct PsView {
  std::string pid1;
  int zombies = 0;
  std::map<std::string, std::string> pid_of;  // command -> PID of a live (not zombie) one
  std::map<std::string, int> live;            // command -> how many live ones
  std::string text;

  [[nodiscard]] int live_count(const std::string& comm) const {
    const auto it = live.find(comm);
    return it == live.end() ? 0 : it->second;
  }
};

const std::vector<std::string> kPsArgs = {"ps", "-o", "pid,ppid,stat,comm"};

PsView parse_ps(const ToolRun& ps) {
  PsView view;
  view.text = ps.out + ps.err;
  std::istringstream lines(ps.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string pid, ppid, stat, comm;
    fields >> pid >> ppid >> stat >> comm;
    if (pid == "1") {
      view.pid1 = comm;
    }
    if (stat.starts_with("Z")) {
      ++view.zombies;
    } else if (pid != "PID") {
      view.pid_of[comm] = pid;
      ++view.live[comm];
    }
  }
  return view;
}

PsView ps_in(Container& c) {
  return parse_ps(c.exec(kPsArgs));
}

// `podman exec C kill PID` (SIGTERM). The `kill` process is inside the namespace it may be
// ending, and can be hit before its own exit is reported: by the drain's SIGTERM (143), or by
// the kernel's SIGKILL of the namespace when pidone exits (137). All three mean it was sent;
// what the signal did is checked on the container.
void exec_kill(Container& c, const std::string& pid) {
  const ToolRun kill = c.exec({"kill", pid});
  EXPECT_TRUE(kill.code == 0 || kill.code == 143 || kill.code == 137) << kill.code << kill.err;
}

// ---- examples/Dockerfile: pidone in front of a service with two workers ------------------

TEST(ExampleImage, ExecKill1StopsItAndEveryWorkerGetsSigterm) {
  SKIP_WITHOUT_IMAGE("pidone-example:v1");
  Container c("pidone-example:v1");
  ASSERT_TRUE(c.started());
  ASSERT_TRUE(saw_all(c.logs(), {"worker 1: running", "worker 2: running"})) << c.logs().seen();

  PsView ps = ps_in(c);
  EXPECT_EQ(ps.pid1, "pidone") << ps.text;
  EXPECT_EQ(ps.zombies, 0) << ps.text;

  // The seed's first experiment: SIGKILL from inside is dropped even for pidone (the kernel
  // never lets a namespace kill its own init that way) ...
  EXPECT_EQ(c.exec({"kill", "-9", "1"}).code, 0);
  EXPECT_EQ(ps_in(c).pid1, "pidone");
  EXPECT_TRUE(c.running());
  // ... but SIGTERM reaches pidone, which forwards it and drains.
  exec_kill(c, "1");
  EXPECT_EQ(c.exit_code(60s), 143);  // the service died of SIGTERM: 128+15
  EXPECT_TRUE(saw_all(c.logs(), {"worker 1: got SIGTERM", "worker 2: got SIGTERM"}))
      << c.logs().seen();
}

TEST(ExampleImage, StopGivesEveryWorkerSigtermWithoutWaitingOutTheTimeout) {
  SKIP_WITHOUT_IMAGE("pidone-example:v1");
  Container c("pidone-example:v1");
  ASSERT_TRUE(c.started());
  ASSERT_TRUE(saw_all(c.logs(), {"worker 1: running", "worker 2: running"})) << c.logs().seen();
  // A 120 s stop timeout and a 60 s deadline: if SIGTERM did not end the container, podman
  // would wait out the timeout and SIGKILL, and this fails.
  const ToolRun stop = run_tool(podman({"stop", "-t", "120", c.name()}), false, {}, 60s);
  EXPECT_EQ(stop.code, 0) << stop.err;
  EXPECT_EQ(c.exit_code(30s), 143);
  EXPECT_TRUE(saw_all(c.logs(), {"worker 1: got SIGTERM", "worker 2: got SIGTERM"}))
      << c.logs().seen();
}

TEST(ExampleImage, RunInteractiveCtrlCEndsItThroughTheTerminal) {
  SKIP_WITHOUT_IMAGE("pidone-example:v1");
  const std::string name = next_name();
  LaunchSpec spec;
  spec.pid_namespace = false;
  spec.pty = true;
  spec.argv =
      podman({"run", "-it", "--rm", "--name", name, "--network", "none", "--ulimit",
              "nofile=1024:1024", "--ulimit", "nproc=4096:4096", kPrefix + "pidone-example:v1"});
  PIDONE_LAUNCH_OR_SKIP(run, spec);
  ASSERT_TRUE(saw_all(run.out(), {"worker 1: running", "worker 2: running"})) << run.out().seen();
  // Ctrl-C on the terminal: the service (in the terminal's foreground group) dies of SIGINT;
  // its background workers ignore SIGINT, as POSIX shells start them, and get pidone's SIGTERM.
  ASSERT_EQ(::write(run.pty_master(), "\x03", 1), 1);
  EXPECT_TRUE(saw_all(run.out(), {"worker 1: got SIGTERM", "worker 2: got SIGTERM"}))
      << run.out().seen();
  EXPECT_EQ(run.wait_exit(60s), 130) << run.out().seen();  // 128+SIGINT
  (void)run_tool(podman({"rm", "-f", "-t", "0", name}), false, {}, 60s);
}

// ---- examples/services: nginx and its access log, two services under one pidone -----------

// The image of examples/services/Containerfile, run as published (no command): nginx serves,
// the access-log service ships each request to the container log, pidone-inspect lists both,
// nginx stopped from inside is started again (its finish says how it ended), and `podman stop`
// ends the container at once with 0, both services stopped.
TEST(ExampleImage, ServicesNginxAndItsAccessLogServeRestartAndStopWithZero) {
  SKIP_WITHOUT_IMAGE("pidone-services:v1");
  Container c("pidone-services:v1");
  ASSERT_TRUE(c.started());
  // nginx has no readiness to wait for: ask until it answers.
  ToolRun page;
  ASSERT_TRUE(eventually(
      [&] {
        page = c.exec({"wget", "-qO-", "http://127.0.0.1/"});
        return page.code == 0;
      },
      30s))
      << page.out << page.err << c.logs().seen();
  EXPECT_NE(page.out.find("supervised by pidone"), std::string::npos) << page.out;
  EXPECT_TRUE(c.logs().wait_for("\"GET / HTTP/1.1\" 200", 30s)) << c.logs().seen();

  const ToolRun inspected = c.exec({"/pidone-inspect"});
  const auto rows = service_rows(inspected.out);
  ASSERT_EQ(rows.size(), 2U) << inspected.out << inspected.err;
  EXPECT_TRUE(rows[0].starts_with("access-log ") && rows[0].ends_with(" up yes 0")) << rows[0];
  EXPECT_TRUE(rows[1].starts_with("nginx ") && rows[1].ends_with(" up no 0")) << rows[1];

  // nginx's master, stopped from inside: its finish runs, and pidone starts it again.
  const ToolRun status = c.exec({"cat", "/run/pidone/1/services/nginx"});
  ASSERT_TRUE(status.out.starts_with("pid=")) << status.out << status.err;
  const std::string master = status.out.substr(4, status.out.find(' ') - 4);
  exec_kill(c, master);
  EXPECT_TRUE(c.logs().wait_for("nginx: nginx exited (0 0)", 30s)) << c.logs().seen();
  ToolRun again;
  EXPECT_TRUE(eventually(
      [&] {
        again = c.exec({"cat", "/run/pidone/1/services/nginx"});
        return again.out.find(" state=up ready=0 starts=2") != std::string::npos;
      },
      30s))
      << again.out;
  EXPECT_TRUE(eventually(
      [&] {
        return c.exec({"wget", "-qO-", "http://127.0.0.1/"}).code == 0;
      },
      30s));

  // A 120 s stop timeout and a 60 s deadline: a stop that needed podman's SIGKILL fails here.
  const auto stop_started = Clock::now();
  const ToolRun stop = run_tool(podman({"stop", "-t", "120", c.name()}), false, {}, 60s);
  EXPECT_EQ(stop.code, 0) << stop.err;
  EXPECT_LT(Clock::now() - stop_started, 30s);
  EXPECT_EQ(c.exit_code(30s), 0);  // no command: a clean stop is 0
  c.logs().read_rest(10s);
  EXPECT_EQ(count_of(c.logs().seen(), "nginx: nginx exited (0 0)"), 2) << c.logs().seen();
}

// ---- examples/seed/Containerfile: the seed's images with pidone as the entrypoint -----------

// The seed's `docker run -d registry/sig-proc:v1 PROGRAM`, `exec ps`, `exec kill -9 1`,
// `exec kill 1`: none of the three inits could be stopped as PID 1; under pidone each is.
TEST(SeedImages, SigProcEveryInitStopsOnKill1) {
  SKIP_WITHOUT_IMAGE("sig-proc:v1");
  for (const auto& [program, comm] : std::vector<std::pair<std::string, std::string>>{
           {"/init.sh", "init.sh"}, {"/c-init-nosig", "c-init-nosig"}, {"/go-init", "go-init"}}) {
    SCOPED_TRACE(program);
    Container c("sig-proc:v1", {program});
    ASSERT_TRUE(c.started());
    PsView ps;
    ASSERT_TRUE(eventually(
        [&] {
          ps = ps_in(c);
          return ps.text.find(comm) != std::string::npos;
        },
        30s))
        << ps.text;
    EXPECT_EQ(ps.pid1, "pidone") << ps.text;
    EXPECT_EQ(c.exec({"kill", "-9", "1"}).code, 0);
    EXPECT_TRUE(c.running());
    exec_kill(c, "1");
    const auto code = c.exit_code(60s);
    ASSERT_TRUE(code.has_value()) << program << " did not stop on kill 1";
    EXPECT_NE(*code, 137) << "SIGKILLed rather than stopped";
  }
}

// The seed's third experiment: `docker stop fwd_sig`. As PID 1 the C init's child was
// SIGKILLed by the kernel without running its handler; under pidone both handlers run.
TEST(SeedImages, FwdSigStopReachesTheInitAndItsChild) {
  SKIP_WITHOUT_IMAGE("fwd_sig:v1");
  Container c("fwd_sig:v1", {"/c-init-sig"});
  ASSERT_TRUE(c.started());
  const auto line = c.logs().wait_for("Child => PPID: ", 30s);  // "Child => PPID: 6 PID: 7"
  ASSERT_TRUE(line) << c.logs().seen();
  std::istringstream words(line->substr(line->find("PPID:")));
  std::string ppid_word, init_pid, pid_word, child_pid;
  words >> ppid_word >> init_pid >> pid_word >> child_pid;
  const ToolRun stop = run_tool(podman({"stop", "-t", "120", c.name()}), false, {}, 60s);
  EXPECT_EQ(stop.code, 0) << stop.err;
  EXPECT_EQ(c.exit_code(30s), 0);  // the init's handler exits 0
  EXPECT_TRUE(saw_all(c.logs(), {"received SIGTERM (pid " + init_pid + ")",
                                 "received SIGTERM (pid " + child_pid + ")"}))
      << c.logs().seen();
}

// The seed's second experiment: `docker run -d registry/zombie-proc:v1`. The zombie maker is
// pidone's child now, not PID 1, and its children are its own zombies until it dies: pidone-inspect
// in the image says so, and when the maker dies pidone reaps them all and exits.
TEST(SeedImages, ZombieProcInspectNamesTheParentThatMustReap) {
  SKIP_WITHOUT_IMAGE("zombie-proc:v1");
  Container c("zombie-proc:v1", {"/app-test", "20", "--sleep", "1"});
  ASSERT_TRUE(c.started());
  PsView ps;
  ASSERT_TRUE(eventually(
      [&] {
        ps = ps_in(c);
        return ps.zombies >= 20;
      },
      60s))
      << ps.text;
  EXPECT_EQ(ps.pid1, "pidone");
  const ToolRun inspect = c.exec({"/pidone-inspect"});
  EXPECT_EQ(inspect.code, 1) << inspect.out << inspect.err;  // 1: warnings
  EXPECT_NE(inspect.out.find("app-test"), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find("20"), std::string::npos) << inspect.out;
  ASSERT_TRUE(ps.pid_of.contains("app-test")) << ps.text;
  exec_kill(c, ps.pid_of["app-test"]);
  EXPECT_EQ(c.exit_code(60s), 143);  // app-test died of SIGTERM; the zombies did not hold it
}

// ---- examples/kubernetes: the manifests under `podman kube play` ------------------------------

// A manifest played with podman's reading of the Pod spec, its images renamed to the test's;
// `podman kube down` at the end. podman's own pause container (catatonit) stands in for
// Kubernetes' pause.
class PlayedPod {
 public:
  explicit PlayedPod(const std::string& manifest) : dir_("/tmp/pidone-kube-" + next_name()) {
    std::filesystem::create_directories(dir_);
    {
      // Ulimits no higher than the host's, and runc: what `run` gets on the command line.
      std::ofstream conf(dir_ + "/containers.conf");
      conf << "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n"
              "[engine]\nruntime = \"runc\"\n";
    }
    std::ifstream in(std::string(PIDONE_TEST_SOURCE_DIR) + "/examples/kubernetes/" + manifest);
    std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t at = 0; (at = yaml.find("registry/", at)) != std::string::npos;) {
      yaml.replace(at, 9, kPrefix);
      at += kPrefix.size();
    }
    std::ofstream(dir_ + "/pod.yaml") << yaml;
    // --replace: a Pod of the same name left by an interrupted run is replaced, not an error.
    const ToolRun played = kube({"play", "--replace", dir_ + "/pod.yaml"});
    played_ = played.code == 0;
    EXPECT_TRUE(played_) << played.out << played.err;
  }
  ~PlayedPod() {
    (void)kube({"down", dir_ + "/pod.yaml"});
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PlayedPod(const PlayedPod&) = delete;
  PlayedPod& operator=(const PlayedPod&) = delete;

  [[nodiscard]] bool played() const { return played_; }
  ToolRun podman_run(std::vector<std::string> args, Clock::duration timeout = 60s) const {
    return run_tool(podman(std::move(args)), false,
                    {"CONTAINERS_CONF=" + dir_ + "/containers.conf"}, timeout);
  }

 private:
  ToolRun kube(std::vector<std::string> args) const {
    args.insert(args.begin(), "kube");
    return podman_run(std::move(args), 120s);
  }
  std::string dir_;
  bool played_ = false;
};

// `podman stop` of the example service in a Pod (a 120 s timeout that a lost SIGTERM would
// wait out): exit status 143, and both workers logged their SIGTERM.
void stop_and_expect_workers_drained(const PlayedPod& pod, const std::string& container,
                                     LineReader& logs) {
  const ToolRun stop = pod.podman_run({"stop", "-t", "120", container});
  EXPECT_EQ(stop.code, 0) << stop.err;
  const ToolRun code = pod.podman_run({"inspect", "--format", "{{.State.ExitCode}}", container});
  EXPECT_EQ(std::atoi(code.out.c_str()), 143) << code.out;
  EXPECT_TRUE(saw_all(logs, {"worker 1: got SIGTERM", "worker 2: got SIGTERM"})) << logs.seen();
}

TEST(KubernetesManifests, PodStopsWithinItsBudget) {
  SKIP_WITHOUT_IMAGE("pidone-example:v1");
  PlayedPod pod("pod.yaml");
  ASSERT_TRUE(pod.played());
  auto logs = follow_logs("pidone-example-service");
  ASSERT_TRUE(logs);
  ASSERT_TRUE(saw_all(logs->out(), {"worker 1: running", "worker 2: running"}))
      << logs->out().seen();
  // The manifest's settings reach pidone (PID 1 of the container).
  const ToolRun environ =
      pod.podman_run({"exec", "pidone-example-service", "cat", "/proc/1/environ"});
  EXPECT_NE(environ.out.find("PIDONE_STOP_TIMEOUT=20s"), std::string::npos) << environ.out;
  EXPECT_NE(environ.out.find("PIDONE_GRACE=5s"), std::string::npos) << environ.out;
  stop_and_expect_workers_drained(pod, "pidone-example-service", logs->out());
}

// shareProcessNamespace: pause is PID 1, pidone a subreaper that drains only its own.
TEST(KubernetesManifests, SharedPidPodPidoneIsASubreaperAndDrainsOnlyItsOwn) {
  SKIP_WITHOUT_IMAGE("pidone-example:v1");
  PlayedPod pod("shared-pid-pod.yaml");
  ASSERT_TRUE(pod.played());
  auto logs = follow_logs("pidone-shared-service");
  ASSERT_TRUE(logs);
  ASSERT_TRUE(saw_all(
      logs->out(), {"registered as a child subreaper", "worker 1: running", "worker 2: running"}))
      << logs->out().seen();
  // The Pod's processes, seen from its debug container: PID 1 is the pause process; the
  // service (pidone, three sh, two sleep) and the debug container (pidone, sleep) beside it.
  const auto pod_ps = [&] {
    std::vector<std::string> exec = {"exec", "pidone-shared-debug"};
    exec.insert(exec.end(), kPsArgs.begin(), kPsArgs.end());
    return parse_ps(pod.podman_run(exec));
  };
  const PsView before = pod_ps();
  EXPECT_FALSE(before.pid1.empty()) << before.text;
  EXPECT_NE(before.pid1, "pidone") << before.text;
  EXPECT_EQ(before.live_count("pidone"), 2) << before.text;
  EXPECT_EQ(before.live_count("sh"), 3) << before.text;

  // Kubernetes stops the app containers before the sandbox: stop the service alone.
  stop_and_expect_workers_drained(pod, "pidone-shared-service", logs->out());
  // The debug container's processes, in the same PID namespace, were not part of the drain.
  const PsView after = pod_ps();
  EXPECT_EQ(after.live_count("sh"), 0) << after.text;  // the service and its workers: gone
  EXPECT_EQ(after.live_count("pidone"), 1) << after.text;
  EXPECT_EQ(after.live_count("sleep"), 1) << after.text;
}

// ---- podman --init: pidone in front of an image that does not have it ---------------------

// podman mounts --init-path at /run/podman-init and runs `/run/podman-init -- COMMAND`: pidone
// answers to that name as itself. The image's own entrypoint is bypassed.
TEST(PodmanInit, InitPathPutsPidoneInFrontOfAnyImage) {
  SKIP_WITHOUT_IMAGE("pidone-example:v1");
  if (run_tool({"/usr/bin/readelf", "-l", pidone_path()}).out.find("interpreter") !=
      std::string::npos) {
    GTEST_SKIP() << "pidone is linked dynamically: an image FROM scratch cannot run it";
  }
  Container c("pidone-example:v1", {},
              {"--init", "--init-path", pidone_path(), "--entrypoint",
               R"(["/bin/sh", "/app/service.sh"])"});
  ASSERT_TRUE(c.started());
  ASSERT_TRUE(saw_all(c.logs(), {"worker 1: running", "worker 2: running"})) << c.logs().seen();
  const ToolRun ps = c.exec({"ps", "-o", "pid,args"});
  EXPECT_NE(ps.out.find("    1 /run/podman-init -- /bin/sh /app/service.sh"), std::string::npos)
      << ps.out;
  exec_kill(c, "1");
  EXPECT_EQ(c.exit_code(60s), 143);
  EXPECT_TRUE(saw_all(c.logs(), {"worker 1: got SIGTERM", "worker 2: got SIGTERM"}))
      << c.logs().seen();
}

}  // namespace
}  // namespace pidone::testing

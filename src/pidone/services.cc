#include "pidone/services.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include "sys/spawn.h"

namespace pidone {
namespace {

const char* state_name(Service::State state) {
  switch (state) {
    case Service::State::kDown:
      return "down";
    case Service::State::kUp:
      return "up";
    case Service::State::kFinishing:
      return "finishing";
    case Service::State::kWaiting:
      return "restarting";
    case Service::State::kFailed:
      return "failed";
    case Service::State::kStopped:
      return "stopped";
  }
  return "?";
}

// /run/pidone/<pid>/services, made if it can be: a read-only /run only costs the status files.
std::string make_status_dir() {
  std::string dir = "/run/pidone";
  for (const std::string& part :
       {std::string(), "/" + std::to_string(::getpid()), std::string("/services")}) {
    dir += part;
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return {};
    }
  }
  return dir;
}

}  // namespace

Services::Services(std::vector<ServiceSpec> specs, sys::InheritedSignals child_signals,
                   Voice& voice)
    : child_signals_(child_signals), voice_(voice) {
  entries_.reserve(specs.size());
  for (auto& spec : specs) {
    const bool has_finish = spec.has_finish;
    const sys::Millis timeout = spec.timeout_finish_ms;
    entries_.push_back(Entry{std::move(spec), Service(has_finish, timeout), 0, 0, sys::UniqueFd(),
                             false, false, std::string()});
  }
  if (!entries_.empty()) {
    status_dir_ = make_status_dir();
  }
}

void Services::start(sys::Millis now) {
  for (auto& entry : entries_) {
    for (const auto& file : entry.spec.ignored) {
      voice_.service_note(entry.spec.name, ("not read: " + file).c_str());
    }
    if (entry.spec.down) {
      publish(entry);
      continue;
    }
    entry.service.start(now);
  }
  settle(now);
}

bool Services::all_ready() const {
  return first_unready().empty();
}

std::string Services::first_unready() const {
  for (const auto& entry : entries_) {
    if (entry.spec.notification_fd >= 0 && !entry.spec.down && !entry.ever_ready) {
      return entry.spec.name;
    }
  }
  return {};
}

void Services::watch(std::vector<pollfd>& fds) const {
  for (const auto& entry : entries_) {
    if (entry.ready_pipe.valid()) {
      fds.push_back(pollfd{entry.ready_pipe.get(), POLLIN, 0});
    }
  }
}

void Services::readable(const pollfd& fd) {
  for (auto& entry : entries_) {
    if (!entry.ready_pipe.valid() || entry.ready_pipe.get() != fd.fd) {
      continue;
    }
    std::array<char, 256> buffer;
    const ssize_t n = ::read(fd.fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EAGAIN) {
      return;
    }
    // A newline says ready (s6's rule); an end without one says nothing, ever.
    if (n > 0 && std::memchr(buffer.data(), '\n', static_cast<std::size_t>(n)) == nullptr) {
      return;
    }
    entry.ready_pipe.reset();
    if (n > 0) {
      entry.ready = true;
      entry.ever_ready = true;
      voice_.service_ready(entry.spec.name);
      publish(entry);
    }
    return;
  }
}

void Services::own_fds(std::vector<int>& fds) const {
  for (const auto& entry : entries_) {
    if (entry.ready_pipe.valid()) {
      fds.push_back(entry.ready_pipe.get());
    }
  }
}

bool Services::reaped(const sys::ChildExit& exit, sys::Millis now) {
  for (auto& entry : entries_) {
    if (exit.pid == entry.run_pid) {
      entry.run_pid = 0;
      entry.ready = false;
      entry.ready_pipe.reset();
      voice_.service_exited(entry.spec.name, exit);
      entry.service.run_exited(exit.signaled ? 0 : exit.value, exit.signaled ? exit.value : 0, now);
      settle(now);
      return true;
    }
    if (exit.pid == entry.finish_pid) {
      entry.finish_pid = 0;
      entry.service.finish_exited(exit.signaled ? 128 + exit.value : exit.value, now);
      settle(now);
      return true;
    }
  }
  return false;
}

void Services::deadline_reached(sys::Millis now) {
  for (auto& entry : entries_) {
    if (const auto deadline = entry.service.next_deadline(); deadline && now >= *deadline) {
      entry.service.deadline_reached(now);
    }
  }
  settle(now);
}

std::optional<sys::Millis> Services::next_deadline() const {
  std::optional<sys::Millis> next;
  for (const auto& entry : entries_) {
    if (const auto deadline = entry.service.next_deadline();
        deadline && (!next || *deadline < *next)) {
      next = deadline;
    }
  }
  return next;
}

void Services::forward(int sig) {
  for (const auto& entry : entries_) {
    if (entry.run_pid > 0) {
      (void)::kill(entry.run_pid, sig);
    }
  }
}

void Services::stop() {
  for (auto& entry : entries_) {
    entry.service.stop();
  }
}

void Services::kill() {
  for (auto& entry : entries_) {
    entry.service.kill();
  }
}

bool Services::all_at_rest() const {
  for (const auto& entry : entries_) {
    if (!entry.service.at_rest() || entry.run_pid > 0 || entry.finish_pid > 0) {
      return false;
    }
  }
  return true;
}

void Services::settle(sys::Millis now) {
  for (auto& entry : entries_) {
    for (ServiceActions actions = entry.service.take_actions(); actions.any();
         actions = entry.service.take_actions()) {
      if (actions.signal_run && entry.run_pid > 0) {
        // A run that leads its session also leads its group: the group gets it (s6-svc -d
        // signals the process; its children are the drain's).
        (void)::kill(entry.run_pid, entry.spec.down_signal);
        (void)::kill(entry.run_pid, SIGCONT);
      }
      if (actions.kill_run && entry.run_pid > 0) {
        (void)::kill(entry.run_pid, SIGKILL);
      }
      if (actions.kill_finish && entry.finish_pid > 0) {
        voice_.service_note(entry.spec.name, "finish took too long: killed");
        (void)::kill(entry.finish_pid, SIGKILL);
      }
      if (actions.permanent_failure) {
        voice_.service_failed(entry.spec.name);
      }
      if (actions.start_finish) {
        start_finish(entry, actions.finish_code, actions.finish_signal, now);
      }
      if (actions.start_run) {
        start_run(entry, now);
      }
    }
    publish(entry);
  }
}

// What run and finish both get: the service's directory, /dev/null, stdout and stderr only, the
// caller's signal state, and a session of their own unless nosetsid.
sys::SpawnRequest Services::request_for(const Entry& entry, std::vector<std::string> argv) const {
  sys::SpawnRequest request;
  request.argv = std::move(argv);
  request.cwd = entry.spec.dir.c_str();
  request.stdin_null = true;
  request.close_other_fds = true;
  request.new_session = entry.spec.setsid;
  request.new_process_group = false;
  request.mask = child_signals_.blocked;
  request.ignored = child_signals_.ignored;
  return request;
}

void Services::start_run(Entry& entry, sys::Millis now) {
  sys::SpawnRequest request = request_for(entry, {entry.spec.dir + "/run"});
  std::array<int, 2> pipe_fds{-1, -1};
  if (entry.spec.notification_fd >= 0) {
    if (::pipe2(pipe_fds.data(), O_CLOEXEC | O_NONBLOCK) == 0) {
      request.pass_fd = pipe_fds[1];
      request.pass_fd_as = entry.spec.notification_fd;
    } else {
      voice_.service_note(entry.spec.name, "no readiness pipe: cannot be told it is ready");
    }
  }
  auto spawned = sys::spawn_child(request);
  if (pipe_fds[1] >= 0) {
    (void)::close(pipe_fds[1]);
  }
  if (!spawned) {
    // As s6: the start counts, and failing to start is an exit like any other (127 when the
    // file is gone, 126 when it cannot be run), paced as a crash is.
    if (pipe_fds[0] >= 0) {
      (void)::close(pipe_fds[0]);
    }
    const int err = spawned.error().error.code;
    voice_.service_cannot_run(entry.spec.name, spawned.error().error);
    entry.service.run_exited(sys::exit_code_for_exec_errno(err), 0, now);
    return;
  }
  entry.run_pid = spawned->pid;
  entry.ready = false;
  entry.ready_pipe = sys::UniqueFd(pipe_fds[0]);
  voice_.service_started(entry.spec.name, entry.run_pid, entry.service.starts());
}

void Services::start_finish(Entry& entry, int code, int signal, sys::Millis now) {
  // As s6-supervise: the service's name comes third (s6 2.11 passes it; finish scripts shared
  // with s6 may read it).
  const sys::SpawnRequest request = request_for(
      entry,
      {entry.spec.dir + "/finish", std::to_string(code), std::to_string(signal), entry.spec.name});
  auto spawned = sys::spawn_child(request);
  if (!spawned) {
    voice_.service_cannot_run(entry.spec.name, spawned.error().error);
    entry.service.finish_exited(sys::exit_code_for_exec_errno(spawned.error().error.code), now);
    return;
  }
  entry.finish_pid = spawned->pid;
}

Services::~Services() {
  if (status_dir_.empty()) {
    return;
  }
  for (const auto& entry : entries_) {
    (void)::unlink((status_dir_ + "/" + entry.spec.name).c_str());
  }
  (void)::rmdir(status_dir_.c_str());
  (void)::rmdir(status_dir_.substr(0, status_dir_.rfind('/')).c_str());
}

void Services::publish(Entry& entry) const {
  if (status_dir_.empty()) {
    return;
  }
  std::string text = "pid=" + std::to_string(entry.run_pid);
  text += " state=";
  text += state_name(entry.service.state());
  text += entry.ready ? " ready=1" : " ready=0";
  text += " starts=" + std::to_string(entry.service.starts()) + "\n";
  if (text == entry.published) {
    return;
  }
  entry.published = text;
  const std::string path = status_dir_ + "/" + entry.spec.name;
  const std::string temporary = path + ".new";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    return;
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  (void)::close(fd);
  if (written) {
    (void)::rename(temporary.c_str(), path.c_str());
  }
}

}  // namespace pidone

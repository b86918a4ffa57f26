// Services: the supervised services of `pidone --services DIR`, carried out. Each Service
// (service.h) decides; this starts and signals their `run` and `finish`, reads readiness from
// their notification pipes, and publishes each one's state for pidone-inspect in
// /run/pidone/<pidone's pid>/services/<name> ("pid=12 state=up ready=1 starts=3").
// The supervisor owns it: it passes reaped children, readable descriptors and deadlines in.
#pragma once

#include <poll.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "pidone/service.h"
#include "pidone/service_dir.h"
#include "pidone/voice.h"
#include "sys/signal_set.h"
#include "sys/spawn.h"
#include "sys/unique_fd.h"
#include "sys/wait_status.h"

namespace pidone {

class Services {
 public:
  Services(std::vector<ServiceSpec> specs, sys::InheritedSignals child_signals, Voice& voice);
  ~Services();  // removes the status files
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  [[nodiscard]] bool empty() const { return entries_.empty(); }

  // Starts every service that is not `down`.
  void start(sys::Millis now);
  // Every started service with a notification-fd has said it is ready.
  [[nodiscard]] bool all_ready() const;
  // The first service that has not (for the ready-timeout message), or "".
  [[nodiscard]] std::string first_unready() const;

  // The readiness pipes to watch, appended to `fds`; then `readable` with what poll() said.
  void watch(std::vector<pollfd>& fds) const;
  void readable(const pollfd& fd);
  // Descriptors pidone must keep when it closes what it inherited.
  void own_fds(std::vector<int>& fds) const;

  // A reaped child: true when it was a service's run or finish (then it is handled).
  bool reaped(const sys::ChildExit& exit, sys::Millis now);
  void deadline_reached(sys::Millis now);
  [[nodiscard]] std::optional<sys::Millis> next_deadline() const;

  // Sends `sig` to every running `run` (signals that are not the container's to stop).
  void forward(int sig);
  // The stop: each gets its down-signal and SIGCONT; none restarts. kill(): SIGKILL the rest.
  void stop();
  void kill();
  // No run and no finish of any service is alive, and none will start.
  [[nodiscard]] bool all_at_rest() const;

  // Carries out what the services asked for; call after their events.
  void settle(sys::Millis now);

 private:
  struct Entry {
    ServiceSpec spec;
    Service service;
    pid_t run_pid = 0;
    pid_t finish_pid = 0;
    sys::UniqueFd ready_pipe;  // the read end of the notification pipe, while unread
    bool ready = false;        // has said so since its last start
    bool ever_ready = false;
    std::string published;  // the status file's text, as last written
  };

  [[nodiscard]] sys::SpawnRequest request_for(const Entry& entry,
                                              std::vector<std::string> argv) const;
  void start_run(Entry& entry, sys::Millis now);
  void start_finish(Entry& entry, int code, int signal, sys::Millis now);
  void publish(Entry& entry) const;

  std::vector<Entry> entries_;
  sys::InheritedSignals child_signals_;
  Voice& voice_;
  std::string status_dir_;  // "" when it cannot be written
};

}  // namespace pidone

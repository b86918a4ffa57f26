// Service: one supervised service's life, as s6-supervise leads it, as a pure state machine
// (no clock, no syscalls; ServiceMachine.* tests walk it). The Services runtime carries out its
// actions: start `run`, start `finish`, signal them.
//
//   kDown ----start----> kUp (start_run)                                  [not `down`]
//   kUp --run_exited--> kFinishing (start_finish; deadline timeout-finish) [with finish]
//                   \-> kWaiting (restart no sooner than 1 s after the last start)
//   kFinishing --finish_exited(125)--> kFailed  (permanent: never restarted)
//              --finish_exited--------> kWaiting (or kStopped when stopping)
//              --deadline-------------> kill_finish (then finish_exited comes)
//   kWaiting --deadline--> kUp (start_run)
//   stop: kUp -> signal run (down-signal, then SIGCONT), then as above until kStopped;
//         kWaiting/kDown -> kStopped at once; kill: SIGKILL whatever still runs.
#pragma once

#include <optional>
#include <utility>

#include "sys/clock.h"

namespace pidone {

struct ServiceActions {
  bool start_run = false;
  bool start_finish = false;
  int finish_code = 0;      // finish's first argument: run's exit code, or 256 for a signal
  int finish_signal = 0;    // its second: the signal, or 0
  bool signal_run = false;  // the down-signal, then SIGCONT
  bool kill_run = false;
  bool kill_finish = false;
  bool permanent_failure = false;  // finish exited 125: say so
  [[nodiscard]] bool any() const {
    return start_run || start_finish || signal_run || kill_run || kill_finish || permanent_failure;
  }
};

class Service {
 public:
  enum class State { kDown, kUp, kFinishing, kWaiting, kFailed, kStopped };

  // s6's rule: `run` never starts sooner than this after its previous start.
  static constexpr sys::Millis kMinRestartMs = 1000;

  Service(bool has_finish, sys::Millis timeout_finish_ms)
      : has_finish_(has_finish), timeout_finish_ms_(timeout_finish_ms) {}

  void start(sys::Millis now);
  // `run` ended: its exit code, or the signal that killed it.
  void run_exited(int code, int signal, sys::Millis now);
  void finish_exited(int code, sys::Millis now);
  void stop();
  void kill();
  void deadline_reached(sys::Millis now);

  [[nodiscard]] ServiceActions take_actions();
  [[nodiscard]] std::optional<sys::Millis> next_deadline() const;
  [[nodiscard]] State state() const { return state_; }
  // Nothing of it runs and nothing will start: stopped, failed, or never started.
  [[nodiscard]] bool at_rest() const {
    return state_ == State::kStopped || state_ == State::kFailed || state_ == State::kDown;
  }
  [[nodiscard]] int starts() const { return starts_; }

 private:
  void after_finish(sys::Millis now);
  void start_run(sys::Millis now);

  bool has_finish_;
  sys::Millis timeout_finish_ms_;
  State state_ = State::kDown;
  bool stopping_ = false;
  int starts_ = 0;
  std::optional<sys::Millis> last_start_;
  std::optional<sys::Millis> finish_deadline_;
  std::optional<sys::Millis> restart_at_;
  ServiceActions pending_;
};

}  // namespace pidone

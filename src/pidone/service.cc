#include "pidone/service.h"

#include <algorithm>

namespace pidone {

void Service::start(sys::Millis now) {
  if (state_ == State::kDown && !stopping_) {
    start_run(now);
  }
}

void Service::start_run(sys::Millis now) {
  state_ = State::kUp;
  pending_.start_run = true;
  last_start_ = now;
  restart_at_.reset();
  ++starts_;
}

void Service::run_exited(int code, int signal, sys::Millis now) {
  if (state_ != State::kUp) {
    return;
  }
  if (has_finish_) {
    state_ = State::kFinishing;
    pending_.start_finish = true;
    pending_.finish_code = signal != 0 ? 256 : code;
    pending_.finish_signal = signal;
    if (timeout_finish_ms_ > 0) {
      finish_deadline_ = now + timeout_finish_ms_;
    }
    return;
  }
  after_finish(now);
}

void Service::finish_exited(int code, sys::Millis now) {
  if (state_ != State::kFinishing) {
    return;
  }
  finish_deadline_.reset();
  if (code == 125) {
    state_ = State::kFailed;
    pending_.permanent_failure = !stopping_;
    return;
  }
  after_finish(now);
}

void Service::after_finish(sys::Millis now) {
  if (stopping_) {
    state_ = State::kStopped;
    return;
  }
  state_ = State::kWaiting;
  restart_at_ = std::max(now, last_start_.value_or(now) + kMinRestartMs);
}

void Service::stop() {
  stopping_ = true;
  switch (state_) {
    case State::kUp:
      pending_.signal_run = true;
      break;
    case State::kDown:
    case State::kWaiting:
      state_ = State::kStopped;
      restart_at_.reset();
      break;
    case State::kFinishing:  // it ends on its own, or at its deadline
    case State::kFailed:
    case State::kStopped:
      break;
  }
}

void Service::kill() {
  if (state_ == State::kUp) {
    pending_.kill_run = true;
  } else if (state_ == State::kFinishing) {
    pending_.kill_finish = true;
  }
}

void Service::deadline_reached(sys::Millis now) {
  if (state_ == State::kFinishing && finish_deadline_ && now >= *finish_deadline_) {
    finish_deadline_.reset();
    pending_.kill_finish = true;
  } else if (state_ == State::kWaiting && restart_at_ && now >= *restart_at_) {
    start_run(now);
  }
}

ServiceActions Service::take_actions() {
  ServiceActions taken = pending_;
  pending_ = ServiceActions{};
  return taken;
}

std::optional<sys::Millis> Service::next_deadline() const {
  if (state_ == State::kFinishing) {
    return finish_deadline_;
  }
  if (state_ == State::kWaiting) {
    return restart_at_;
  }
  return std::nullopt;
}

}  // namespace pidone

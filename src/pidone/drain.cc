#include "pidone/drain.h"

#include <algorithm>

namespace pidone {

void Drain::stop_signal(sys::Millis now) {
  // Only the first stop signal starts the clock: a second SIGTERM must not postpone the SIGKILL.
  if (phase_ == Phase::kRunning && config_.stop_timeout_ms && !stop_deadline_) {
    stop_deadline_ = now + *config_.stop_timeout_ms;
  }
}

void Drain::child_exited(int status, sys::Millis now) {
  if (phase_ != Phase::kRunning) {
    return;
  }
  status_ = status;
  stop_deadline_.reset();
  if (config_.services) {
    phase_ = Phase::kServices;
    pending_.stop_services = true;
    services_deadline_ = now + config_.grace_ms;
    return;
  }
  end_rest(now);
}

void Drain::services_at_rest(sys::Millis now) {
  if (phase_ == Phase::kServices) {
    services_deadline_.reset();
    end_rest(now);
  }
}

// What happens to the rest once the main child (and the services) are done.
void Drain::end_rest(sys::Millis now) {
  switch (config_.end) {
    case EndPolicy::kExit:
      finish();
      return;
    case EndPolicy::kTermGroupAndExit:
      pending_.term_group = true;
      finish();
      return;
    case EndPolicy::kDrain:
      break;
  }
  if (config_.grace_ms == 0) {
    start_killing(now);
    return;
  }
  phase_ = Phase::kGrace;
  pending_.term_rest = true;
  kill_deadline_ = now + config_.grace_ms;
}

void Drain::no_children_left() {
  if (phase_ == Phase::kServices || phase_ == Phase::kGrace || phase_ == Phase::kKilling) {
    pending_.term_rest = false;
    pending_.kill_rest = false;
    pending_.kill_round = 0;
    pending_.stop_services = false;
    pending_.kill_services = false;
    finish();
  }
}

void Drain::rest_unlisted() {
  unlisted_ = true;
  if (phase_ == Phase::kKilling) {
    finish();  // this round was the one that could be done
  }
}

void Drain::deadline_reached(sys::Millis now) {
  if (phase_ == Phase::kRunning && stop_deadline_ && now >= *stop_deadline_) {
    stop_deadline_.reset();
    pending_.kill_child = true;
    return;
  }
  if (phase_ == Phase::kServices && services_deadline_ && now >= *services_deadline_) {
    services_deadline_.reset();
    pending_.kill_services = true;
    end_rest(now);
    return;
  }
  if ((phase_ == Phase::kGrace || phase_ == Phase::kKilling) && kill_deadline_ &&
      now >= *kill_deadline_) {
    start_killing(now);
  }
}

DrainActions Drain::take_actions() {
  DrainActions taken = pending_;
  pending_ = DrainActions{};
  return taken;
}

std::optional<sys::Millis> Drain::next_deadline() const {
  switch (phase_) {
    case Phase::kRunning:
      return stop_deadline_;
    case Phase::kServices:
      return services_deadline_;
    case Phase::kGrace:
    case Phase::kKilling:
      return kill_deadline_;
    case Phase::kDone:
      break;
  }
  return std::nullopt;
}

void Drain::start_killing(sys::Millis now) {
  phase_ = Phase::kKilling;
  pending_.term_rest = false;  // superseded
  pending_.kill_rest = true;
  pending_.kill_round = ++kill_rounds_;
  kill_retry_ms_ =
      kill_retry_ms_ == 0 ? kFirstKillRetryMs : std::min(kill_retry_ms_ * 2, kMaxKillRetryMs);
  kill_deadline_ = now + kill_retry_ms_;
  if (unlisted_) {
    finish();  // no later round could find more than this one
  }
}

void Drain::finish() {
  if (phase_ == Phase::kDone) {
    return;
  }
  phase_ = Phase::kDone;
  stop_deadline_.reset();
  services_deadline_.reset();
  kill_deadline_.reset();
  pending_.exit = status_;
}

}  // namespace pidone

#include "inspect/delivery.h"

#include <signal.h>

#include <algorithm>

namespace pidone::inspect {
namespace {

bool has(std::uint64_t mask, int sig) {
  return (mask >> (sig - 1)) & 1U;
}

bool waits_for(const ThreadSignals& t, int sig) {
  return t.wait == SigWait::kKnownSet && has(t.wait_set, sig);
}

// Waiting on a set that could not be read: it may be waiting for `sig` only if `sig` is not
// in its (temporarily reduced) blocked mask, since the kernel unblocks the whole set.
bool may_wait_for(const ThreadSignals& t, int sig) {
  return t.wait == SigWait::kUnknownSet && !has(t.blocked, sig);
}

}  // namespace

Delivery delivery_to_init(int sig, const InitSignals& init, bool from_parent_namespace) {
  if (sig == SIGKILL || sig == SIGSTOP) {
    if (!from_parent_namespace) {
      return Delivery::kDropped;
    }
    return sig == SIGKILL ? Delivery::kForcedKill : Delivery::kForcedStop;
  }
  const auto main = std::find_if(init.threads.begin(), init.threads.end(),
                                 [](const ThreadSignals& t) { return t.main; });
  if (main == init.threads.end()) {
    return delivery_to_init(sig, one_thread({0, init.ignored, init.caught}, init.signalfd),
                            from_parent_namespace);
  }
  // Step 1, on the main thread alone. A main thread waiting for it is also the thread that
  // complete_signal tries first, so it receives it whatever the other threads do.
  if (waits_for(*main, sig)) {
    return Delivery::kWaited;
  }
  if (!has(main->blocked, sig)) {
    const bool may_wait = may_wait_for(*main, sig);
    if (has(init.ignored, sig)) {
      return may_wait ? Delivery::kProbablyWaited : Delivery::kIgnored;
    }
    if (has(init.caught, sig)) {
      return Delivery::kHandled;  // to its handler, or to a wait for it: received either way
    }
    return may_wait ? Delivery::kProbablyWaited : Delivery::kDropped;
  }
  // Step 2: queued for the process; which thread takes it?
  bool waiter = false;
  bool maybe_waiter = false;
  bool open = false;     // a thread that does not block it and does not wait for it
  bool running = false;  // a thread caught between two waits, perhaps
  for (const auto& t : init.threads) {
    if (t.exiting) {
      continue;
    }
    running = running || t.running;
    if (waits_for(t, sig)) {
      waiter = true;
    } else if (may_wait_for(t, sig)) {
      maybe_waiter = true;
    } else if (!has(t.blocked, sig)) {
      open = true;
    }
  }
  if (!open) {
    if (waiter) {
      return Delivery::kWaited;
    }
    if (maybe_waiter) {
      return Delivery::kProbablyWaited;
    }
    if (init.signalfd && has(*init.signalfd, sig)) {
      return Delivery::kQueued;
    }
    // No reader now. A running thread may be between two waits (tini, between its 1 s
    // sigtimedwaits, blocks everything and has no signalfd): that is not "unread".
    return !init.signalfd || running ? Delivery::kQueuedUnseen : Delivery::kUnread;
  }
  if (has(init.caught, sig)) {
    return Delivery::kHandled;
  }
  if (waiter || maybe_waiter) {
    return Delivery::kRace;
  }
  return has(init.ignored, sig) ? Delivery::kIgnored : Delivery::kDropped;
}

InitSignals one_thread(const SignalMasks& masks, std::optional<std::uint64_t> signalfd) {
  InitSignals init;
  init.ignored = masks.ignored;
  init.caught = masks.caught;
  init.signalfd = signalfd;
  init.threads.push_back({1, true, false, masks.blocked, SigWait::kNone, 0});
  return init;
}

const char* describe(Delivery delivery) {
  switch (delivery) {
    case Delivery::kDropped:
      return "dropped";
    case Delivery::kIgnored:
      return "ignored";
    case Delivery::kHandled:
      return "delivered to its handler";
    case Delivery::kQueued:
      return "queued (blocked; read by PID 1)";
    case Delivery::kUnread:
      return "pending, unread (blocked; no signalfd or wait takes it)";
    case Delivery::kQueuedUnseen:
      return "queued (blocked; whether PID 1 reads it could not be seen)";
    case Delivery::kForcedKill:
      return "kills PID 1";
    case Delivery::kForcedStop:
      return "stops PID 1";
    case Delivery::kWaited:
      return "waited for (sigwait)";
    case Delivery::kProbablyWaited:
      return "probably received (PID 1 waits for signals synchronously)";
    case Delivery::kRace:
      return "waited for (sigwait) or dropped (threads race for it)";
  }
  return "?";
}

bool reaches_init(Delivery delivery) {
  return delivery != Delivery::kDropped && delivery != Delivery::kIgnored &&
         delivery != Delivery::kRace && delivery != Delivery::kUnread;
}

}  // namespace pidone::inspect
